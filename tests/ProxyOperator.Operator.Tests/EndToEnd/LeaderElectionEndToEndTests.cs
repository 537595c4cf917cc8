using k8s;
using ProxyOperator.Operator.Api;

namespace ProxyOperator.Operator.Tests.EndToEnd;

/// <summary>Two operator processes on one cluster: one Lease, one active reconciler.</summary>
public sealed class LeaderElectionEndToEndTests
{
    [Fact]
    public async Task Only_the_leader_reconciles_and_the_standby_takes_over_when_the_leader_stops()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        var ns = await cluster.CreateNamespaceAsync();
        await cluster.CreateAsync(ns, OperatorCluster.Proxy("first", new GoModuleProxySpec { Storage = new StorageSpec { Type = StorageType.Ephemeral } }));
        await OperatorCluster.EventuallyAsync(() => cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("first", ns), _ => true, "the leader's Deployment");

        var standby = await cluster.StartSecondOperatorAsync();
        await using (standby)
        {
            using var http = new HttpClient { BaseAddress = OperatorCluster.UrlOf(standby) };
            // A standby is ready (nothing to sync until it leads) and reconciles nothing.
            Assert.Equal("ok\n", await http.GetStringAsync(new Uri("/readyz", UriKind.Relative)));
            Assert.DoesNotContain("result=\"success\"", await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);

            await cluster.Operator!.StopAsync();
            await cluster.CreateAsync(ns, OperatorCluster.Proxy("second", new GoModuleProxySpec { Storage = new StorageSpec { Type = StorageType.Ephemeral } }));

            // The Lease lasts 4 s in these tests: the standby waits that long after the last renewal, then leads.
            await OperatorCluster.EventuallyAsync(() => cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("second", ns), _ => true, "the new leader's Deployment", TimeSpan.FromSeconds(20));
            await OperatorCluster.EventuallyAsync(() => http.GetStringAsync(new Uri("/metrics", UriKind.Relative)),
                metrics => metrics.Contains("result=\"success\"", StringComparison.Ordinal), "a successful reconcile in the new leader's metrics");
            await standby.StopAsync();
        }
    }
}
