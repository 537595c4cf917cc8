namespace ProxyOperator.GoProxy.Storage;

/// <summary>
/// The store could not take a write (disk full, permissions, bucket unreachable). Kept apart from
/// <see cref="IOException"/> so a storage fault is never blamed on, or retried against, the upstream.
/// </summary>
public sealed class StorageFailureException(string message, Exception innerException) : Exception(message, innerException)
{
    public static bool IsStorageFault(Exception exception) =>
        exception is IOException or UnauthorizedAccessException or StorageFailureException;
}
