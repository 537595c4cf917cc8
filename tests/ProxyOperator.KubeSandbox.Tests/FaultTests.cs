using System.Net;
using k8s;
using k8s.Models;

namespace ProxyOperator.KubeSandbox.Tests;

public sealed class FaultTests
{
    private static V1ConfigMap ConfigMap(string name) => new() { Metadata = new V1ObjectMeta { Name = name } };

    [Fact]
    public async Task A_counted_fault_fails_exactly_that_many_matching_requests()
    {
        await using var sandbox = await Sandbox.StartAsync();
        using var fault = sandbox.Server.Faults.FailRequests(409, verb: "create", resource: "configmaps", count: 2);

        Assert.Equal(HttpStatusCode.Conflict, await Sandbox.StatusOf(() => sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default")));
        await sandbox.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s" } }, "default");
        Assert.Equal(HttpStatusCode.Conflict, await Sandbox.StatusOf(() => sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default")));
        await sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");
    }

    [Fact]
    public async Task Throttling_answers_429_with_retry_after()
    {
        await using var sandbox = await Sandbox.StartAsync();
        using var fault = sandbox.Server.Faults.FailRequests(429, verb: "list", retryAfter: TimeSpan.FromSeconds(3));

        using var response = await sandbox.Http.GetAsync(new Uri("api/v1/namespaces/default/configmaps", UriKind.Relative));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter!.Delta);
    }

    [Fact]
    public async Task A_share_of_requests_fails_and_disposing_the_fault_stops_it()
    {
        await using var sandbox = await Sandbox.StartAsync(new KubeApiServerOptions { FaultSeed = 42 });
        var fault = sandbox.Server.Faults.FailRequests(500, verb: "get", share: 0.5);
        var failures = 0;
        for (var i = 0; i < 40; i++)
        {
            using var response = await sandbox.Http.GetAsync(new Uri("api/v1/namespaces/default", UriKind.Relative));
            failures += response.StatusCode == HttpStatusCode.InternalServerError ? 1 : 0;
        }

        Assert.InRange(failures, 8, 32);
        fault.Dispose();
        using var after = await sandbox.Http.GetAsync(new Uri("api/v1/namespaces/default", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Watches_can_be_closed_after_a_time()
    {
        await using var sandbox = await Sandbox.StartAsync();
        sandbox.Server.Faults.CloseWatchesAfter(TimeSpan.FromMilliseconds(300));
        await sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");
        var started = DateTime.UtcNow;

        await foreach (var _ in sandbox.Client.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: "0", timeoutSeconds: 30))
        {
        }

        Assert.InRange(DateTime.UtcNow - started, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }
}
