using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyOperator.GoProxy.Caching.Locks;
using ProxyOperator.GoProxy.Configuration;
using ProxyOperator.GoProxy.Health;
using ProxyOperator.GoProxy.Observability;
using ProxyOperator.GoProxy.Private;
using ProxyOperator.GoProxy.Storage;
using ProxyOperator.GoProxy.Storage.Eviction;
using ProxyOperator.GoProxy.SumDb;
using ProxyOperator.GoProxy.Upstream;
using ProxyOperator.Modules;

namespace ProxyOperator.GoProxy.Caching;

/// <summary>
/// Answers protocol requests: storage first, then one shared upstream fetch per artifact (singleflight), with the
/// caching rules of DESIGN §4: info/mod/zip immutable once stored, list/latest fresh for a TTL and served stale when
/// the upstreams fail, "not found" remembered briefly, nothing fetched in offline mode.
/// </summary>
public sealed partial class ModuleSource : IDisposable
{
    private const long MaxInfoBytes = 64 << 10;
    private const long MaxListBytes = 4 << 20;
    private const int CopyBufferSize = 64 << 10;

    private readonly IModuleStore _store;
    private readonly UpstreamChain _upstream;
    private readonly NotFoundCache _notFound;
    private readonly TimeProvider _time;
    private readonly ProxyOptions _options;
    private readonly ProxyMetrics _metrics;
    private readonly StorageHealth _storageHealth;
    private readonly IFetchLock _fetchLock;
    private readonly StoreActivity _activity;
    private readonly ChecksumVerifier _checksums;
    private readonly PrivateModuleFetcher? _private;
    private readonly ILogger<ModuleSource> _logger;
    private readonly CancellationToken _stopping;
    private readonly Singleflight<FetchOutcome> _flights = new();
    private readonly SemaphoreSlim _fetchSlots;

    public ModuleSource(
        IModuleStore store,
        UpstreamChain upstream,
        NotFoundCache notFound,
        TimeProvider time,
        IOptions<ProxyOptions> options,
        ProxyMetrics metrics,
        StorageHealth storageHealth,
        IFetchLock fetchLock,
        StoreActivity activity,
        IHostApplicationLifetime lifetime,
        ILogger<ModuleSource> logger,
        ChecksumVerifier checksums,
        PrivateModuleFetcher? privateModules = null)
    {
        _private = privateModules;
        _checksums = checksums;
        _storageHealth = storageHealth;
        _fetchLock = fetchLock;
        _activity = activity;
        _store = store;
        _upstream = upstream;
        _notFound = notFound;
        _time = time;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _stopping = lifetime.ApplicationStopping;
        _fetchSlots = new SemaphoreSlim(_options.UpstreamClient.MaxConcurrentFetches);
    }

    /// <summary>Flights running now; tests use it to see that waiters share one fetch.</summary>
    public int FetchesInFlight => _flights.InFlight;

    public void Dispose() => _fetchSlots.Dispose();

    /// <summary>An info, mod or zip for a canonical version.</summary>
    public async Task<ProxyAnswer> GetArtifactAsync(ArtifactKey key, CancellationToken cancellationToken)
    {
        var stored = await _store.OpenAsync(key, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            await _activity.RecordAccessAsync(key, cancellationToken).ConfigureAwait(false);
            return ProxyAnswer.Stored(stored, CacheResult.Hit);
        }

        if (_options.Offline)
        {
            return ProxyAnswer.NotFound($"{key} is not stored, and this proxy is offline");
        }

        var flightKey = key.ToString();
        if (_notFound.TryGet(flightKey, out var reason))
        {
            return ProxyAnswer.NotFound(reason, CacheResult.Hit);
        }

        var flight = _flights.RunAsync(flightKey, () => RunBoundedAsync(flightKey, token => FetchAcrossReplicasAsync(key, token)));
        var outcome = await AwaitFlightAsync(flightKey, flight, cancellationToken).ConfigureAwait(false);
        if (outcome.Status != UpstreamStatus.Found)
        {
            return outcome.ToFailure();
        }

        stored = await _store.OpenAsync(key, cancellationToken).ConfigureAwait(false);
        return stored is null
            ? ProxyAnswer.Failure(502, $"{key} was fetched but is no longer in storage")
            : ProxyAnswer.Stored(stored, CacheResult.Miss);
    }

    public async Task<ProxyAnswer> GetListAsync(ModulePath module, CancellationToken cancellationToken)
    {
        var key = ArtifactKey.ForList(module);
        if (_options.Offline)
        {
            // The stored list is the upstream's and may name versions never downloaded: offline, only what is
            // stored can be served, so only that is listed (GOPROXY-PROTOCOL.md §6).
            var versions = await StoredReleaseVersionsAsync(module, cancellationToken).ConfigureAwait(false);
            return versions.Count > 0
                ? ProxyAnswer.Content(ListBody(versions), CacheResult.Hit)
                : ProxyAnswer.NotFound($"{module}: no version is stored, and this proxy is offline");
        }

        var stored = await _store.OpenAsync(key, cancellationToken).ConfigureAwait(false);
        if (stored is not null && IsFresh(stored))
        {
            return ProxyAnswer.Stored(stored, CacheResult.Hit);
        }

        var outcome = await FetchMutableAsync(key, token => FetchListAsync(module, token), cancellationToken).ConfigureAwait(false);
        if (outcome.Status == UpstreamStatus.Found)
        {
            await DisposeAsync(stored).ConfigureAwait(false);
            return ProxyAnswer.Content(outcome.Body!, CacheResult.Miss);
        }

        if (outcome.Status == UpstreamStatus.NotFound || _options.Cache.StaleIfError)
        {
            // With every upstream failing, only stored versions can be served, so those are what the stale list
            // names; the upstream's last list is the fallback when none is stored yet.
            var held = await StoredReleaseVersionsAsync(module, cancellationToken).ConfigureAwait(false);
            if (held.Count > 0)
            {
                await DisposeAsync(stored).ConfigureAwait(false);
                Log.ServingStale(_logger, key.ToString(), outcome.Reason);
                return ProxyAnswer.Content(ListBody(held), CacheResult.Stale);
            }

            if (stored is not null)
            {
                Log.ServingStale(_logger, key.ToString(), outcome.Reason);
                return ProxyAnswer.Stored(stored, CacheResult.Stale);
            }
        }

        await DisposeAsync(stored).ConfigureAwait(false);
        return outcome.ToFailure();
    }

    public async Task<ProxyAnswer> GetLatestAsync(ModulePath module, CancellationToken cancellationToken)
    {
        var key = ArtifactKey.ForLatest(module);
        var stored = _options.Offline ? null : await _store.OpenAsync(key, cancellationToken).ConfigureAwait(false);
        if (stored is not null && IsFresh(stored))
        {
            return ProxyAnswer.Stored(stored, CacheResult.Hit);
        }

        if (!_options.Offline)
        {
            var outcome = await FetchMutableAsync(key, token => FetchLatestAsync(module, token), cancellationToken).ConfigureAwait(false);
            if (outcome.Status == UpstreamStatus.Found)
            {
                await DisposeAsync(stored).ConfigureAwait(false);
                return ProxyAnswer.Content(outcome.Body!, CacheResult.Miss);
            }

            if (outcome.Status == UpstreamStatus.Failed && !_options.Cache.StaleIfError)
            {
                await DisposeAsync(stored).ConfigureAwait(false);
                return outcome.ToFailure();
            }

            // A stored version beats the stored @latest answer, which may name a version never downloaded.
            var newest = await NewestStoredInfoAsync(module, cancellationToken).ConfigureAwait(false);
            if (newest is not null)
            {
                await DisposeAsync(stored).ConfigureAwait(false);
                Log.ServingStale(_logger, key.ToString(), outcome.Reason);
                return ProxyAnswer.Stored(newest, CacheResult.Stale);
            }

            if (stored is not null)
            {
                Log.ServingStale(_logger, key.ToString(), outcome.Reason);
                return ProxyAnswer.Stored(stored, CacheResult.Stale);
            }

            return outcome.ToFailure();
        }

        var offlineNewest = await NewestStoredInfoAsync(module, cancellationToken).ConfigureAwait(false);
        return offlineNewest is not null
            ? ProxyAnswer.Stored(offlineNewest, CacheResult.Hit)
            : ProxyAnswer.NotFound($"{module}: no version is stored, and this proxy is offline");
    }

    /// <summary>
    /// An <c>.info</c> for a query that is not a canonical version (a branch, <c>v1.2</c>): the answer can change,
    /// so it is passed through and not stored.
    /// </summary>
    public async Task<ProxyAnswer> QueryInfoAsync(ModulePath module, string query, CancellationToken cancellationToken)
    {
        if (_options.Offline)
        {
            return ProxyAnswer.NotFound($"{module}@{query} cannot be resolved: this proxy is offline");
        }

        var flightKey = $"{module}@{query}.info?query";
        if (_notFound.TryGet(flightKey, out var reason))
        {
            return ProxyAnswer.NotFound(reason, CacheResult.Hit);
        }

        var outcome = await JoinFlightAsync(flightKey, async token =>
        {
            var path = $"{module.Escaped}/@v/{(CaseEncoding.TryEscape(query, out var escaped) ? escaped : query)}.info";
            var result = await FetchAsync(module, query, path, "info", (response, ct) => ReadInfoAsync(response, module, expectedVersion: null, ct), token).ConfigureAwait(false);
            return Remember(flightKey, result, result.Value);
        }, cancellationToken).ConfigureAwait(false);
        return outcome.Status == UpstreamStatus.Found ? ProxyAnswer.Content(outcome.Body!, CacheResult.Miss) : outcome.ToFailure();
    }

    /// <summary>
    /// Private modules are fetched from their VCS and never asked of an upstream proxy, which would learn their paths
    /// (DESIGN §4); the rest go to the upstream chain.
    /// </summary>
    private Task<UpstreamResult<T>> FetchAsync<T>(ModulePath module, string? version, string relativePath, string kind,
        Func<HttpResponseMessage, CancellationToken, Task<T>> consume, CancellationToken cancellationToken) =>
        _private is not null && _private.Handles(module)
            ? _private.FetchAsync(module, version, kind, consume, cancellationToken)
            : _upstream.FetchAsync(relativePath, kind, consume, cancellationToken);

    private bool IsFresh(StoredArtifact stored) => _time.GetUtcNow() - stored.LastModified < _options.Cache.ListTtl;

    private async Task<FetchOutcome> FetchMutableAsync(ArtifactKey key, Func<CancellationToken, Task<FetchOutcome>> fetch, CancellationToken cancellationToken)
    {
        var flightKey = key.ToString();
        return _notFound.TryGet(flightKey, out var reason)
            ? new FetchOutcome(UpstreamStatus.NotFound, null, reason, false)
            : await JoinFlightAsync(flightKey, fetch, cancellationToken).ConfigureAwait(false);
    }

    private Task<FetchOutcome> JoinFlightAsync(string flightKey, Func<CancellationToken, Task<FetchOutcome>> fetch, CancellationToken cancellationToken) =>
        AwaitFlightAsync(flightKey, _flights.RunAsync(flightKey, () => RunBoundedAsync(flightKey, token => InFetchSlotAsync(fetch, token))), cancellationToken);

    private async Task<FetchOutcome> AwaitFlightAsync(string flightKey, Task<FetchOutcome> flight, CancellationToken cancellationToken)
    {
        try
        {
            return await flight.WaitAsync(_options.Cache.WaitTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return new FetchOutcome(UpstreamStatus.Failed, null,
                $"gave up after {_options.Cache.WaitTimeout.TotalSeconds:0}s waiting for the fetch of {flightKey}", TimedOut: true);
        }
    }

    /// <summary>
    /// One flight under its own deadline, tied to the host's shutdown rather than to any one client.
    /// </summary>
    private async Task<FetchOutcome> RunBoundedAsync(string flightKey, Func<CancellationToken, Task<FetchOutcome>> fetch)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        deadline.CancelAfter(_options.UpstreamClient.DownloadTimeout);
        try
        {
            return await fetch(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            var why = _stopping.IsCancellationRequested ? "the proxy is shutting down" : $"not done within {_options.UpstreamClient.DownloadTimeout.TotalSeconds:0}s";
            return new FetchOutcome(UpstreamStatus.Failed, null, $"fetch of {flightKey} abandoned: {why}", TimedOut: true);
        }
    }

    /// <summary>A fetch slot (cache hits never take one) for as long as the fetch runs.</summary>
    private async Task<FetchOutcome> InFetchSlotAsync(Func<CancellationToken, Task<FetchOutcome>> fetch, CancellationToken cancellationToken)
    {
        await _fetchSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var inFlight = _metrics.TrackUpstreamInFlight();
            return await fetch(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _fetchSlots.Release();
        }
    }

    /// <summary>
    /// One fetch of an immutable artifact for the fleet: the cross-replica lock is taken before a fetch slot, so a
    /// replica waiting for another's fetch holds no slot (waiters holding every slot on two replicas, each waiting
    /// for the other's holder to get one, would otherwise stall both until the download deadline).
    /// </summary>
    private async Task<FetchOutcome> FetchAcrossReplicasAsync(ArtifactKey key, CancellationToken cancellationToken)
    {
        var outcome = await _fetchLock.RunAsync(key.ToString(), token => IsStoredAsync(key, token),
            token => InFetchSlotAsync(t => FetchArtifactAsync(key, t), token), cancellationToken).ConfigureAwait(false);
        if (outcome.Status == UpstreamStatus.NotFound)
        {
            // Another replica's 404 is remembered here too, so the next request does not ask the fleet again.
            _notFound.Add(key.ToString(), outcome.Reason, _options.Cache.NotFoundTtl);
        }

        return outcome;
    }

    private async Task<bool> IsStoredAsync(ArtifactKey key, CancellationToken cancellationToken)
    {
        var stored = await _store.OpenAsync(key, cancellationToken).ConfigureAwait(false);
        await DisposeAsync(stored).ConfigureAwait(false);
        return stored is not null;
    }

    private async Task<FetchOutcome> FetchArtifactAsync(ArtifactKey key, CancellationToken cancellationToken)
    {
        // Pinned while written, so eviction cannot remove the version's other files under a fetch whose client left.
        using var pin = await _activity.PinAsync(key.Module, key.Version, cancellationToken).ConfigureAwait(false);
        // A flight that finished just before this one started may have stored it already.
        var stored = await _store.OpenAsync(key, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            await stored.DisposeAsync().ConfigureAwait(false);
            return FetchOutcome.Stored;
        }

        try
        {
            var result = await FetchAsync(key.Module, key.Version, key.RelativePath, key.Extension, (response, ct) => IngestAsync(key, response, ct), cancellationToken).ConfigureAwait(false);
            return Remember(key.ToString(), result, body: null);
        }
        catch (StorageFailureException e)
        {
            // 503, not 502: the upstream answered; this replica cannot keep what it sent until storage recovers.
            Log.StorageWriteFailed(_logger, key.ToString(), e.Message);
            _ = _storageHealth.ProbeAsync(CancellationToken.None);
            return new FetchOutcome(UpstreamStatus.Failed, null, $"{key} cannot be stored: {e.Message}", TimedOut: false, StatusCode: 503);
        }
    }

    private static async Task<T> StorageStepAsync<T>(Func<Task<T>> step)
    {
        try
        {
            return await step().ConfigureAwait(false);
        }
        catch (Exception e) when (StorageFailureException.IsStorageFault(e))
        {
            throw new StorageFailureException($"storage write failed: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    private FetchOutcome Remember<T>(string flightKey, UpstreamResult<T> result, byte[]? body)
    {
        switch (result.Status)
        {
            case UpstreamStatus.Found:
                return body is null ? FetchOutcome.Stored : FetchOutcome.Content(body);
            case UpstreamStatus.NotFound:
                _notFound.Add(flightKey, result.Reason, _options.Cache.NotFoundTtl);
                return FetchOutcome.From(result);
            default:
                return FetchOutcome.From(result);
        }
    }

    /// <summary>Streams an upstream answer into staged storage, checks it, and publishes it.</summary>
    private async Task<long> IngestAsync(ArtifactKey key, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var limit = key.Kind switch
        {
            ArtifactKind.Zip => ModuleZipLimits.MaxZipFile,
            ArtifactKind.Mod => ModuleZipLimits.MaxGoMod,
            _ => MaxInfoBytes,
        };
        var declared = response.Content.Headers.ContentLength;
        if (declared > limit)
        {
            throw new InvalidUpstreamContentException($"{declared} bytes is over the {limit}-byte limit for a module {key.Extension}");
        }

        await using var upload = await StorageStepAsync(() => _store.BeginUploadAsync(key, cancellationToken)).ConfigureAwait(false);
        long length;
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            length = await CopyAsync(body, upload.Content, limit, cancellationToken).ConfigureAwait(false);
        }

        if (declared is { } expected && expected != length)
        {
            throw new IOException($"body ended after {length} of {expected} bytes");
        }

        await CheckStagedAsync(key, upload, cancellationToken).ConfigureAwait(false);
        if (await StorageStepAsync(() => upload.CommitAsync(cancellationToken)).ConfigureAwait(false))
        {
            Log.Stored(_logger, key.ToString(), length);
            _activity.Committed();
        }

        return length;
    }

    private async Task CheckStagedAsync(ArtifactKey key, IArtifactUpload upload, CancellationToken cancellationToken)
    {
        var staged = await upload.OpenStagedAsync(cancellationToken).ConfigureAwait(false);
        await using (staged.ConfigureAwait(false))
        {
            string? problem = null;
            if (key.Kind == ArtifactKind.Zip)
            {
                var check = ModuleZip.Check(staged, key.Module, key.Version);
                if (!check.IsValid)
                {
                    problem = check.Errors.Count > 1 ? $"{check.Errors[0]} (and {check.Errors.Count - 1} more problems)" : (check.Errors.Count > 0 ? check.Errors[0] : "invalid module zip");
                }
            }
            else
            {
                // Info and mod are small: their size limits were enforced while copying.
                var bytes = new byte[staged.Length];
                await staged.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
                problem = key.Kind == ArtifactKind.Info ? CheckInfo(bytes, key.Module, key.Version, out _) : CheckGoMod(bytes);
            }

            if (problem is not null)
            {
                Log.Refused(_logger, key.ToString(), problem);
                throw new InvalidUpstreamContentException(problem);
            }
        }

        // Last, so malformed content costs no lookup; the verifier logs and counts its own refusals.
        if (await _checksums.RefusalAsync(key, upload, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            throw new InvalidUpstreamContentException(refusal);
        }
    }

    private async Task<FetchOutcome> FetchListAsync(ModulePath module, CancellationToken cancellationToken)
    {
        var key = ArtifactKey.ForList(module);
        var result = await FetchAsync(module, null, key.RelativePath, "list", async (response, ct) =>
        {
            var text = Encoding.UTF8.GetString(await ReadSmallAsync(response, MaxListBytes, ct).ConfigureAwait(false));
            var versions = new HashSet<string>(StringComparer.Ordinal);
            foreach (var line in text.Split('\n'))
            {
                // Like the go command, take the first field of each line and skip what is not a usable version.
                var field = line.Split(' ', '\t', '\r').FirstOrDefault(f => f.Length > 0);
                if (field is not null && IsListable(module, field))
                {
                    versions.Add(field);
                }
            }

            return versions;
        }, cancellationToken).ConfigureAwait(false);
        if (result.Status != UpstreamStatus.Found)
        {
            return Remember(key.ToString(), result, body: null);
        }

        // A version we hold stays servable, so it stays listed even when an upstream stops listing it.
        var versions = result.Value!;
        versions.UnionWith(await StoredReleaseVersionsAsync(module, cancellationToken).ConfigureAwait(false));
        var body = ListBody(versions);
        await SaveMutableAsync(key, body, cancellationToken).ConfigureAwait(false);
        return FetchOutcome.Content(body);
    }

    private async Task<FetchOutcome> FetchLatestAsync(ModulePath module, CancellationToken cancellationToken)
    {
        var key = ArtifactKey.ForLatest(module);
        var result = await FetchAsync(module, null, key.RelativePath, "latest",
            (response, ct) => ReadInfoAsync(response, module, expectedVersion: null, ct), cancellationToken).ConfigureAwait(false);
        if (result.Status != UpstreamStatus.Found)
        {
            return Remember(key.ToString(), result, body: null);
        }

        await SaveMutableAsync(key, result.Value!, cancellationToken).ConfigureAwait(false);
        return FetchOutcome.Content(result.Value!);
    }

    /// <summary>
    /// Keeps a list or latest answer for the TTL. A store that cannot take it costs only the cache: the answer the
    /// upstream gave is still served (DESIGN §4, degraded, not down).
    /// </summary>
    private async Task SaveMutableAsync(ArtifactKey key, byte[] body, CancellationToken cancellationToken)
    {
        try
        {
            var upload = await _store.BeginUploadAsync(key, cancellationToken).ConfigureAwait(false);
            await using (upload.ConfigureAwait(false))
            {
                await upload.Content.WriteAsync(body, cancellationToken).ConfigureAwait(false);
                await upload.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (StorageFailureException.IsStorageFault(e))
        {
            Log.StorageWriteFailed(_logger, key.ToString(), e.Message.ReplaceLineEndings(" "));
            _ = _storageHealth.ProbeAsync(CancellationToken.None);
        }
    }

    private static async Task<byte[]> ReadInfoAsync(HttpResponseMessage response, ModulePath module, string? expectedVersion, CancellationToken cancellationToken)
    {
        var bytes = await ReadSmallAsync(response, MaxInfoBytes, cancellationToken).ConfigureAwait(false);
        var problem = CheckInfo(bytes, module, expectedVersion, out _);
        return problem is null ? bytes : throw new InvalidUpstreamContentException(problem);
    }

    /// <summary>
    /// The go command fails on an info whose Version differs from the canonical version asked for, or whose Time is
    /// not RFC 3339 (GOPROXY-PROTOCOL.md §4), so such content is refused rather than stored.
    /// </summary>
    internal static string? CheckInfo(byte[] bytes, ModulePath module, string? expectedVersion, out string version)
    {
        version = "";
        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("Version", out var versionElement) ||
                versionElement.ValueKind != JsonValueKind.String)
            {
                return "info has no Version";
            }

            version = versionElement.GetString()!;
            if (expectedVersion is not null && version != expectedVersion)
            {
                return $"info is for version {version}, not {expectedVersion}";
            }

            if (ModuleVersion.Check(module, version) is { } versionProblem)
            {
                return $"info names an unusable version: {versionProblem}";
            }

            if (document.RootElement.TryGetProperty("Time", out var time) &&
                (time.ValueKind != JsonValueKind.String || !IsRfc3339(time.GetString()!)))
            {
                return "info Time is not an RFC 3339 time";
            }

            return null;
        }
        catch (JsonException e)
        {
            return $"info is not JSON: {e.Message.ReplaceLineEndings(" ")}";
        }
    }

    /// <summary>Go's time.RFC3339 layout: a 'T', seconds, optional fraction, and a 'Z' or numeric offset.</summary>
    internal static bool IsRfc3339(string text) =>
        Rfc3339().IsMatch(text) &&
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _);

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial System.Text.RegularExpressions.Regex Rfc3339();

    /// <summary>
    /// The go command parses every .mod it downloads; an HTML error page or an empty body stored as a .mod would
    /// break that version for good, so a .mod must at least declare its module.
    /// </summary>
    internal static string? CheckGoMod(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IndexOf((byte)0) >= 0)
        {
            return "go.mod contains a NUL byte";
        }

        var text = Encoding.UTF8.GetString(bytes);
        return GoModModuleLine().IsMatch(text) ? null : "go.mod has no module directive";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[ \t]*module[ \t(]", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex GoModModuleLine();

    private static bool IsListable(ModulePath module, string version) =>
        ModuleVersion.Check(module, version) is null && !PseudoVersion.IsPseudo(version);

    private async Task<List<string>> StoredReleaseVersionsAsync(ModulePath module, CancellationToken cancellationToken)
    {
        var stored = await _store.ListVersionsAsync(module, cancellationToken).ConfigureAwait(false);
        return stored.Where(v => !PseudoVersion.IsPseudo(v)).ToList();
    }

    /// <summary>The info of the version <c>@latest</c> would pick among stored ones: release, then pre-release, then pseudo.</summary>
    private async Task<StoredArtifact?> NewestStoredInfoAsync(ModulePath module, CancellationToken cancellationToken)
    {
        var versions = await _store.ListVersionsAsync(module, cancellationToken).ConfigureAwait(false);
        if (versions.Count == 0)
        {
            return null;
        }

        var newest = versions.Where(v => SemVer.Prerelease(v).Length == 0).LastOrDefault()
            ?? versions.Where(v => !PseudoVersion.IsPseudo(v)).LastOrDefault()
            ?? versions[^1];
        return await _store.OpenAsync(ArtifactKey.ForVersion(module, ArtifactKind.Info, newest), cancellationToken).ConfigureAwait(false);
    }

    private static byte[] ListBody(IEnumerable<string> versions)
    {
        var sorted = versions.Distinct(StringComparer.Ordinal).ToList();
        SemVer.Sort(sorted);
        var builder = new StringBuilder();
        foreach (var version in sorted)
        {
            builder.Append(version).Append('\n');
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static async Task<byte[]> ReadSmallAsync(HttpResponseMessage response, long limit, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > limit)
        {
            throw new InvalidUpstreamContentException($"answer of {response.Content.Headers.ContentLength} bytes is over the {limit}-byte limit");
        }

        using var buffer = new MemoryStream();
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            await new ModuleSourceCopier(CopyBufferSize).CopyAsync(body, buffer, limit, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        }

        return buffer.ToArray();
    }

    private Task<long> CopyAsync(Stream source, Stream destination, long limit, CancellationToken cancellationToken) =>
        new ModuleSourceCopier(CopyBufferSize).CopyAsync(source, destination, limit, _options.UpstreamClient.IdleTimeout, cancellationToken);

    private static ValueTask DisposeAsync(StoredArtifact? stored) => stored?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>Copies with a pooled buffer, a size limit and an idle deadline that restarts on every read.</summary>
    private readonly struct ModuleSourceCopier(int bufferSize)
    {
        public async Task<long> CopyAsync(Stream source, Stream destination, long limit, TimeSpan idleTimeout, CancellationToken cancellationToken)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            try
            {
                long total = 0;
                while (true)
                {
                    idle.CancelAfter(idleTimeout);
                    int read;
                    try
                    {
                        read = await source.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new TimeoutException($"no data for {idleTimeout.TotalSeconds:0.###}s after {total} bytes");
                    }

                    if (read == 0)
                    {
                        return total;
                    }

                    total += read;
                    if (total > limit)
                    {
                        throw new InvalidUpstreamContentException($"answer is over the {limit}-byte limit");
                    }

                    try
                    {
                        await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (StorageFailureException.IsStorageFault(e))
                    {
                        throw new StorageFailureException($"storage write failed: {e.Message.ReplaceLineEndings(" ")}", e);
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
