using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyOperator.GoProxy.Configuration;
using ProxyOperator.GoProxy.Observability;

namespace ProxyOperator.GoProxy.Storage.Eviction;

/// <summary>
/// Keeps stored info, mod and zip bytes under <c>storage.maxSize</c>: after each commit (and every
/// <c>storage.evictionInterval</c>, for what other replicas stored) it compares usage with the bound and, when over,
/// removes least-recently-used module versions, each as a unit, until usage is at the low-water mark.
/// </summary>
/// <remarks>
/// Evicting down to 90% rather than to the bound itself leaves room for the next commits, so a full store does not
/// walk the whole tree after every miss. Usage can pass the bound only by what is committed before the next pass and
/// by versions that are pinned (being served or written): in steady state by at most one artifact.
/// List and @latest answers are not counted: they are small and expire by TTL; removing a version also removes its
/// module's stored list and latest, which may name it.
/// </remarks>
public sealed class EvictionService(
    IModuleStore store,
    StoreActivity activity,
    ProxyMetrics metrics,
    IOptions<ProxyOptions> options,
    ILogger<EvictionService> logger) : BackgroundService
{
    private const int LowWaterPercent = 90;

    private readonly SemaphoreSlim _pass = new(1, 1);

    /// <summary>The bound in bytes; null when eviction is off.</summary>
    public long? MaxBytes => options.Value.Storage.MaxBytes;

    public override void Dispose()
    {
        _pass.Dispose();
        base.Dispose();
    }

    /// <summary>One pass: evicts when usage is over the bound. Returns the versions removed. Passes never overlap.</summary>
    public async Task<int> EvictAsync(CancellationToken cancellationToken)
    {
        if (MaxBytes is not { } max || store is not IStoreMaintenance maintenance)
        {
            return 0;
        }

        await _pass.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var used = (await store.GetUsageAsync(cancellationToken).ConfigureAwait(false)).Bytes;
            if (used <= max)
            {
                return 0;
            }

            var lowWater = max / 100 * LowWaterPercent;
            var candidates = new List<StoredVersion>();
            await foreach (var version in maintenance.EnumerateVersionsAsync(cancellationToken).ConfigureAwait(false))
            {
                candidates.Add(version);
            }

            // Oldest use first; ties (a batch stored in one second) broken by name so the order is reproducible.
            candidates.Sort((a, b) => a.LastAccess != b.LastAccess
                ? a.LastAccess.CompareTo(b.LastAccess)
                : string.CompareOrdinal($"{a.Module}@{a.Version}", $"{b.Module}@{b.Version}"));
            var before = used;
            var evicted = 0;
            foreach (var candidate in candidates)
            {
                if (used <= lowWater)
                {
                    break;
                }

                using var claim = activity.TryClaimForEviction(candidate.Module, candidate.Version);
                if (claim is null)
                {
                    continue;
                }

                var freed = await maintenance.DeleteVersionAsync(candidate.Module, candidate.Version, cancellationToken).ConfigureAwait(false);
                if (freed > 0)
                {
                    used -= freed;
                    evicted++;
                    metrics.RecordEviction(freed);
                    EvictionLog.EvictedVersion(logger, candidate.Module.Value, candidate.Version, freed, candidate.LastAccess);
                }
            }

            if (evicted > 0)
            {
                EvictionLog.Evicted(logger, evicted, before - used, before, max);
            }

            if (used > max)
            {
                EvictionLog.StillOver(logger, used, max, activity.ActiveVersions);
            }

            return evicted;
        }
        finally
        {
            _pass.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (MaxBytes is null)
        {
            return;
        }

        var interval = options.Value.Storage.EvictionInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await EvictAsync(stoppingToken).ConfigureAwait(false);
                await activity.WaitForCommitAsync(interval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (StorageFailureException.IsStorageFault(e))
            {
                // A store that fails now (disk error, bucket unreachable) is retried at the next interval; serving
                // does not depend on eviction.
                EvictionLog.PassFailed(logger, e.Message.ReplaceLineEndings(" "));
                await Task.Delay(interval, stoppingToken).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }
}
