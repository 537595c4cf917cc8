namespace ProxyOperator.GoProxy.Storage;

/// <summary>A staged write: fill <see cref="Content"/>, optionally read it back to validate, then commit or dispose.</summary>
public interface IArtifactUpload : IAsyncDisposable
{
    /// <summary>Where the bytes go. Not visible to readers until committed.</summary>
    Stream Content { get; }

    /// <summary>Reads back the staged bytes (seekable) after writing has finished, e.g. to check a zip before publishing.</summary>
    Task<Stream> OpenStagedAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Publishes atomically. For an immutable artifact that another writer published first, the stored one wins and
    /// this returns false; for list and latest, this replaces the old content and returns true.
    /// </summary>
    Task<bool> CommitAsync(CancellationToken cancellationToken);
}
