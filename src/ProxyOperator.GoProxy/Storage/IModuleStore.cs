using ProxyOperator.Modules;

namespace ProxyOperator.GoProxy.Storage;

/// <summary>
/// Where artifacts live. Every backend passes one conformance suite (tests/ProxyOperator.GoProxy.Tests/Storage).
/// Writes are staged and published atomically: nothing half-written is ever returned by <see cref="OpenAsync"/>.
/// </summary>
public interface IModuleStore
{
    /// <summary>A short name for status and metrics: <c>disk</c>, <c>s3</c>.</summary>
    string Kind { get; }

    /// <summary>The stored artifact, or null when it is not (completely) stored.</summary>
    Task<StoredArtifact?> OpenAsync(ArtifactKey key, CancellationToken cancellationToken);

    /// <summary>Starts a staged write. Dispose without <see cref="IArtifactUpload.CommitAsync"/> discards it.</summary>
    Task<IArtifactUpload> BeginUploadAsync(ArtifactKey key, CancellationToken cancellationToken);

    /// <summary>Canonical versions of <paramref name="module"/> whose info, mod and zip are all stored.</summary>
    Task<IReadOnlyList<string>> ListVersionsAsync(ModulePath module, CancellationToken cancellationToken);

    /// <summary>Count and size of stored versioned artifacts.</summary>
    Task<StoreUsage> GetUsageAsync(CancellationToken cancellationToken);

    /// <summary>Throws when the store cannot be written to; used by <c>/readyz</c>.</summary>
    Task CheckWritableAsync(CancellationToken cancellationToken);
}

/// <summary>Figures for <c>/metrics</c> and <c>/status</c>.</summary>
public sealed record StoreUsage(long Artifacts, long Bytes);
