using ProxyOperator.Modules;

namespace ProxyOperator.GoProxy.Storage;

/// <summary>
/// What eviction and the admin API need from a store, beside <see cref="IModuleStore"/> (which the serving path
/// uses and stays as small as Athens' Getter/Saver): enumerate stored versions with their size and last use, and
/// remove a version or a module as a unit. A store implements both interfaces; the host resolves this one from the
/// same instance.
/// </summary>
/// <remarks>
/// The unit is a module version: its info, mod and zip. Removing only the zip would leave a version that
/// <see cref="IModuleStore.ListVersionsAsync"/> no longer lists but whose info is still served, and a go command that
/// has the info but cannot get the zip. The store does not know which versions are being served or written; the
/// caller (<see cref="Eviction.StoreActivity"/>) skips those. A delete must still be safe against a reader that opened
/// a file before it: on disk an open stream of an unlinked file keeps reading (POSIX), on S3 a GET in progress
/// completes.
/// </remarks>
public interface IStoreMaintenance
{
    /// <summary>
    /// Every stored version (info, mod or zip present), in no particular order. Versions with only some of their
    /// files (an interrupted fetch) are included, so eviction and purge can reclaim them.
    /// </summary>
    IAsyncEnumerable<StoredVersion> EnumerateVersionsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Notes that <paramref name="key"/> was just served, for least-recently-used order. Cheap and best-effort:
    /// called on every cache hit; a store may coarsen it (the disk store writes at most once a minute per version).
    /// </summary>
    ValueTask RecordAccessAsync(ArtifactKey key, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the info, mod and zip of one version, and the module's stored list and latest answers (which may name
    /// it), so the next request asks the upstream. Returns the bytes freed; 0 when nothing was stored.
    /// </summary>
    Task<long> DeleteVersionAsync(ModulePath module, string version, CancellationToken cancellationToken);

    /// <summary>Removes every stored version of <paramref name="module"/> and its list and latest answers. Returns the bytes freed.</summary>
    Task<long> DeleteModuleAsync(ModulePath module, CancellationToken cancellationToken);
}

/// <summary>One stored module version: the sum of its files' sizes, and when any of them was last served or stored.</summary>
public sealed record StoredVersion(ModulePath Module, string Version, long Bytes, DateTimeOffset LastAccess);
