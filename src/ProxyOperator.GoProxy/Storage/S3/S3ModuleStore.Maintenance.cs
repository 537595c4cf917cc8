using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using ProxyOperator.Modules;

namespace ProxyOperator.GoProxy.Storage.S3;

/// <summary>
/// Eviction and purge over the bucket. Last use is kept as empty marker objects whose key carries the time:
/// <c>PREFIX.access/MODULE/@v/VERSION/UNIX-MS</c>.
/// </summary>
/// <remarks>
/// Why markers with the time in the key: S3 has no access time, rewriting an artifact's metadata (a copy onto itself)
/// would copy a whole zip on every recorded hit, and LastModified is only to the second (too coarse to order hits a
/// moment apart). One listing of the prefix then yields sizes and last use together, with no GET per version.
/// Markers of other replicas or earlier runs that a newer one supersedes are removed by the next enumeration.
/// </remarks>
public sealed partial class S3ModuleStore
{
    private const string AccessFolder = ".access/";

    private readonly ConcurrentDictionary<string, string> _accessMarkers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _lastRecorded = new(StringComparer.Ordinal);

    /// <summary>Accesses to one version closer together than this are recorded once: each record is a PUT.</summary>
    public TimeSpan AccessResolution { get; init; } = TimeSpan.FromMinutes(1);

    public async IAsyncEnumerable<StoredVersion> EnumerateVersionsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var versions = new Dictionary<string, (long Bytes, DateTimeOffset LastAccess)>(StringComparer.Ordinal);
        var markers = new Dictionary<string, List<(string Key, DateTimeOffset At)>>(StringComparer.Ordinal);
        await foreach (var s3Object in ListAsync(_prefix, delimiter: null, cancellationToken).ConfigureAwait(false))
        {
            var name = s3Object.Key[_prefix.Length..];
            if (name.StartsWith(AccessFolder, StringComparison.Ordinal))
            {
                var slash = name.LastIndexOf('/');
                if (long.TryParse(name.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var unixMs))
                {
                    var version = name[AccessFolder.Length..slash];
                    (markers.TryGetValue(version, out var list) ? list : markers[version] = []).Add((s3Object.Key, DateTimeOffset.FromUnixTimeMilliseconds(unixMs)));
                }
            }
            else if (!name.StartsWith('.') && name.LastIndexOf('.') is var dot and > 0 && name[(dot + 1)..] is "info" or "mod" or "zip")
            {
                var modified = LastModified(s3Object.LastModified);
                var version = name[..dot];
                versions[version] = versions.TryGetValue(version, out var sum)
                    ? (sum.Bytes + (s3Object.Size ?? 0), modified > sum.LastAccess ? modified : sum.LastAccess)
                    : (s3Object.Size ?? 0, modified);
            }
        }

        var superseded = new List<string>();
        foreach (var (version, (bytes, stored)) in versions)
        {
            var lastAccess = stored;
            if (markers.TryGetValue(version, out var list))
            {
                var newest = list.MaxBy(m => m.At);
                lastAccess = newest.At > lastAccess ? newest.At : lastAccess;
                superseded.AddRange(list.Where(m => m.Key != newest.Key).Select(m => m.Key));
            }

            // VERSION is MODULE/@v/ESCAPED-VERSION, both escaped.
            var at = version.LastIndexOf("/@v/", StringComparison.Ordinal);
            if (at > 0 && ModulePath.TryParseEscaped(version[..at], out var module, out _) &&
                CaseEncoding.TryUnescape(version[(at + 4)..], out var canonical) && ModuleVersion.Check(module, canonical) is null)
            {
                yield return new StoredVersion(module, canonical, bytes, lastAccess);
            }
        }

        foreach (var key in superseded)
        {
            await DeleteQuietlyAsync(key, cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask RecordAccessAsync(ArtifactKey key, CancellationToken cancellationToken) =>
        key.IsImmutable
            ? RecordUseAsync(key, force: false, cancellationToken)
            // List and latest expire by TTL; their use says nothing about which version to keep.
            : ValueTask.CompletedTask;

    /// <summary>
    /// Marks a version used now. Also called when a zip is stored (<paramref name="force"/>), because LastModified is
    /// only to the second: versions stored a moment apart would tie, and eviction would pick among them at random.
    /// </summary>
    private async ValueTask RecordUseAsync(ArtifactKey key, bool force, CancellationToken cancellationToken)
    {
        var version = VersionFolder(key.Module, key.Version);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (!force && _lastRecorded.TryGetValue(version, out var last) && now - last < AccessResolution.TotalMilliseconds)
        {
            return;
        }

        if (!force)
        {
            // A store is not a use: the first hit after it is still recorded.
            _lastRecorded[version] = now;
        }
        var marker = $"{_prefix}{AccessFolder}{version}/{now:D13}";
        try
        {
            await _client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = marker, ContentBody = "", UseChunkEncoding = false }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (IsFault(e))
        {
            // The order is a hint: serving goes on, and the next hit after the resolution tries again.
            return;
        }

        if (_accessMarkers.TryGetValue(version, out var previous) && _accessMarkers.TryUpdate(version, marker, previous))
        {
            await DeleteQuietlyAsync(previous, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _accessMarkers.TryAdd(version, marker);
        }
    }

    public async Task<long> DeleteVersionAsync(ModulePath module, string version, CancellationToken cancellationToken)
    {
        var freed = 0L;
        foreach (var kind in new[] { ArtifactKind.Info, ArtifactKind.Mod, ArtifactKind.Zip })
        {
            freed += await DeleteCountedAsync(ObjectKey(ArtifactKey.ForVersion(module, kind, version)), cancellationToken).ConfigureAwait(false);
        }

        var folder = VersionFolder(module, version);
        _lastRecorded.TryRemove(folder, out _);
        _accessMarkers.TryRemove(folder, out _);
        await foreach (var marker in ListAsync($"{_prefix}{AccessFolder}{folder}/", delimiter: null, cancellationToken).ConfigureAwait(false))
        {
            await DeleteQuietlyAsync(marker.Key, cancellationToken).ConfigureAwait(false);
        }

        await ForgetMetadataAsync(module, cancellationToken).ConfigureAwait(false);
        return freed;
    }

    public async Task<long> DeleteModuleAsync(ModulePath module, CancellationToken cancellationToken)
    {
        var folder = $"{_prefix}{module.Escaped}/@v/";
        var versions = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var s3Object in ListAsync(folder, delimiter: "/", cancellationToken).ConfigureAwait(false))
        {
            var name = s3Object.Key[folder.Length..];
            if (name.LastIndexOf('.') is var dot and > 0 && name[(dot + 1)..] is "info" or "mod" or "zip" &&
                CaseEncoding.TryUnescape(name[..dot], out var version) && ModuleVersion.Check(module, version) is null)
            {
                versions.Add(version);
            }
        }

        var freed = 0L;
        foreach (var version in versions)
        {
            freed += await DeleteVersionAsync(module, version, cancellationToken).ConfigureAwait(false);
        }

        await ForgetMetadataAsync(module, cancellationToken).ConfigureAwait(false);
        return freed;
    }

    private static string VersionFolder(ModulePath module, string version) =>
        CaseEncoding.TryEscape(version, out var escaped) ? $"{module.Escaped}/@v/{escaped}" : throw new ArgumentException($"invalid version {version}", nameof(version));

    /// <summary>The stored list and latest may name a removed version; without them the next request asks the upstream.</summary>
    private async Task ForgetMetadataAsync(ModulePath module, CancellationToken cancellationToken)
    {
        await DeleteQuietlyAsync(ObjectKey(ArtifactKey.ForList(module)), cancellationToken).ConfigureAwait(false);
        await DeleteQuietlyAsync(ObjectKey(ArtifactKey.ForLatest(module)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes one object and returns its size, or 0 when it was not there. S3's DELETE succeeds whether or not the
    /// object existed, so the size comes from a HEAD just before, and removers in this process take turns per key so
    /// that of two concurrent ones (eviction and a purge) only one counts the bytes. Across replicas both may count:
    /// the figure is a replica's own estimate, corrected by the next listing. A GET already under way completes.
    /// </summary>
    private async Task<long> DeleteCountedAsync(string objectKey, CancellationToken cancellationToken)
    {
        var gate = PublishGate(objectKey);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long length;
            try
            {
                length = (await _client.GetObjectMetadataAsync(_bucket, objectKey, cancellationToken).ConfigureAwait(false)).ContentLength;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return 0;
            }

            await _client.DeleteObjectAsync(_bucket, objectKey, cancellationToken).ConfigureAwait(false);
            CountUsage(-1, -length);
            return length;
        }
        catch (Exception e) when (IsFault(e))
        {
            throw Failure($"{objectKey} cannot be removed from bucket {_bucket}", e);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task DeleteQuietlyAsync(string objectKey, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteObjectAsync(_bucket, objectKey, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsFault(e))
        {
            // Metadata and markers only: a list or latest left behind expires by TTL, a marker is removed next scan.
        }
    }
}
