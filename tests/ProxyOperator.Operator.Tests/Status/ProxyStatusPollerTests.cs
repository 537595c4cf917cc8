using System.Diagnostics;
using System.Net;
using System.Text.Json;
using k8s.Models;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Status;
using ProxyOperator.Testing;
using static ProxyOperator.Operator.Tests.Status.ProxyFleet;

namespace ProxyOperator.Operator.Tests.Status;

/// <summary>The operator's reading of <c>GET /status</c>, against the real proxy running in-process.</summary>
public sealed class ProxyStatusPollerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTime Earlier = new(2026, 3, 1, 11, 0, 0, DateTimeKind.Utc);

    private readonly FixedClock _clock = new(Now);
    private ProxyFleet _fleet = null!;

    public async Task InitializeAsync() => _fleet = await ProxyFleet.StartAsync();

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    private ProxyStatusPoller Poller(TimeSpan? timeout = null, int maxConcurrency = 16) =>
        new(new ProxyStatusPollerOptions { Timeout = timeout ?? TimeSpan.FromSeconds(2), MaxConcurrency = maxConcurrency }, _clock, _fleet.Address);

    private static async Task GetAsync(HttpClient client, string path, int times, HttpStatusCode expected = HttpStatusCode.OK)
    {
        for (var i = 0; i < times; i++)
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(expected, response.StatusCode);
        }
    }

    private static async Task<JsonElement> OwnStatusAsync(TestProxy proxy) =>
        JsonDocument.Parse(await proxy.Client.GetStringAsync("status")).RootElement;

    [Fact]
    public async Task Healthy_pods_report_the_figures_their_proxies_give_and_the_fleet_weights_the_hit_ratio_by_requests()
    {
        var a = await _fleet.StartProxyAsync("p-a");
        var b = await _fleet.StartProxyAsync("p-b");
        await GetAsync(a.Client, $"{Module}/@v/v1.0.0.mod", 2);
        await GetAsync(b.Client, $"{Module}/@v/v1.0.0.mod", 5);
        await GetAsync(b.Client, $"{Module}/@v/v1.0.0.info", 1);
        using var poller = Poller();

        var polled = await poller.PollAsync([Pod("p-b"), Pod("p-a")], null, CancellationToken.None);

        Assert.Equal(["p-a", "p-b"], polled.Select(p => p.Report.Pod));
        foreach (var (proxy, report) in new[] { (a, polled[0].Report), (b, polled[1].Report) })
        {
            var own = await OwnStatusAsync(proxy);
            var cache = own.GetProperty("cache");
            Assert.True(report.Ready);
            Assert.True(report.Healthy);
            Assert.Null(report.Message);
            Assert.Equal(Now.UtcDateTime, report.LastReport);
            Assert.Equal(own.GetProperty("version").GetString(), report.Version);
            Assert.Equal(cache.GetProperty("hitRatio").GetDouble(), report.CacheHitRatio);
            Assert.Equal(cache.GetProperty("artifacts").GetInt64(), report.CachedArtifacts);
            Assert.Equal(cache.GetProperty("bytes").GetInt64(), report.CacheBytes);
            Assert.Equal(0, report.UpstreamErrors);
            Assert.True(report.CachedArtifacts > 0);
        }

        // a: 1 miss + 1 hit; b: 2 misses + 4 hits. Weighted: 5/8; the mean of the pods' ratios would be 0.583.
        Assert.Equal(0.5, polled[0].Report.CacheHitRatio);
        Assert.Equal(0.6667, polled[1].Report.CacheHitRatio);
        var fleet = ProxyHealth.Summarize(polled, sharedStorage: false);
        Assert.Equal(0.625, fleet.Cache!.HitRatio);
        Assert.Equal(polled[0].Report.CacheBytes + polled[1].Report.CacheBytes, fleet.Cache.Bytes);
        Assert.True(fleet.AllHealthy);
        Assert.Equal("2 ready proxies healthy", fleet.HealthMessage);
        Assert.Equal(new ProxyCondition(ConditionTypes.UpstreamReachable, "True", ConditionReasons.Reachable, "2 proxies reach the upstream"), fleet.UpstreamReachable);
        Assert.Equal(new ProxyCondition(ConditionTypes.StorageReady, "True", ConditionReasons.Writable, "2 proxies write to disk storage"), fleet.StorageReady);
    }

    [Fact]
    public async Task A_pod_that_stops_answering_is_reported_unhealthy_with_why_and_keeps_its_previous_figures()
    {
        var proxy = await _fleet.StartProxyAsync("p-0");
        await GetAsync(proxy.Client, $"{Module}/@v/v1.0.0.mod", 3);
        using var poller = Poller();
        var first = await poller.PollAsync([Pod("p-0")], null, CancellationToken.None);
        await _fleet.StopProxyAsync("p-0");
        _clock.Now = Now.AddMinutes(1);

        var second = await poller.PollAsync([Pod("p-0")], first.Select(p => p.Report), CancellationToken.None);

        var before = first.Single().Report;
        var after = second.Single();
        Assert.Null(after.Answer);
        Assert.True(after.Report.Ready);
        Assert.False(after.Report.Healthy);
        Assert.Equal("no answer: connection refused", after.Report.Message);
        // lastReport says when the figures were read, so it stays with them.
        Assert.Equal(Now.UtcDateTime, after.Report.LastReport);
        Assert.Equal(before.CacheHitRatio, after.Report.CacheHitRatio);
        Assert.Equal(before.CachedArtifacts, after.Report.CachedArtifacts);
        Assert.Equal(before.CacheBytes, after.Report.CacheBytes);
        Assert.Equal(before.Version, after.Report.Version);
        Assert.Equal(0.6667, after.Report.CacheHitRatio);
    }

    [Fact]
    public async Task A_dead_pod_without_a_previous_report_is_reported_not_dropped()
    {
        _fleet.AddDeadPod("p-dead");
        await _fleet.StartProxyAsync("p-live");
        using var poller = Poller();

        var polled = await poller.PollAsync([Pod("p-live"), Pod("p-dead")], null, CancellationToken.None);

        var dead = polled.Single(p => p.Report.Pod == "p-dead").Report;
        Assert.Equal(["p-dead", "p-live"], polled.Select(p => p.Report.Pod));
        Assert.False(dead.Healthy);
        Assert.Equal("no answer: connection refused", dead.Message);
        Assert.Null(dead.LastReport);
        Assert.Null(dead.CacheBytes);
        var fleet = ProxyHealth.Summarize(polled, sharedStorage: true);
        Assert.False(fleet.AllHealthy);
        Assert.Equal("pod p-dead: no answer: connection refused", fleet.HealthMessage);
        Assert.Equal("True", fleet.UpstreamReachable.Status);
        Assert.Equal("1 proxy reaches the upstream", fleet.UpstreamReachable.Message);
    }

    [Fact]
    public async Task Pods_that_hang_cost_one_timeout_together_not_one_each()
    {
        await _fleet.StartProxyAsync("p-0");
        await _fleet.AddHangingPodAsync("p-1");
        await _fleet.AddHangingPodAsync("p-2");
        await _fleet.AddHangingPodAsync("p-3");
        using var poller = Poller(TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();

        var polled = await poller.PollAsync([Pod("p-0"), Pod("p-1"), Pod("p-2"), Pod("p-3")], null, CancellationToken.None);

        clock.Stop();
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(2.5));
        Assert.True(polled[0].Report.Healthy);
        Assert.All(polled.Skip(1), p => Assert.Equal("no answer within 1s", p.Report.Message));
        Assert.All(polled.Skip(1), p => Assert.False(p.Report.Healthy));
    }

    [Fact]
    public async Task At_most_the_configured_number_of_pods_are_asked_at_once()
    {
        await _fleet.AddHangingPodAsync("p-1");
        await _fleet.AddHangingPodAsync("p-2");
        await _fleet.AddHangingPodAsync("p-3");
        using var poller = Poller(TimeSpan.FromMilliseconds(400), maxConcurrency: 1);
        var clock = Stopwatch.StartNew();

        var polled = await poller.PollAsync([Pod("p-1"), Pod("p-2"), Pod("p-3")], null, CancellationToken.None);

        // One at a time, each waits out its own deadline.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(1150), $"took {clock.Elapsed}");
        Assert.All(polled, p => Assert.Equal("no answer within 0.4s", p.Report.Message));
    }

    [Fact]
    public async Task Cancelling_the_poll_stops_it_at_once_instead_of_reporting_timeouts()
    {
        await _fleet.AddHangingPodAsync("p-1");
        using var poller = Poller(TimeSpan.FromSeconds(30));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => poller.PollAsync([Pod("p-1")], null, cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_pod_that_is_not_ready_is_reported_without_being_asked_and_keeps_its_figures()
    {
        var stub = await _fleet.AddStubPodAsync("p-0");
        using var poller = Poller();
        var previous = new ProxyReport { Pod = "p-0", Ready = true, Healthy = true, LastReport = Earlier, CacheBytes = 42, Version = "1.2.3" };

        var polled = await poller.PollAsync([Pod("p-0", ready: false)], [previous], CancellationToken.None);

        var report = polled.Single().Report;
        Assert.Equal(0, stub.TotalRequests);
        Assert.False(report.Ready);
        Assert.False(report.Healthy);
        Assert.Equal("pod not ready", report.Message);
        Assert.Equal(Earlier, report.LastReport);
        Assert.Equal(42, report.CacheBytes);
        Assert.Equal("1.2.3", report.Version);
        var fleet = ProxyHealth.Summarize(polled, sharedStorage: true);
        Assert.False(fleet.AllHealthy);
        Assert.Equal("no proxy pod is ready", fleet.HealthMessage);
        Assert.Null(fleet.Cache);
        Assert.Equal(new ProxyCondition(ConditionTypes.UpstreamReachable, "Unknown", ConditionReasons.NoProxyAnswered, "no proxy pod answered GET /status"), fleet.UpstreamReachable);
        Assert.Equal("Unknown", fleet.StorageReady.Status);
    }

    [Fact]
    public async Task Pods_being_deleted_are_left_out_and_a_pod_without_an_IP_is_reported_as_such()
    {
        // The production address: the pod IP, which a pod that was just scheduled does not have yet.
        using var poller = new ProxyStatusPoller(new ProxyStatusPollerOptions(), _clock);

        var polled = await poller.PollAsync([Pod("p-2", ip: null), Pod("p-1", deleting: true)], null, CancellationToken.None);

        var report = Assert.Single(polled).Report;
        Assert.Equal("p-2", report.Pod);
        Assert.Equal("no pod IP yet", report.Message);
        Assert.False(report.Healthy);
    }

    [Fact]
    public async Task An_error_status_is_reported_with_its_code()
    {
        var stub = await _fleet.AddStubPodAsync("p-0");
        stub.Faults.Status("/status", 503);
        using var poller = Poller();

        var polled = await poller.PollAsync([Pod("p-0")], null, CancellationToken.None);

        Assert.Equal("HTTP 503", polled.Single().Report.Message);
        Assert.Null(polled.Single().Answer);
    }

    [Fact]
    public async Task Fields_the_operator_does_not_know_are_ignored_and_a_body_that_is_not_a_report_is_named()
    {
        await _fleet.AddStubPodAsync("p-new", """
            {"version":"9.0.0","ready":true,"newTopLevel":{"x":[1,2]},"storage":{"kind":"s3","ready":true,"error":null,"latencyMs":3},
             "cache":{"hits":3,"misses":1,"hitRatio":0.75,"artifacts":7,"bytes":700,"evictions":2},
             "upstream":{"reachable":true,"proxies":["a"],"lastError":null,"errors":0,"circuit":"closed"}}
            """);
        await _fleet.AddStubPodAsync("p-junk", "<html>login</html>");
        using var poller = Poller();

        var polled = await poller.PollAsync([Pod("p-new"), Pod("p-junk")], null, CancellationToken.None);

        var junk = polled.Single(p => p.Report.Pod == "p-junk").Report;
        var fresh = polled.Single(p => p.Report.Pod == "p-new").Report;
        Assert.True(fresh.Healthy);
        Assert.Equal("9.0.0", fresh.Version);
        Assert.Equal(700, fresh.CacheBytes);
        Assert.False(junk.Healthy);
        Assert.StartsWith("unreadable status: ", junk.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proxy_whose_upstream_failed_stays_healthy_and_makes_UpstreamReachable_false_naming_the_pod_and_the_error()
    {
        var cut = await _fleet.StartProxyAsync("p-cut", upstream: DeadUrl().ToString());
        await _fleet.StartProxyAsync("p-ok");
        await GetAsync(cut.Client, $"{Module}/@v/v1.0.0.mod", 1, HttpStatusCode.BadGateway);
        using var poller = Poller();

        var polled = await poller.PollAsync([Pod("p-ok"), Pod("p-cut")], null, CancellationToken.None);
        var fleet = ProxyHealth.Summarize(polled, sharedStorage: false);

        // Readiness ignores the upstream (a fleet whose upstream is down still serves its cache).
        Assert.All(polled, p => Assert.True(p.Report.Healthy));
        Assert.Equal(1, polled.Single(p => p.Report.Pod == "p-cut").Report.UpstreamErrors);
        Assert.True(fleet.AllHealthy);
        Assert.Equal("False", fleet.UpstreamReachable.Status);
        Assert.Equal(ConditionReasons.Unreachable, fleet.UpstreamReachable.Reason);
        Assert.StartsWith("pod p-cut: ", fleet.UpstreamReachable.Message, StringComparison.Ordinal);
        Assert.Contains("unreachable", fleet.UpstreamReachable.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("p-ok", fleet.UpstreamReachable.Message, StringComparison.Ordinal);
        Assert.Equal("True", fleet.StorageReady.Status);
    }

    [Fact]
    public async Task Storage_that_cannot_be_written_makes_the_pod_unhealthy_and_StorageReady_false_naming_the_pod()
    {
        var broken = await _fleet.StartProxyAsync("p-broken");
        await _fleet.StartProxyAsync("p-fine");
        // Writes go through the staging folder first; without it every write fails, as on a full or broken disk.
        Directory.Delete(Path.Combine(broken.StorageDir, ".staging"), recursive: true);
        using var poller = Poller();

        var polled = await poller.PollAsync([Pod("p-broken"), Pod("p-fine")], null, CancellationToken.None);
        var fleet = ProxyHealth.Summarize(polled, sharedStorage: false);

        var report = polled[0].Report;
        // The proxy's error names the probe file it failed to write, a fresh one on each probe.
        var error = polled[0].Answer!.Storage!.Error;
        Assert.Contains(".staging", error, StringComparison.Ordinal);
        Assert.False(report.Healthy);
        Assert.Equal($"storage not ready: {error}", report.Message);
        Assert.True(polled[1].Report.Healthy);
        Assert.False(fleet.AllHealthy);
        Assert.Equal($"pod p-broken: storage not ready: {error}", fleet.HealthMessage);
        Assert.Equal(new ProxyCondition(ConditionTypes.StorageReady, "False", ConditionReasons.NotWritable, $"pod p-broken: {error}"), fleet.StorageReady);
    }

    [Fact]
    public void The_default_address_is_the_pod_IP_and_the_port_named_http_of_the_goproxy_container()
    {
        var pod = Pod("p-0", ip: "10.244.1.7");
        pod.Spec.Containers = [new V1Container { Name = "sidecar", Ports = [new V1ContainerPort { Name = "http", ContainerPort = 9 }] },
            new V1Container { Name = "goproxy", Ports = [new V1ContainerPort { Name = "metrics", ContainerPort = 9090 }, new V1ContainerPort { Name = "http", ContainerPort = 3001 }] }];

        Assert.Equal(new Uri("http://10.244.1.7:3001/"), ProxyStatusPoller.PodAddress(pod));
        Assert.Equal(new Uri("http://[fd00::a]:3000/"), ProxyStatusPoller.PodAddress(Pod("p-6", ip: "fd00::a")));
        Assert.Null(ProxyStatusPoller.PodAddress(Pod("p-new", ip: null)));
    }
}
