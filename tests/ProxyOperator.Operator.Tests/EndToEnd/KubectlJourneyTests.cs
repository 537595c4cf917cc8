using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using ProxyOperator.KubeSandbox.Tests.RealClients;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Builders;
using ProxyOperator.Operator.Reconciliation;
using ProxyOperator.Operator.Status;
using ProxyOperator.Operator.Tests.Manifests;

namespace ProxyOperator.Operator.Tests.EndToEnd;

/// <summary>
/// A cluster admin's journey with the real <c>kubectl</c> 1.33 and the committed samples, against the operator host
/// running as in production (kubeconfig, leader election on) on the test API server.
/// </summary>
public sealed class KubectlJourneyTests(OperatorClusterFixture fixture) : IClassFixture<OperatorClusterFixture>, IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("operator-kubectl-").FullName;

    private OperatorCluster Cluster => fixture.Cluster;

    private Kubernetes Client => Cluster.Client;

    private KubeClients Kubectl => new(KubeClients.LocateBinaries(), _home, Cluster.Kubeconfig);

    private static string Sample(string file) => Path.Combine(RepositoryRoot.Path, "config", "samples", file);

    private async Task<string> RunAsync(params string[] arguments) => (await Kubectl.KubectlAsync(arguments)).EnsureSuccess().StandardOutput;

    private static bool OwnedBy(V1ObjectMeta meta, GoModuleProxy proxy) =>
        meta.OwnerReferences?.SingleOrDefault() is { Controller: true, BlockOwnerDeletion: true, Kind: GoModuleProxy.KubeKind } owner && owner.Uid == proxy.Metadata.Uid;

    [Fact]
    public async Task The_ha_sample_applied_with_kubectl_is_reconciled_scaled_changed_healed_and_deleted()
    {
        var ns = await Cluster.CreateNamespaceAsync();
        const string Name = "goproxy-ha";

        await RunAsync("apply", "-n", ns, "-f", Sample("gomoduleproxy-ha.yaml"));

        var proxy = await OperatorCluster.EventuallyAsync(() => Cluster.ReadAsync(ns, Name), p => p.Status?.ObservedGeneration == p.Metadata.Generation, "observedGeneration");
        var configMap = await Client.CoreV1.ReadNamespacedConfigMapAsync(Names.ConfigMap(Name), ns);
        var deployment = await Client.AppsV1.ReadNamespacedDeploymentAsync(Name, ns);
        var service = await Client.CoreV1.ReadNamespacedServiceAsync(Name, ns);
        var claim = await Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(Names.CacheClaim(Name), ns);
        var budget = await Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync(Name, ns);
        Assert.All([configMap.Metadata, deployment.Metadata, service.Metadata, claim.Metadata, budget.Metadata], meta => Assert.True(OwnedBy(meta, proxy), meta.Name));
        Assert.Equal(3, deployment.Spec.Replicas);
        Assert.Equal(0, int.Parse(deployment.Spec.Strategy.RollingUpdate.MaxUnavailable.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("100Gi", claim.Spec.Resources.Requests["storage"].ToString());
        Assert.Equal(1, budget.Spec.MaxUnavailable.Value is { } max ? int.Parse(max, System.Globalization.CultureInfo.InvariantCulture) : -1);
        Assert.Equal([ConditionTypes.Ready, ConditionTypes.Progressing, ConditionTypes.Degraded, ConditionTypes.UpstreamReachable, ConditionTypes.StorageReady], proxy.Status!.Conditions!.Select(c => c.Type));

        // The printer columns, as the CRD declares them.
        var table = await RunAsync("get", "gmp", Name, "-n", ns);
        Assert.Matches(@"NAME\s+READY\s+REPLICAS\s+ENDPOINT\s+HIT RATIO\s+AGE", table);
        Assert.Contains($"http://{Name}.{ns}.svc:80", table, StringComparison.Ordinal);

        // kubectl scale goes through the resource's scale subresource.
        await RunAsync("scale", "-n", ns, $"gmp/{Name}", "--replicas=5");
        await OperatorCluster.EventuallyAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync(Name, ns), d => d.Spec.Replicas == 5, "5 replicas");

        // A configuration change rewrites the ConfigMap and rolls the pods; nothing else changes.
        var unchanged = await ResourceVersionsAsync(ns, Name);
        var hash = (await Client.AppsV1.ReadNamespacedDeploymentAsync(Name, ns)).Spec.Template.Metadata.Annotations[ProxyConfig.HashAnnotation];
        await RunAsync("patch", "-n", ns, $"gmp/{Name}", "--type=merge", "-p", "{\"spec\":{\"cache\":{\"listTTL\":\"10m\"}}}");
        await OperatorCluster.EventuallyAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync(Name, ns),
            d => d.Spec.Template.Metadata.Annotations[ProxyConfig.HashAnnotation] != hash, "a new config hash");
        Assert.Contains("listTtl", (await Client.CoreV1.ReadNamespacedConfigMapAsync(Names.ConfigMap(Name), ns)).Data[ProxyConfig.FileName], StringComparison.Ordinal);
        await OperatorCluster.EventuallyAsync(() => Cluster.ReadAsync(ns, Name), p => p.Status?.ObservedGeneration == p.Metadata.Generation, "the new generation observed");
        Assert.Equal(unchanged, await ResourceVersionsAsync(ns, Name));

        // A child deleted by hand comes back.
        await RunAsync("delete", "-n", ns, "service", Name);
        await OperatorCluster.EventuallyAsync(() => Client.CoreV1.ReadNamespacedServiceAsync(Name, ns), s => s.Metadata.Uid != service.Metadata.Uid, "a new Service");

        // kubectl describe shows the operator's Events.
        Assert.Contains("Reconciled", await RunAsync("describe", "-n", ns, "gmp", Name), StringComparison.Ordinal);

        // Deleting the resource (kubectl waits until it is gone) takes its children with it.
        await RunAsync("delete", "-n", ns, "-f", Sample("gomoduleproxy-ha.yaml"), "--timeout=20s");
        await OperatorCluster.GoneAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync(Name, ns), "the Deployment");
        await OperatorCluster.GoneAsync(() => Client.CoreV1.ReadNamespacedServiceAsync(Name, ns), "the Service");
        await OperatorCluster.GoneAsync(() => Client.CoreV1.ReadNamespacedConfigMapAsync(Names.ConfigMap(Name), ns), "the ConfigMap");
        await OperatorCluster.GoneAsync(() => Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(Names.CacheClaim(Name), ns), "the claim");
        await OperatorCluster.GoneAsync(() => Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync(Name, ns), "the budget");
    }

    [Fact]
    public async Task Deleting_a_stateful_proxy_deletes_its_per_replica_claims_then_removes_the_finalizer()
    {
        var ns = await Cluster.CreateNamespaceAsync();
        const string Name = "goproxy";
        await RunAsync("apply", "-n", ns, "-f", Sample("gomoduleproxy-minimal.yaml"));
        await OperatorCluster.EventuallyAsync(() => Cluster.ReadAsync(ns, Name), p => p.Metadata.Finalizers?.Contains(CacheClaimFinalizer.Name) == true, "the finalizer");
        await OperatorCluster.EventuallyAsync(() => Client.AppsV1.ReadNamespacedStatefulSetAsync(Name, ns), _ => true, "the StatefulSet");
        // What the StatefulSet controller would make from the claim template: no kubelet or controller runs here.
        await CreateReplicaClaimAsync(ns, Name, 0);
        await CreateReplicaClaimAsync(ns, Name, 1);
        var unrelated = await Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("cache-goproxy-other", Labels.Selector(Name)), ns);

        await RunAsync("delete", "-n", ns, "gmp", Name, "--timeout=20s");

        await OperatorCluster.GoneAsync(() => Cluster.ReadAsync(ns, Name), "the resource");
        await OperatorCluster.GoneAsync(() => Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("cache-goproxy-0", ns), "claim 0");
        await OperatorCluster.GoneAsync(() => Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("cache-goproxy-1", ns), "claim 1");
        await OperatorCluster.GoneAsync(() => Client.AppsV1.ReadNamespacedStatefulSetAsync(Name, ns), "the StatefulSet");
        Assert.Equal(unrelated.Metadata.Uid, (await Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("cache-goproxy-other", ns)).Metadata.Uid);
        var events = await Client.CoreV1.ListNamespacedEventAsync(ns);
        Assert.Contains(events.Items, e => e.Reason == "CacheDeleted" && e.Message.StartsWith("deleted 2 per-replica cache claims", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_retain_policy_retain_the_finalizer_goes_and_every_cache_claim_outlives_the_resource()
    {
        var ns = await Cluster.CreateNamespaceAsync();
        const string Name = "goproxy";
        await RunAsync("apply", "-n", ns, "-f", Sample("gomoduleproxy-minimal.yaml"));
        await OperatorCluster.EventuallyAsync(() => Cluster.ReadAsync(ns, Name), p => p.Metadata.Finalizers?.Contains(CacheClaimFinalizer.Name) == true, "the finalizer");
        await CreateReplicaClaimAsync(ns, Name, 0);

        await RunAsync("patch", "-n", ns, $"gmp/{Name}", "--type=merge", "-p", "{\"spec\":{\"storage\":{\"retainPolicy\":\"Retain\"}}}");
        await OperatorCluster.EventuallyAsync(() => Cluster.ReadAsync(ns, Name), p => p.Metadata.Finalizers is null or { Count: 0 }, "the finalizer removed");
        await RunAsync("delete", "-n", ns, "gmp", Name, "--timeout=20s");

        await OperatorCluster.GoneAsync(() => Client.AppsV1.ReadNamespacedStatefulSetAsync(Name, ns), "the StatefulSet");
        await Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("cache-goproxy-0", ns);
    }

    [Fact]
    public async Task A_retained_shared_claim_has_no_owner_and_outlives_the_resource()
    {
        var ns = await Cluster.CreateNamespaceAsync();
        var spec = new GoModuleProxySpec
        {
            Replicas = 2,
            Storage = new StorageSpec { Disk = new DiskStorageSpec { AccessMode = VolumeAccessMode.ReadWriteMany }, RetainPolicy = RetainPolicy.Retain },
        };
        await Cluster.CreateAsync(ns, OperatorCluster.Proxy("kept", spec));
        var claim = await OperatorCluster.EventuallyAsync(() => Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(Names.CacheClaim("kept"), ns), _ => true, "the claim");
        Assert.Null(claim.Metadata.OwnerReferences);
        Assert.Null((await Cluster.ReadAsync(ns, "kept")).Metadata.Finalizers);

        await RunAsync("delete", "-n", ns, "gmp", "kept", "--timeout=20s");

        await OperatorCluster.GoneAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync("kept", ns), "the Deployment");
        Assert.Equal(claim.Metadata.Uid, (await Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(Names.CacheClaim("kept"), ns)).Metadata.Uid);
    }

    [Fact]
    public async Task A_pod_that_cannot_pull_its_image_makes_the_proxy_degraded_naming_the_pod_with_a_warning_event()
    {
        var ns = await Cluster.CreateNamespaceAsync();
        await Cluster.CreateAsync(ns, OperatorCluster.Proxy("pull", new GoModuleProxySpec
        {
            Replicas = 1,
            Storage = new StorageSpec { Type = StorageType.Ephemeral },
        }));
        await OperatorCluster.EventuallyAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync("pull", ns), _ => true, "the Deployment");

        // What the kubelet would report for a pod of the Deployment whose image cannot be pulled.
        var pod = await Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "pull-7d9f-abcde", Labels = Labels.Selector("pull") },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "goproxy", Image = "registry.example/goproxy:nope" }] },
        }, ns);
        pod.Status = new V1PodStatus
        {
            Phase = "Pending",
            ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = "goproxy", Image = "registry.example/goproxy:nope", ImageID = "", Ready = false, RestartCount = 0,
                    State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ImagePullBackOff", Message = "Back-off pulling image \"registry.example/goproxy:nope\"" } },
                },
            ],
        };
        await Client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, pod.Metadata.Name, ns);

        // Pods are not watched: the periodic resync (2 s here) finds it.
        var proxy = await OperatorCluster.EventuallyAsync(() => Cluster.ReadAsync(ns, "pull"),
            p => p.Status?.Conditions?.Any(c => c is { Type: ConditionTypes.Degraded, Status: "True", Reason: "ImagePullBackOff" }) == true, "Degraded=True ImagePullBackOff");
        Assert.Contains("pod pull-7d9f-abcde: container goproxy: Back-off pulling image", proxy.Status!.Conditions!.Single(c => c.Type == ConditionTypes.Degraded).Message, StringComparison.Ordinal);
        await OperatorCluster.EventuallyAsync(() => Client.CoreV1.ListNamespacedEventAsync(ns),
            events => events.Items.Any(e => e is { Type: "Warning", Reason: "ImagePullBackOff" } && e.InvolvedObject.Name == "pull"), "the Warning event");
    }

    private async Task<Dictionary<string, string>> ResourceVersionsAsync(string ns, string name) => new(StringComparer.Ordinal)
    {
        ["service"] = (await Client.CoreV1.ReadNamespacedServiceAsync(name, ns)).Metadata.ResourceVersion,
        ["claim"] = (await Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(Names.CacheClaim(name), ns)).Metadata.ResourceVersion,
        ["budget"] = (await Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync(name, ns)).Metadata.ResourceVersion,
    };

    private Task<V1PersistentVolumeClaim> CreateReplicaClaimAsync(string ns, string proxyName, int ordinal) =>
        Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim($"{Names.CacheVolume}-{Names.Workload(proxyName)}-{ordinal}", Labels.Selector(proxyName)), ns);

    private static V1PersistentVolumeClaim Claim(string name, IDictionary<string, string> labels) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("10Gi") } },
        },
    };

    public void Dispose()
    {
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
