using k8s;
using k8s.Models;
using ProxyOperator.KubeSandbox.Tests.RealClients;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Builders;
using ProxyOperator.Operator.Status;
using ProxyOperator.Operator.Tests.Status;

namespace ProxyOperator.Operator.Tests.EndToEnd;

/// <summary>
/// The operator reading real proxies' GET /status into the resource's status. No kubelet runs here, so the test
/// plays the kubelet and the Deployment controller: it creates the Pods (ready, with an IP) and writes the
/// Deployment's rollout status; the poller's address seam sends each pod's /status to a real proxy process on
/// 127.0.0.1.
/// </summary>
public sealed class ProxyHealthEndToEndTests
{
    [Fact]
    public async Task Healthy_proxies_make_the_fleet_ready_with_their_figures_and_a_dead_one_is_reported_until_it_is_back()
    {
        await using var fleet = await ProxyFleet.StartAsync();
        using var storage = ProxyOperator.Testing.TempDirectory.Create("health-e2e-");
        await using var a = await ProxyProcess.StartAsync(Path.Combine(storage.Path, "a"), fleet.Upstream.BaseUrl.ToString());
        await using var b = await ProxyProcess.StartAsync(Path.Combine(storage.Path, "b"), fleet.Upstream.BaseUrl.ToString());
        var processes = new Dictionary<string, ProxyProcess>(StringComparer.Ordinal) { ["fleet-a"] = a, ["fleet-b"] = b };
        await using var cluster = await OperatorCluster.StartAsync(podAddress: pod => processes.TryGetValue(pod.Metadata.Name, out var p) ? p.BaseUrl : null);
        var client = cluster.Client;
        var ns = await cluster.CreateNamespaceAsync();
        await cluster.CreateAsync(ns, OperatorCluster.Proxy("fleet", new GoModuleProxySpec
        {
            Replicas = 2,
            Storage = new StorageSpec { Type = StorageType.Disk, Disk = new DiskStorageSpec { AccessMode = VolumeAccessMode.ReadWriteMany } },
        }));
        var deployment = await OperatorCluster.EventuallyAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync("fleet", ns), _ => true, "the Deployment");

        // One miss, then three hits on proxy a: a hit ratio of 0.75.
        using (var http = new HttpClient { BaseAddress = a.BaseUrl })
        {
            for (var i = 0; i < 4; i++)
            {
                (await http.GetAsync(new Uri($"{ProxyFleet.Module}/@v/v1.0.0.info", UriKind.Relative))).EnsureSuccessStatusCode();
            }
        }

        await CreateReadyPodAsync(client, ns, "fleet-a");
        await CreateReadyPodAsync(client, ns, "fleet-b");
        await MarkRolledOutAsync(client, ns, deployment);

        var ready = await OperatorCluster.EventuallyAsync(() => cluster.ReadAsync(ns, "fleet"), p => ReadyStatus(p) == "True", "Ready=True");
        Assert.Equal(["fleet-a", "fleet-b"], ready.Status!.Proxies!.Select(r => r.Pod));
        Assert.All(ready.Status.Proxies!, r => Assert.True(r.Healthy == true && r.Ready == true && r.LastReport is not null, r.Pod));
        Assert.Equal(0.75, ready.Status.Cache!.HitRatio);
        Assert.Equal(ConditionReasons.RolledOut, ready.Status.Conditions!.Single(c => c.Type == ConditionTypes.Ready).Reason);
        Assert.Equal("True", ready.Status.Conditions!.Single(c => c.Type == ConditionTypes.StorageReady).Status);

        // kubectl get gmp shows the fleet's hit ratio.
        using var home = new TempHome();
        var table = (await new KubeClients(KubeClients.LocateBinaries(), home.Path, cluster.Kubeconfig).KubectlAsync("get", "gmp", "fleet", "-n", ns)).EnsureSuccess().StandardOutput;
        Assert.Matches(@"fleet\s+True\s+2\s+\S+\s+0\.75", table);

        await b.StopAsync();

        var sick = await OperatorCluster.EventuallyAsync(() => cluster.ReadAsync(ns, "fleet"),
            p => p.Status?.Conditions?.Any(c => c is { Type: ConditionTypes.Ready, Status: "False", Reason: ConditionReasons.ProxiesUnhealthy }) == true, "Ready=False ProxiesUnhealthy");
        var dead = sick.Status!.Proxies!.Single(r => r.Pod == "fleet-b");
        Assert.False(dead.Healthy);
        Assert.StartsWith("no answer", dead.Message, StringComparison.Ordinal);
        Assert.Contains("pod fleet-b", sick.Status.Conditions!.Single(c => c.Type == ConditionTypes.Ready).Message, StringComparison.Ordinal);
        var degraded = sick.Status.Conditions!.Single(c => c.Type == ConditionTypes.Degraded);
        Assert.Equal(("True", ConditionReasons.ProxiesUnhealthy), (degraded.Status, degraded.Reason));
        Assert.Contains("pod fleet-b", degraded.Message, StringComparison.Ordinal);

        await b.StartAgainAsync();

        await OperatorCluster.EventuallyAsync(() => cluster.ReadAsync(ns, "fleet"), p => ReadyStatus(p) == "True", "Ready again");
        var describe = (await new KubeClients(KubeClients.LocateBinaries(), home.Path, cluster.Kubeconfig).KubectlAsync("describe", "gmp", "fleet", "-n", ns)).EnsureSuccess().StandardOutput;
        Assert.Matches(@"Warning\s+ProxiesUnhealthy", describe);
        Assert.Matches(@"Normal\s+RolledOut", describe);

        // Its own status writes do not requeue the resource: with healthy pods, about one reconcile per resync (2 s).
        using var operatorHttp = new HttpClient { BaseAddress = cluster.OperatorUrl };
        var before = await ReconcilesAsync(operatorHttp);
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.InRange(await ReconcilesAsync(operatorHttp) - before, 1, 5);

        // The pods go (scaled to zero, or deleted): their reports go too, not left behind by a merge patch.
        await client.CoreV1.DeleteCollectionNamespacedPodAsync(ns);
        await OperatorCluster.EventuallyAsync(() => cluster.ReadAsync(ns, "fleet"), p => p.Status?.Proxies is null, "status.proxies emptied");
    }

    private static async Task<double> ReconcilesAsync(HttpClient http)
    {
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var line = metrics.Split('\n').Single(l => l.StartsWith("proxy_operator_reconcile_total{controller=\"gomoduleproxy\",result=\"success\"}", StringComparison.Ordinal));
        return double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string? ReadyStatus(GoModuleProxy proxy) => proxy.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready)?.Status;

    private static async Task CreateReadyPodAsync(Kubernetes client, string ns, string name)
    {
        var pod = await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = Labels.Selector("fleet") },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = ProxyContainer.Name, Image = "goproxy", Ports = [new V1ContainerPort { Name = ProxyContainer.PortName, ContainerPort = ProxyContainer.Port }] }] },
        }, ns);
        pod.Status = new V1PodStatus { Phase = "Running", PodIP = "10.0.0.1", Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] };
        await client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, name, ns);
    }

    /// <summary>What the Deployment controller writes once every pod runs the current template.</summary>
    private static async Task MarkRolledOutAsync(Kubernetes client, string ns, V1Deployment deployment)
    {
        var current = await client.AppsV1.ReadNamespacedDeploymentAsync(deployment.Metadata.Name, ns);
        var replicas = current.Spec.Replicas ?? 1;
        current.Status = new V1DeploymentStatus
        {
            ObservedGeneration = current.Metadata.Generation,
            Replicas = replicas,
            ReadyReplicas = replicas,
            UpdatedReplicas = replicas,
            AvailableReplicas = replicas,
        };
        await client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(current, current.Metadata.Name, ns);
    }

    private sealed class TempHome : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("operator-kubectl-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
