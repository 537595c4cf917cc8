using k8s;
using k8s.Models;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Builders;
using ProxyOperator.Operator.Status;

namespace ProxyOperator.Operator.Tests.EndToEnd;

/// <summary>The operator host, running as in production against the test API server, seen from a kubectl user's side.</summary>
public sealed class OperatorEndToEndTests(OperatorClusterFixture fixture) : IClassFixture<OperatorClusterFixture>
{
    private OperatorCluster Cluster => fixture.Cluster;

    private Kubernetes Client => Cluster.Client;

    private static GoModuleProxySpec SharedDisk(int replicas) => new()
    {
        Replicas = replicas,
        Storage = new StorageSpec { Type = StorageType.Disk, Disk = new DiskStorageSpec { AccessMode = VolumeAccessMode.ReadWriteMany } },
    };

    private static bool OwnedBy(V1ObjectMeta meta, GoModuleProxy proxy) =>
        meta.OwnerReferences?.SingleOrDefault() is { Controller: true, BlockOwnerDeletion: true, Kind: GoModuleProxy.KubeKind } owner
        && owner.Uid == proxy.Metadata.Uid && owner.Name == proxy.Metadata.Name;

    [Fact]
    public async Task Creating_a_proxy_creates_its_config_map_deployment_service_claim_and_budget_owned_by_it()
    {
        var ns = await Cluster.CreateNamespaceAsync();
        var proxy = await Cluster.CreateAsync(ns, OperatorCluster.Proxy("cache", SharedDisk(replicas: 2)));

        var deployment = await OperatorCluster.EventuallyAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync("cache", ns), _ => true, "the Deployment");
        var configMap = await Client.CoreV1.ReadNamespacedConfigMapAsync(Names.ConfigMap("cache"), ns);
        var service = await OperatorCluster.EventuallyAsync(() => Client.CoreV1.ReadNamespacedServiceAsync("cache", ns), _ => true, "the Service");
        var claim = await OperatorCluster.EventuallyAsync(() => Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(Names.CacheClaim("cache"), ns), _ => true, "the claim");
        var budget = await OperatorCluster.EventuallyAsync(() => Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("cache", ns), _ => true, "the budget");

        Assert.All([deployment.Metadata, configMap.Metadata, service.Metadata, claim.Metadata, budget.Metadata], meta => Assert.True(OwnedBy(meta, proxy), meta.Name));
        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Equal("proxy-operator", deployment.Metadata.Labels[Labels.ManagedBy]);
        Assert.True(deployment.Spec.Template.Metadata.Annotations.ContainsKey(ProxyConfig.HashAnnotation));
        Assert.Contains(ProxyConfig.FileName, configMap.Data.Keys);
        Assert.Equal(80, service.Spec.Ports.Single().Port);
        Assert.Equal(Labels.Selector("cache"), service.Spec.Selector);
        Assert.Contains("ReadWriteMany", claim.Spec.AccessModes);
        Assert.Contains(deployment.Metadata.ManagedFields, field => field.Manager == "proxy-operator" && field.Operation == "Apply");
        await OperatorCluster.GoneAsync(() => Client.AppsV1.ReadNamespacedStatefulSetAsync("cache", ns), "no StatefulSet");
    }

    [Fact]
    public async Task A_reconciled_proxy_reports_observed_generation_selector_endpoint_and_conditions()
    {
        var ns = await Cluster.CreateNamespaceAsync();
        var created = await Cluster.CreateAsync(ns, OperatorCluster.Proxy("status", SharedDisk(replicas: 1)));

        var proxy = await OperatorCluster.EventuallyAsync(() => Cluster.ReadAsync(ns, "status"), p => p.Status?.ObservedGeneration == created.Metadata.Generation, "observedGeneration");

        var status = proxy.Status!;
        Assert.Equal("app.kubernetes.io/name=goproxy,app.kubernetes.io/instance=status", status.Selector);
        Assert.Equal($"http://status.{ns}.svc:80", status.Endpoint);
        Assert.Equal([ConditionTypes.Ready, ConditionTypes.Progressing, ConditionTypes.Degraded, ConditionTypes.UpstreamReachable, ConditionTypes.StorageReady], status.Conditions!.Select(c => c.Type));
        Assert.All(status.Conditions!, c => Assert.Equal(created.Metadata.Generation, c.ObservedGeneration));
        Assert.All(status.Conditions!, c => Assert.False(string.IsNullOrEmpty(c.Message)));
        // No kubelet runs the pods here, so the rollout never completes.
        Assert.Equal("False", status.Conditions!.Single(c => c.Type == ConditionTypes.Ready).Status);
        Assert.Equal("True", status.Conditions!.Single(c => c.Type == ConditionTypes.Progressing).Status);
        // No pod, so no proxy to ask: the fleet's own conditions are Unknown, not guessed.
        Assert.Equal(("Unknown", ConditionReasons.NoProxyAnswered), status.Conditions!.Single(c => c.Type == ConditionTypes.UpstreamReachable) is var u ? (u.Status, u.Reason) : default);
    }

    [Fact]
    public async Task Scaling_through_the_scale_subresource_scales_the_deployment()
    {
        var ns = await Cluster.CreateNamespaceAsync();
        await Cluster.CreateAsync(ns, OperatorCluster.Proxy("scaled", SharedDisk(replicas: 1)));
        await OperatorCluster.EventuallyAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync("scaled", ns), d => d.Spec.Replicas == 1, "the Deployment");

        await Client.CustomObjects.PatchNamespacedCustomObjectScaleAsync<V1Scale>(
            new V1Patch("{\"spec\":{\"replicas\":5}}", V1Patch.PatchType.MergePatch), GoModuleProxy.KubeGroup, GoModuleProxy.KubeApiVersion, ns, GoModuleProxy.KubePluralName, "scaled");

        await OperatorCluster.EventuallyAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync("scaled", ns), d => d.Spec.Replicas == 5, "5 replicas");
        await OperatorCluster.EventuallyAsync(() => Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("scaled", ns), _ => true, "a budget once there are 5 replicas");
    }

    [Fact]
    public async Task A_configuration_change_changes_the_config_hash_of_the_pod_template()
    {
        var ns = await Cluster.CreateNamespaceAsync();
        await Cluster.CreateAsync(ns, OperatorCluster.Proxy("rolled", SharedDisk(replicas: 1)));
        var before = await OperatorCluster.EventuallyAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync("rolled", ns), _ => true, "the Deployment");
        var hash = before.Spec.Template.Metadata.Annotations[ProxyConfig.HashAnnotation];

        await Cluster.UpdateAsync(ns, "rolled", proxy => proxy.Spec.Upstreams = [new UpstreamSpec { Url = "https://goproxy.example" }]);

        var after = await OperatorCluster.EventuallyAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync("rolled", ns),
            d => d.Spec.Template.Metadata.Annotations[ProxyConfig.HashAnnotation] != hash, "a new config hash");
        var configMap = await Client.CoreV1.ReadNamespacedConfigMapAsync(Names.ConfigMap("rolled"), ns);
        Assert.Contains("https://goproxy.example", configMap.Data[ProxyConfig.FileName], StringComparison.Ordinal);
        Assert.Equal(before.Spec.Replicas, after.Spec.Replicas);
    }

    [Fact]
    public async Task A_deleted_service_is_recreated()
    {
        var ns = await Cluster.CreateNamespaceAsync();
        await Cluster.CreateAsync(ns, OperatorCluster.Proxy("healed", SharedDisk(replicas: 1)));
        var first = await OperatorCluster.EventuallyAsync(() => Client.CoreV1.ReadNamespacedServiceAsync("healed", ns), _ => true, "the Service");

        await Client.CustomObjects.DeleteNamespacedCustomObjectAsync(string.Empty, "v1", ns, "services", "healed");

        await OperatorCluster.EventuallyAsync(() => Client.CoreV1.ReadNamespacedServiceAsync("healed", ns), s => s.Metadata.Uid != first.Metadata.Uid, "a new Service");
    }

    [Fact]
    public async Task Deleting_the_proxy_lets_the_api_server_collect_its_children()
    {
        var ns = await Cluster.CreateNamespaceAsync();
        await Cluster.CreateAsync(ns, OperatorCluster.Proxy("doomed", SharedDisk(replicas: 2)));
        await OperatorCluster.EventuallyAsync(() => Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("doomed", ns), _ => true, "the budget");

        await Cluster.Proxies.DeleteNamespacedAsync<GoModuleProxy>(ns, "doomed");

        await OperatorCluster.GoneAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync("doomed", ns), "the Deployment");
        await OperatorCluster.GoneAsync(() => Client.CoreV1.ReadNamespacedServiceAsync("doomed", ns), "the Service");
        await OperatorCluster.GoneAsync(() => Client.CoreV1.ReadNamespacedConfigMapAsync(Names.ConfigMap("doomed"), ns), "the ConfigMap");
        await OperatorCluster.GoneAsync(() => Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(Names.CacheClaim("doomed"), ns), "the claim");
        await OperatorCluster.GoneAsync(() => Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("doomed", ns), "the budget");
    }

    [Fact]
    public async Task Fewer_than_two_replicas_remove_the_budget_and_a_switch_to_a_volume_per_replica_swaps_the_deployment_for_a_stateful_set()
    {
        var ns = await Cluster.CreateNamespaceAsync();
        await Cluster.CreateAsync(ns, OperatorCluster.Proxy("switch", SharedDisk(replicas: 2)));
        await OperatorCluster.EventuallyAsync(() => Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("switch", ns), _ => true, "the budget");

        await Cluster.UpdateAsync(ns, "switch", proxy =>
        {
            proxy.Spec.Replicas = 1;
            proxy.Spec.Storage!.Disk!.AccessMode = VolumeAccessMode.ReadWriteOnce;
        });

        await OperatorCluster.EventuallyAsync(() => Client.AppsV1.ReadNamespacedStatefulSetAsync("switch", ns), _ => true, "the StatefulSet");
        await OperatorCluster.GoneAsync(() => Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("switch", ns), "the budget");
        await OperatorCluster.GoneAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync("switch", ns), "the Deployment");
        await OperatorCluster.GoneAsync(() => Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(Names.CacheClaim("switch"), ns), "the shared claim");
        await OperatorCluster.EventuallyAsync(() => Client.CoreV1.ReadNamespacedServiceAsync(Names.HeadlessService("switch"), ns), _ => true, "the headless Service");
    }

    [Fact]
    public async Task An_s3_proxy_without_s3_settings_is_not_ready_with_reason_invalid_spec_and_an_event_while_others_still_reconcile()
    {
        var ns = await Cluster.CreateNamespaceAsync();
        await Cluster.CreateAsync(ns, OperatorCluster.Proxy("broken", new GoModuleProxySpec { Storage = new StorageSpec { Type = StorageType.S3 } }));
        await Cluster.CreateAsync(ns, OperatorCluster.Proxy("fine", SharedDisk(replicas: 1)));

        var broken = await OperatorCluster.EventuallyAsync(() => Cluster.ReadAsync(ns, "broken"), p => ReadyReason(p) == ConditionReasons.InvalidSpec, "Ready=False InvalidSpec");
        await OperatorCluster.EventuallyAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync("fine", ns), _ => true, "the other proxy's Deployment");

        var ready = broken.Status!.Conditions!.Single(c => c.Type == ConditionTypes.Ready);
        Assert.Equal("False", ready.Status);
        Assert.Contains("spec.storage.s3", ready.Message, StringComparison.Ordinal);
        await OperatorCluster.EventuallyAsync(() => Client.CoreV1.ListNamespacedEventAsync(ns),
            events => events.Items.Any(e => e.Reason == ConditionReasons.InvalidSpec && e.InvolvedObject.Name == "broken" && e.Type == "Warning"), "the Warning event");
        await OperatorCluster.GoneAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync("broken", ns), "no workload for the invalid proxy");
    }

    [Fact]
    public async Task A_missing_secret_makes_the_proxy_not_ready_until_the_secret_exists()
    {
        var ns = await Cluster.CreateNamespaceAsync();
        var spec = SharedDisk(replicas: 1);
        spec.Auth = new AuthSpec { Type = AuthType.Basic, SecretRef = new V1LocalObjectReference { Name = "users" } };
        await Cluster.CreateAsync(ns, OperatorCluster.Proxy("locked", spec));

        var proxy = await OperatorCluster.EventuallyAsync(() => Cluster.ReadAsync(ns, "locked"), p => ReadyReason(p) == ConditionReasons.SecretNotFound, "Ready=False SecretNotFound");
        Assert.Contains("\"users\"", proxy.Status!.Conditions!.Single(c => c.Type == ConditionTypes.Ready).Message, StringComparison.Ordinal);

        await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "users" }, StringData = new Dictionary<string, string> { ["users"] = "x" } }, ns);

        // The periodic resync notices the Secret.
        await OperatorCluster.EventuallyAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync("locked", ns), _ => true, "the Deployment once the Secret exists");
        await OperatorCluster.EventuallyAsync(() => Cluster.ReadAsync(ns, "locked"), p => ReadyReason(p) != ConditionReasons.SecretNotFound, "the reason cleared");
    }

    [Fact]
    public async Task The_host_serves_health_readiness_and_reconcile_metrics()
    {
        var ns = await Cluster.CreateNamespaceAsync();
        var created = await Cluster.CreateAsync(ns, OperatorCluster.Proxy("observed", SharedDisk(replicas: 1)));
        await OperatorCluster.EventuallyAsync(() => Cluster.ReadAsync(ns, "observed"), p => p.Status?.ObservedGeneration == created.Metadata.Generation, "observedGeneration");
        using var http = new HttpClient { BaseAddress = Cluster.OperatorUrl };

        Assert.Equal("ok\n", await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        Assert.Equal("ok\n", await http.GetStringAsync(new Uri("/readyz", UriKind.Relative)));
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("proxy_operator_reconcile_total{controller=\"gomoduleproxy\",result=\"success\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("proxy_operator_reconcile_duration_seconds", metrics, StringComparison.Ordinal);
        Assert.Contains("proxy_operator_workqueue_depth", metrics, StringComparison.Ordinal);
    }

    private static string? ReadyReason(GoModuleProxy proxy) => proxy.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready)?.Reason;
}
