using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyOperator.GoProxy.Caching.Locks;
using ProxyOperator.GoProxy.Configuration;
using ProxyOperator.GoProxy.Filters;
using ProxyOperator.GoProxy.Observability;
using ProxyOperator.GoProxy.Storage;
using ProxyOperator.GoProxy.Upstream;

namespace ProxyOperator.GoProxy.Health;

/// <summary>Probes for Kubernetes and the JSON status the operator reads.</summary>
public static class HealthEndpoints
{
    public static string ProxyVersion { get; } =
        typeof(HealthEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static void MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Liveness checks the process only: restarting a pod never fixes a full disk or a down upstream.
        endpoints.MapGet("/healthz", () => Results.Text("ok\n"));

        // Readiness checks storage, never the upstream: a fleet whose upstream is down still serves its cache.
        // Nor the lock backend (DESIGN §4 allowed it): without Redis each replica still fetches, only once per replica
        // instead of once per fleet, so a down Redis taking every replica out of the Service would turn a small cost
        // into an outage. It shows in /status (lock.reachable) and goproxy_lock_backend_reachable instead.
        endpoints.MapGet("/readyz", async (StorageHealth storage, ILogger<StorageHealth> logger, CancellationToken cancellationToken) =>
        {
            if (await storage.ProbeAsync(cancellationToken).ConfigureAwait(false))
            {
                return Results.Text("ready\n");
            }

            Log.StorageNotWritable(logger, storage.LastError ?? "");
            return Results.Text($"storage not writable: {storage.LastError}\n", statusCode: 503);
        });

        endpoints.MapGet("/status", async (HttpContext context, StatusBuilder builder) =>
        {
            var report = await builder.BuildAsync(context.RequestAborted).ConfigureAwait(false);
            context.Response.ContentType = "application/json";
            context.Response.Headers.CacheControl = "no-store";
            await JsonSerializer.SerializeAsync(context.Response.Body, report, StatusJsonContext.Default.StatusReport, context.RequestAborted).ConfigureAwait(false);
        });
    }
}

/// <summary>Gathers <see cref="StatusReport"/> from the parts that own each figure.</summary>
public sealed class StatusBuilder(
    IModuleStore store,
    StorageHealth storage,
    UpstreamHealth upstream,
    ProxyMetrics metrics,
    IOptions<ProxyOptions> options,
    TimeProvider time,
    IFetchLock fetchLock,
    ModuleFilter? filters = null)
{
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    public async Task<StatusReport> BuildAsync(CancellationToken cancellationToken)
    {
        var storageReady = await storage.ProbeAsync(cancellationToken).ConfigureAwait(false);
        var lockState = await fetchLock.ProbeAsync(cancellationToken).ConfigureAwait(false);
        StoreUsage usage;
        try
        {
            usage = await store.GetUsageAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StorageFailureException)
        {
            // storage.ready and storage.error already say why; the figures are unknown, not an error of /status.
            usage = new StoreUsage(0, 0);
        }

        var hits = metrics.CacheHits;
        var misses = metrics.CacheMisses;
        var upstreamHealth = upstream.Snapshot();
        var proxies = options.Value.Offline || !UpstreamList.TryParse(options.Value.Upstream, out var list, out _)
            ? []
            : list.Proxies.Select(p => p.DisplayName).ToList();
        var now = time.GetUtcNow();
        return new StatusReport(
            HealthEndpoints.ProxyVersion,
            _startedAt,
            Math.Round((now - _startedAt).TotalSeconds, 3),
            storageReady,
            options.Value.Offline ? "offline" : "online",
            new StorageStatus(store.Kind, storageReady, storage.LastError),
            new CacheStatus(hits, misses, hits + misses == 0 ? 0 : Math.Round((double)hits / (hits + misses), 4), usage.Artifacts, usage.Bytes,
                options.Value.Storage.MaxBytes, metrics.Evictions),
            new UpstreamStatusReport(!options.Value.Offline && upstreamHealth.Reachable, proxies, upstreamHealth.LastSuccess,
                upstreamHealth.LastFailure, upstreamHealth.LastError, upstreamHealth.Errors),
            new LockStatus(fetchLock.Kind, lockState.Reachable, lockState.Error),
            filters?.Status);
    }
}
