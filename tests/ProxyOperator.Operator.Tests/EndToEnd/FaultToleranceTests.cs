using System.Text.RegularExpressions;
using k8s;
using k8s.Autorest;
using k8s.Models;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Builders;

namespace ProxyOperator.Operator.Tests.EndToEnd;

/// <summary>The operator under the API server's injected faults: random 500s and 409s, watches dropped after a few events.</summary>
public sealed class FaultToleranceTests
{
    // What the operator reads and writes for a proxy, but not the Lease: losing leadership stops the process by design.
    private static readonly string[] FaultedResources = ["gomoduleproxies", "configmaps", "services", "deployments", "persistentvolumeclaims", "poddisruptionbudgets"];

    [Fact]
    public async Task With_random_errors_and_dropped_watches_the_operator_converges_to_the_same_objects()
    {
        // The operator starts after the faults are set, so that every watch it opens is subject to them.
        await using var cluster = await OperatorCluster.StartAsync(startOperator: false);
        var client = cluster.Client;
        var ns = await cluster.CreateNamespaceAsync();
        var faults = new List<IDisposable>();
        foreach (var resource in FaultedResources)
        {
            // A bounded burst of failures per resource: each failed reconcile doubles its key's backoff, so unbounded
            // random failures would test the backoff's patience rather than convergence.
            faults.Add(cluster.Server.Faults.FailRequests(500, resource: resource, share: 0.3, count: 3));
            faults.Add(cluster.Server.Faults.FailRequests(409, verb: "patch", resource: resource, share: 0.3, count: 2));
        }

        // Only the operator patches Deployments: its first two applies fail for certain, so backoff must show.
        faults.Add(cluster.Server.Faults.FailRequests(500, verb: "patch", resource: "deployments", count: 2));
        cluster.Server.Faults.CloseWatchesAfterEvents(2);
        cluster.Server.Faults.CloseWatchesAfter(TimeSpan.FromMilliseconds(500));
        await cluster.StartOperatorAsync();
        string[] names = ["a", "b", "c", "d"];
        foreach (var name in names)
        {
            await RetryAsync(() => cluster.CreateAsync(ns, OperatorCluster.Proxy(name, new GoModuleProxySpec
            {
                Replicas = 2,
                Storage = new StorageSpec { Type = StorageType.Disk, Disk = new DiskStorageSpec { AccessMode = VolumeAccessMode.ReadWriteMany } },
            })));
        }

        foreach (var name in names)
        {
            await OperatorCluster.EventuallyAsync(() => cluster.ReadAsync(ns, name), p => p.Status?.ObservedGeneration == p.Metadata.Generation, $"{name}'s status", TimeSpan.FromSeconds(30));
        }

        using var http = new HttpClient { BaseAddress = cluster.OperatorUrl };
        var metrics = await OperatorCluster.EventuallyAsync(() => http.GetStringAsync(new Uri("/metrics", UriKind.Relative)),
            text => Regex.IsMatch(text, "proxy_operator_watch_restarts_total\\{[^}]*\\} [1-9]"), "watch restarts in the metrics");
        Assert.Matches("proxy_operator_reconcile_retries_total\\{controller=\"gomoduleproxy\"\\} [1-9]", metrics);
        cluster.Server.Faults.Reset();
        foreach (var name in names)
        {
            var proxy = await cluster.ReadAsync(ns, name);
            var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync(name, ns);
            var expected = WorkloadBuilder.BuildDeployment(proxy)!;
            Assert.Equal(expected.Spec.Replicas, deployment.Spec.Replicas);
            Assert.Equal(expected.Spec.Template.Metadata.Annotations[ProxyConfig.HashAnnotation], deployment.Spec.Template.Metadata.Annotations[ProxyConfig.HashAnnotation]);
            Assert.Equal(ConfigMapBuilder.Build(proxy).Data, (await client.CoreV1.ReadNamespacedConfigMapAsync(Names.ConfigMap(name), ns)).Data);
            Assert.Equal(proxy.Metadata.Uid, (await client.CoreV1.ReadNamespacedServiceAsync(name, ns)).Metadata.OwnerReferences.Single().Uid);
            await client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(Names.CacheClaim(name), ns);
            await client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync(name, ns);
        }

        Assert.All(await client.AppsV1.ListNamespacedDeploymentAsync(ns) is { } list ? list.Items : [], d => Assert.Contains(d.Metadata.Name, names));
        foreach (var fault in faults)
        {
            fault.Dispose();
        }
    }

    private static async Task RetryAsync(Func<Task> write)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await write();
                return;
            }
            catch (HttpOperationException e) when ((int)e.Response.StatusCode is 500 or 409 && attempt < 50)
            {
                await Task.Delay(20);
            }
        }
    }
}
