using Prometheus;

namespace ProxyOperator.GoProxy.Observability;

/// <summary>
/// Every metric the proxy exports, named in one place. Each host gets its own registry so that several proxies
/// in one test process do not share counters.
/// </summary>
public sealed class ProxyMetrics
{
    private static readonly double[] DurationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

    private readonly Counter _requests;
    private readonly Histogram _requestDuration;
    private readonly Counter _bytesServed;
    private readonly Gauge _inFlight;
    private readonly Histogram _upstreamDuration;
    private readonly Counter _upstreamErrors;
    private readonly Gauge _upstreamInFlight;
    private readonly Counter _lockAcquisitions;
    private readonly Counter _lockWaits;
    private readonly Counter _lockTakeovers;
    private readonly Counter _lockFallbacks;
    private readonly Counter _evictions;
    private readonly Counter _evictedBytes;
    private readonly Counter _checksumMismatches;
    private readonly Counter _checksumChecks;
    private long _evictionCount;
    private long _hits;
    private long _misses;

    public ProxyMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        _requests = factory.CreateCounter("goproxy_requests_total", "Protocol requests by endpoint, status code and cache result.",
            new CounterConfiguration { LabelNames = ["endpoint", "code", "cache"] });
        _requestDuration = factory.CreateHistogram("goproxy_request_duration_seconds", "Time to answer a protocol request.",
            new HistogramConfiguration { LabelNames = ["endpoint", "cache"], Buckets = DurationBuckets });
        _bytesServed = factory.CreateCounter("goproxy_served_bytes_total", "Body bytes sent to clients.",
            new CounterConfiguration { LabelNames = ["endpoint"] });
        _inFlight = factory.CreateGauge("goproxy_requests_in_flight", "Protocol requests being answered.");
        _upstreamDuration = factory.CreateHistogram("goproxy_upstream_fetch_duration_seconds", "Time of one upstream fetch, retries included.",
            new HistogramConfiguration { LabelNames = ["endpoint", "result"], Buckets = DurationBuckets });
        _upstreamErrors = factory.CreateCounter("goproxy_upstream_errors_total", "Upstream fetches that failed (not counting 404/410).",
            new CounterConfiguration { LabelNames = ["endpoint", "reason"] });
        _upstreamInFlight = factory.CreateGauge("goproxy_upstream_fetches_in_flight", "Upstream fetches running now.");
        CachedArtifacts = factory.CreateGauge("goproxy_cache_artifacts", "Stored info, mod and zip files.");
        CachedBytes = factory.CreateGauge("goproxy_cache_bytes", "Size of stored info, mod and zip files.");
        StorageReady = factory.CreateGauge("goproxy_storage_ready", "1 when the store accepted the latest write probe.");
        _lockAcquisitions = factory.CreateCounter("goproxy_lock_acquisitions_total", "Cross-replica fetch locks this replica took, so it fetched the artifact itself.");
        _lockWaits = factory.CreateCounter("goproxy_lock_waits_total", "Fetches this replica left to another replica holding the lock, and waited for.");
        _lockTakeovers = factory.CreateCounter("goproxy_lock_takeovers_total", "Locks taken after waiting for a holder that gave no result (it died or gave up).");
        _lockFallbacks = factory.CreateCounter("goproxy_lock_fallbacks_total", "Fetches done without the cross-replica lock because its backend was unreachable.");
        // Absent until a lock backend reports: with lock type none there is nothing to be reachable.
        LockBackendReachable = factory.CreateGauge("goproxy_lock_backend_reachable", "1 when the cross-replica lock backend answered its latest command.",
            new GaugeConfiguration { SuppressInitialValue = true });
        _evictions = factory.CreateCounter("goproxy_evictions_total", "Module versions (info, mod and zip together) removed to keep the store under storage.maxSize.");
        _evictedBytes = factory.CreateCounter("goproxy_evicted_bytes_total", "Bytes freed by eviction.");
        _checksumMismatches = factory.CreateCounter("goproxy_checksum_mismatches_total", "Fetched .mod or .zip files refused because their h1: hash differs from the checksum database's.");
        _checksumChecks = factory.CreateCounter("goproxy_checksum_verifications_total", "Checks of fetched .mod and .zip files against the checksum database, by result (verified, mismatch, unverifiable).",
            new CounterConfiguration { LabelNames = ["result"] });
        // Absent without storage.maxSize: there is no bound to report.
        CacheMaxBytes = factory.CreateGauge("goproxy_cache_max_bytes", "storage.maxSize: the bound eviction keeps the store under.",
            new GaugeConfiguration { SuppressInitialValue = true });
    }

    public CollectorRegistry Registry { get; }

    public Gauge CachedArtifacts { get; }

    public Gauge CachedBytes { get; }

    public Gauge StorageReady { get; }

    public Gauge LockBackendReachable { get; }

    public Gauge CacheMaxBytes { get; }

    /// <summary>Versions evicted since start, for <c>/status</c>.</summary>
    public long Evictions => Interlocked.Read(ref _evictionCount);

    public long CacheHits => Interlocked.Read(ref _hits);

    public long CacheMisses => Interlocked.Read(ref _misses);

    public IDisposable TrackInFlight() => _inFlight.TrackInProgress();

    public IDisposable TrackUpstreamInFlight() => _upstreamInFlight.TrackInProgress();

    public void RecordLockAcquired() => _lockAcquisitions.Inc();

    public void RecordLockWait() => _lockWaits.Inc();

    public void RecordLockTakeover() => _lockTakeovers.Inc();

    public void RecordLockFallback() => _lockFallbacks.Inc();

    public void RecordChecksumCheck(string result)
    {
        _checksumChecks.WithLabels(result).Inc();
        if (result == "mismatch")
        {
            _checksumMismatches.Inc();
        }
    }

    public void RecordEviction(long bytes)
    {
        Interlocked.Increment(ref _evictionCount);
        _evictions.Inc();
        _evictedBytes.Inc(bytes);
    }

    public void RecordRequest(string endpoint, int statusCode, CacheResult cache, TimeSpan duration, long bytes)
    {
        var cacheLabel = cache.ToLabel();
        _requests.WithLabels(endpoint, statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), cacheLabel).Inc();
        _requestDuration.WithLabels(endpoint, cacheLabel).Observe(duration.TotalSeconds);
        if (bytes > 0)
        {
            _bytesServed.WithLabels(endpoint).Inc(bytes);
        }

        // Stale answers count as misses: the client got old data because the fetch it needed did not work.
        if (cache == CacheResult.Hit)
        {
            Interlocked.Increment(ref _hits);
        }
        else if (cache is CacheResult.Miss or CacheResult.Stale)
        {
            Interlocked.Increment(ref _misses);
        }
    }

    public void RecordUpstreamFetch(string endpoint, string result, TimeSpan duration)
    {
        _upstreamDuration.WithLabels(endpoint, result).Observe(duration.TotalSeconds);
        if (result is "error" or "timeout")
        {
            _upstreamErrors.WithLabels(endpoint, result).Inc();
        }
    }
}
