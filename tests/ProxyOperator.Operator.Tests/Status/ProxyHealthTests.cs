using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Status;

namespace ProxyOperator.Operator.Tests.Status;

/// <summary>The fleet's figures and conditions from one poll: pure arithmetic over the pods' answers.</summary>
public sealed class ProxyHealthTests
{
    private static PolledProxy Answered(string pod, long hits, long misses, long artifacts, long bytes,
        bool upstreamReachable = true, string? upstreamError = null, bool storageReady = true, string? storageError = null, string mode = "online")
    {
        var answer = new ProxyStatusAnswer("1.0.0", storageReady, mode, new StorageAnswer(storageReady, storageError),
            new CacheAnswer(hits, misses, hits + misses == 0 ? 0 : (double)hits / (hits + misses), artifacts, bytes),
            new UpstreamAnswer(upstreamReachable, upstreamError, upstreamReachable ? 0 : 1));
        var report = new ProxyReport
        {
            Pod = pod,
            Ready = true,
            Healthy = storageReady,
            Message = storageReady ? null : $"storage not ready: {storageError}",
            CachedArtifacts = artifacts,
            CacheBytes = bytes,
        };
        return new PolledProxy(report, answer);
    }

    private static PolledProxy Silent(string pod, long? artifacts = null, long? bytes = null, bool ready = true) => new(new ProxyReport
    {
        Pod = pod,
        Ready = ready,
        Healthy = false,
        Message = ready ? "no answer: connection refused" : "pod not ready",
        CachedArtifacts = artifacts,
        CacheBytes = bytes,
    }, null);

    [Fact]
    public void The_hit_ratio_is_weighted_by_each_proxys_requests_not_averaged_over_pods()
    {
        // 90% of 100 requests and 0% of 900: 90 hits in 1000 requests, where the mean of the ratios would say 45%.
        var fleet = ProxyHealth.Summarize([Answered("a", 90, 10, 1, 1), Answered("b", 0, 900, 1, 1)], sharedStorage: true);

        Assert.Equal(0.09, fleet.Cache!.HitRatio);
    }

    [Fact]
    public void A_fleet_that_served_nothing_yet_has_a_hit_ratio_of_zero_like_each_proxy()
    {
        var fleet = ProxyHealth.Summarize([Answered("a", 0, 0, 0, 0)], sharedStorage: true);

        Assert.Equal(0, fleet.Cache!.HitRatio);
    }

    [Fact]
    public void Shared_storage_counts_the_one_store_once_taking_the_latest_figure_of_the_pods_that_answered()
    {
        // Two pods read the same store moments apart; the silent pod's old figure is not the store's size now.
        var fleet = ProxyHealth.Summarize([Answered("a", 1, 1, 10, 1000), Answered("b", 1, 1, 11, 1100), Silent("c", 99, 9900)], sharedStorage: true);

        Assert.Equal(11, fleet.Cache!.Artifacts);
        Assert.Equal(1100, fleet.Cache.Bytes);
    }

    [Fact]
    public void Per_replica_storage_adds_up_every_pods_cache_including_the_last_figures_of_a_pod_that_did_not_answer()
    {
        // The silent pod's volume still holds what it last reported.
        var fleet = ProxyHealth.Summarize([Answered("a", 1, 1, 10, 1000), Answered("b", 1, 1, 11, 1100), Silent("c", 5, 500), Silent("d")], sharedStorage: false);

        Assert.Equal(26, fleet.Cache!.Artifacts);
        Assert.Equal(2600, fleet.Cache.Bytes);
    }

    [Fact]
    public void Without_any_answer_there_is_no_cache_figure_and_both_conditions_are_unknown()
    {
        var fleet = ProxyHealth.Summarize([Silent("a", 5, 500)], sharedStorage: false);

        Assert.Null(fleet.Cache);
        Assert.Equal(new ProxyCondition(ConditionTypes.UpstreamReachable, "Unknown", ConditionReasons.NoProxyAnswered, "no proxy pod answered GET /status"), fleet.UpstreamReachable);
        Assert.Equal(new ProxyCondition(ConditionTypes.StorageReady, "Unknown", ConditionReasons.NoProxyAnswered, "no proxy pod answered GET /status"), fleet.StorageReady);
        Assert.False(fleet.AllHealthy);
        Assert.Equal("pod a: no answer: connection refused", fleet.HealthMessage);
    }

    [Fact]
    public void UpstreamReachable_is_false_naming_each_pod_that_cannot_reach_it_with_its_error()
    {
        var fleet = ProxyHealth.Summarize(
        [
            Answered("b", 1, 1, 1, 1, upstreamReachable: false, upstreamError: "https://proxy.golang.org did not answer x within 30s"),
            Answered("a", 1, 1, 1, 1),
            Answered("c", 1, 1, 1, 1, upstreamReachable: false, upstreamError: "https://proxy.golang.org unreachable for y: connection refused"),
        ], sharedStorage: true);

        Assert.Equal(new ProxyCondition(ConditionTypes.UpstreamReachable, "False", ConditionReasons.Unreachable,
            "pod b: https://proxy.golang.org did not answer x within 30s; pod c: https://proxy.golang.org unreachable for y: connection refused"), fleet.UpstreamReachable);
    }

    [Fact]
    public void Offline_proxies_never_ask_an_upstream_so_UpstreamReachable_is_unknown_not_false()
    {
        var offline = ProxyHealth.Summarize([Answered("a", 1, 1, 1, 1, upstreamReachable: false, mode: "offline")], sharedStorage: true);
        var switching = ProxyHealth.Summarize(
            [Answered("a", 1, 1, 1, 1, upstreamReachable: false, mode: "offline"), Answered("b", 1, 1, 1, 1)], sharedStorage: true);

        Assert.Equal(("Unknown", ConditionReasons.Offline), (offline.UpstreamReachable.Status, offline.UpstreamReachable.Reason));
        Assert.Equal(("True", "1 proxy reaches the upstream"), (switching.UpstreamReachable.Status, switching.UpstreamReachable.Message));
    }

    [Fact]
    public void StorageReady_is_false_naming_each_pod_whose_store_cannot_be_written()
    {
        var fleet = ProxyHealth.Summarize([Answered("a", 1, 1, 1, 1), Answered("b", 1, 1, 1, 1, storageReady: false, storageError: "No space left on device")], sharedStorage: false);

        Assert.Equal(new ProxyCondition(ConditionTypes.StorageReady, "False", ConditionReasons.NotWritable, "pod b: No space left on device"), fleet.StorageReady);
        Assert.False(fleet.AllHealthy);
        Assert.Equal("pod b: storage not ready: No space left on device", fleet.HealthMessage);
    }

    [Fact]
    public void All_healthy_asks_for_at_least_one_ready_pod_and_ignores_pods_that_are_not_ready()
    {
        Assert.True(ProxyHealth.Summarize([Answered("a", 1, 1, 1, 1), Silent("b", ready: false)], sharedStorage: true).AllHealthy);
        Assert.False(ProxyHealth.Summarize([Silent("b", ready: false)], sharedStorage: true).AllHealthy);
        Assert.False(ProxyHealth.Summarize([], sharedStorage: true).AllHealthy);
    }

    [Fact]
    public void A_large_fleet_with_a_common_fault_names_five_pods_and_counts_the_rest()
    {
        var fleet = ProxyHealth.Summarize([.. Enumerable.Range(0, 8).Select(i => Silent($"p-{i}"))], sharedStorage: true);

        Assert.Equal(string.Join("; ", Enumerable.Range(0, 5).Select(i => $"pod p-{i}: no answer: connection refused")) + "; and 3 more", fleet.HealthMessage);
    }
}
