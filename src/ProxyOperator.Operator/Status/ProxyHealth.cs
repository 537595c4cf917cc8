using System.Globalization;
using ProxyOperator.Operator.Api;

namespace ProxyOperator.Operator.Status;

/// <summary>A condition as the proxies' answers decide it; <see cref="Status"/> is "True", "False" or "Unknown".</summary>
internal sealed record ProxyCondition(string Type, string Status, string Reason, string Message);

/// <summary>
/// What the fleet's answers add up to: <c>status.cache</c> (null when no pod answered: keep the previous one), the
/// UpstreamReachable and StorageReady conditions, and whether every ready pod is healthy, with the pods that are not
/// named in <see cref="HealthMessage"/>.
/// </summary>
internal sealed record FleetHealth(CacheStatus? Cache, ProxyCondition UpstreamReachable, ProxyCondition StorageReady, bool AllHealthy, string HealthMessage);

/// <summary>Adds up what the proxy pods reported on <c>GET /status</c>: a pure function of one poll.</summary>
internal static class ProxyHealth
{
    // A condition message names this many pods, then counts the rest: a large fleet with a common fault would
    // otherwise write one line per pod into the status.
    private const int PodsNamed = 5;

    /// <param name="proxies">One poll, as <see cref="ProxyStatusPoller.PollAsync"/> returns it.</param>
    /// <param name="sharedStorage">
    /// True when all pods use one store (S3, or a ReadWriteMany disk): each pod then reports the size of that same
    /// store, so the sizes are not added up. False for a volume per replica (StatefulSet) or an emptyDir per pod
    /// (Ephemeral), where each pod holds its own cache and the fleet's is their sum.
    /// </param>
    public static FleetHealth Summarize(IReadOnlyList<PolledProxy> proxies, bool sharedStorage)
    {
        ArgumentNullException.ThrowIfNull(proxies);
        var answered = proxies.Where(p => p.Answer is not null).OrderBy(p => p.Report.Pod, StringComparer.Ordinal).ToList();
        var ready = proxies.Where(p => p.Report.Ready == true).OrderBy(p => p.Report.Pod, StringComparer.Ordinal).ToList();
        var unhealthy = ready.Where(p => p.Report.Healthy != true).ToList();
        var allHealthy = ready.Count > 0 && unhealthy.Count == 0;
        var healthMessage = ready.Count == 0 ? "no proxy pod is ready"
            : allHealthy ? Count(ready.Count, "ready proxy", "ready proxies") + " healthy"
            : Listed(unhealthy.Select(p => $"pod {p.Report.Pod}: {p.Report.Message}").ToList());
        return new FleetHealth(Cache(proxies, answered, sharedStorage), Upstream(answered), Storage(answered), allHealthy, healthMessage);
    }

    private static CacheStatus? Cache(IReadOnlyList<PolledProxy> proxies, List<PolledProxy> answered, bool sharedStorage)
    {
        if (answered.Count == 0)
        {
            return null;
        }

        // Weighted by requests: a pod that served ten requests must not move the fleet's ratio as much as one that
        // served ten thousand, which averaging the pods' own ratios would do.
        long hits = 0, misses = 0;
        foreach (var answer in answered.Select(p => p.Answer!))
        {
            hits += answer.Cache?.Hits ?? 0;
            misses += answer.Cache?.Misses ?? 0;
        }

        // Shared: the answering pods measured the same store moments apart, so the largest is the latest figure
        // (the sum would count the store once per pod). Per replica: a pod that did not answer still has its volume,
        // so its last known figures count too.
        var figures = (sharedStorage ? answered : proxies).Select(p => p.Report).ToList();
        var artifacts = figures.Select(r => r.CachedArtifacts ?? 0);
        var bytes = figures.Select(r => r.CacheBytes ?? 0);
        return new CacheStatus
        {
            // The proxy reports 0 before its first request; the fleet does the same.
            HitRatio = hits + misses == 0 ? 0 : Math.Round((double)hits / (hits + misses), 4),
            Artifacts = sharedStorage ? artifacts.DefaultIfEmpty().Max() : artifacts.Sum(),
            Bytes = sharedStorage ? bytes.DefaultIfEmpty().Max() : bytes.Sum(),
        };
    }

    private static ProxyCondition Upstream(List<PolledProxy> answered)
    {
        const string Type = ConditionTypes.UpstreamReachable;
        if (answered.Count == 0)
        {
            return NoAnswer(Type);
        }

        // An offline proxy reports its upstream unreachable because it never asks one (HealthEndpoints.cs): that is
        // not a fault. During a switch between modes only the online pods are judged.
        var online = answered.Where(p => !p.Answer!.Offline).ToList();
        if (online.Count == 0)
        {
            return new ProxyCondition(Type, "Unknown", ConditionReasons.Offline, "the proxies run offline and never contact an upstream");
        }

        var failing = online.Where(p => p.Answer!.Upstream?.Reachable != true).ToList();
        return failing.Count == 0
            ? new ProxyCondition(Type, "True", ConditionReasons.Reachable, Count(online.Count, "proxy reaches", "proxies reach") + " the upstream")
            : new ProxyCondition(Type, "False", ConditionReasons.Unreachable,
                Listed(failing.Select(p => $"pod {p.Report.Pod}: {p.Answer!.Upstream?.LastError ?? "upstream unreachable"}").ToList()));
    }

    private static ProxyCondition Storage(List<PolledProxy> answered)
    {
        const string Type = ConditionTypes.StorageReady;
        if (answered.Count == 0)
        {
            return NoAnswer(Type);
        }

        var failing = answered.Where(p => p.Answer!.Storage?.Ready != true).ToList();
        return failing.Count == 0
            ? new ProxyCondition(Type, "True", ConditionReasons.Writable, Count(answered.Count, "proxy writes", "proxies write") + " to " + Kinds(answered) + "storage")
            : new ProxyCondition(Type, "False", ConditionReasons.NotWritable,
                Listed(failing.Select(p => $"pod {p.Report.Pod}: {p.Answer!.Storage?.Error ?? "storage not ready"}").ToList()));
    }

    /// <summary>The storage kind the pods report (disk, s3), so the status says what the fleet stores on; several during a switch.</summary>
    private static string Kinds(List<PolledProxy> answered)
    {
        var kinds = answered.Select(p => p.Answer!.Storage?.Kind).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return kinds.Count == 0 ? "" : string.Join(" and ", kinds) + " ";
    }

    private static ProxyCondition NoAnswer(string type) =>
        new(type, "Unknown", ConditionReasons.NoProxyAnswered, "no proxy pod answered GET /status");

    private static string Count(int n, string one, string many) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {(n == 1 ? one : many)}");

    private static string Listed(List<string> items) =>
        items.Count <= PodsNamed
            ? string.Join("; ", items)
            : string.Join("; ", items.Take(PodsNamed)) + string.Create(CultureInfo.InvariantCulture, $"; and {items.Count - PodsNamed} more");
}
