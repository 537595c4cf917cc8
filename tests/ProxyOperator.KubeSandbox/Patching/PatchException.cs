namespace ProxyOperator.KubeSandbox.Patching;

/// <summary>
/// Thrown for a malformed patch or a failed JSON-patch "test" operation. The server maps it to
/// 422 Unprocessable Entity (or 400 for undecodable JSON) and reports <see cref="Exception.Message"/>.
/// </summary>
public sealed class PatchException : Exception
{
    public PatchException()
    {
    }

    public PatchException(string message)
        : base(message)
    {
    }

    public PatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
