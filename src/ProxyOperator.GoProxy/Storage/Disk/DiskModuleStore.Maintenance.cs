using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using ProxyOperator.Modules;

namespace ProxyOperator.GoProxy.Storage.Disk;

/// <summary>
/// Eviction and purge over the folder tree. Last use is kept in each file's access time, written explicitly.
/// </summary>
/// <remarks>
/// Why the access time, set by the proxy: the kernel's own atime updates cannot be relied on (<c>noatime</c> mounts
/// never update it, <c>relatime</c> at most daily), but an explicit utimensat(2) sets it whatever the mount options,
/// leaves the modification time alone (it is the artifact's Last-Modified, and the list/latest TTL clock), needs no
/// index file that a crash could tear or two replicas on one ReadWriteMany volume would fight over, and survives
/// restarts. Any implicit update by another reader (a backup) only makes a version look newer, which merely delays
/// its eviction.
/// </remarks>
public sealed partial class DiskModuleStore
{
    private static readonly string[] VersionedExtensions = [".info", ".mod", ".zip"];

    private readonly ConcurrentDictionary<string, DateTime> _lastRecorded = new(StringComparer.Ordinal);

    /// <summary>
    /// Accesses to one file closer together than this are recorded once: LRU order needs minutes, not every hit,
    /// and on a network volume each record is a round trip.
    /// </summary>
    public TimeSpan AccessResolution { get; init; } = TimeSpan.FromMinutes(1);

    public async IAsyncEnumerable<StoredVersion> EnumerateVersionsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
        var stagingPrefix = _staging + Path.DirectorySeparatorChar;
        foreach (var folder in Directory.EnumerateDirectories(_root, "@v", options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (folder.StartsWith(stagingPrefix, StringComparison.Ordinal) ||
                !ModulePath.TryParseEscaped(Path.GetRelativePath(_root, Path.GetDirectoryName(folder)!).Replace(Path.DirectorySeparatorChar, '/'), out var module, out _))
            {
                continue;
            }

            foreach (var version in ReadVersions(folder, module))
            {
                yield return version;
            }

            // The walk is synchronous file-system work; yielding between modules keeps a large tree from holding
            // a thread-pool thread for the whole scan.
            await Task.Yield();
        }
    }

    public ValueTask RecordAccessAsync(ArtifactKey key, CancellationToken cancellationToken)
    {
        if (!key.IsImmutable)
        {
            // List and latest expire by TTL; their use says nothing about which version to keep.
            return ValueTask.CompletedTask;
        }

        var path = PathOf(key);
        var now = DateTime.UtcNow;
        if (_lastRecorded.TryGetValue(path, out var last) && now - last < AccessResolution)
        {
            return ValueTask.CompletedTask;
        }

        _lastRecorded[path] = now;
        try
        {
            File.SetLastAccessTimeUtc(path, now);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            // Evicted or purged since it was opened, or a read-only volume: the order is a hint, serving goes on.
        }

        return ValueTask.CompletedTask;
    }

    public Task<long> DeleteVersionAsync(ModulePath module, string version, CancellationToken cancellationToken)
    {
        var freed = 0L;
        foreach (var kind in new[] { ArtifactKind.Info, ArtifactKind.Mod, ArtifactKind.Zip })
        {
            freed += Unlink(PathOf(ArtifactKey.ForVersion(module, kind, version)), counted: true);
        }

        ForgetMetadata(module);
        return Task.FromResult(freed);
    }

    public async Task<long> DeleteModuleAsync(ModulePath module, CancellationToken cancellationToken)
    {
        var freed = 0L;
        var folder = Path.Combine(_root, module.Escaped, "@v");
        if (Directory.Exists(folder))
        {
            foreach (var version in ReadVersions(folder, module))
            {
                freed += await DeleteVersionAsync(module, version.Version, cancellationToken).ConfigureAwait(false);
            }
        }

        ForgetMetadata(module);
        return freed;
    }

    private static List<StoredVersion> ReadVersions(string folder, ModulePath module)
    {
        var versions = new Dictionary<string, (long Bytes, DateTime LastAccess)>(StringComparer.Ordinal);
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles())
        {
            if (Array.IndexOf(VersionedExtensions, file.Extension) < 0)
            {
                continue;
            }

            try
            {
                // Stored, or last served: whichever is later. A fresh store's files have atime == mtime.
                var used = file.LastAccessTimeUtc > file.LastWriteTimeUtc ? file.LastAccessTimeUtc : file.LastWriteTimeUtc;
                var escaped = Path.GetFileNameWithoutExtension(file.Name);
                versions[escaped] = versions.TryGetValue(escaped, out var sum)
                    ? (sum.Bytes + file.Length, used > sum.LastAccess ? used : sum.LastAccess)
                    : (file.Length, used);
            }
            catch (FileNotFoundException)
            {
                // Removed while the folder was read.
            }
        }

        var result = new List<StoredVersion>(versions.Count);
        foreach (var (escaped, (bytes, lastAccess)) in versions)
        {
            if (CaseEncoding.TryUnescape(escaped, out var version) && ModuleVersion.Check(module, version) is null)
            {
                result.Add(new StoredVersion(module, version, bytes, new DateTimeOffset(lastAccess, TimeSpan.Zero)));
            }
        }

        return result;
    }

    /// <summary>The stored list and latest may name a removed version; without them the next request asks the upstream.</summary>
    private void ForgetMetadata(ModulePath module)
    {
        Unlink(PathOf(ArtifactKey.ForList(module)), counted: false);
        Unlink(PathOf(ArtifactKey.ForLatest(module)), counted: false);
    }

    /// <summary>
    /// Removes one file and returns its size, or 0 when it was not there. The file is first renamed into staging:
    /// rename(2) is atomic, so of two concurrent removers (eviction and a purge) exactly one counts its bytes. A reader
    /// that opened the file before keeps reading it: unlinking only drops the name (POSIX). Empty folders stay: a
    /// commit creates its folder and then renames into it, and removing the folder between the two would fail it.
    /// </summary>
    private long Unlink(string path, bool counted)
    {
        var doomed = Path.Combine(_staging, $"{Guid.NewGuid():N}.deleted");
        try
        {
            // overwrite: true makes .NET call rename(2); without it, it links then unlinks, and two removers would
            // both succeed.
            File.Move(path, doomed, overwrite: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return 0;
        }

        _lastRecorded.TryRemove(path, out _);
        var length = new FileInfo(doomed).Length;
        File.Delete(doomed);
        if (counted && _usage.IsValueCreated && _usage.Value.IsCompletedSuccessfully)
        {
            _usage.Value.Result.Remove(length);
        }

        return length;
    }
}
