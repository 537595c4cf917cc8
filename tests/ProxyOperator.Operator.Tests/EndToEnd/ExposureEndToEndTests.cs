using k8s;
using k8s.Models;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Builders;
using ProxyOperator.Operator.Builders.Monitoring;
using ProxyOperator.Operator.Status;

namespace ProxyOperator.Operator.Tests.EndToEnd;

/// <summary>Issue 5 end to end: Ingress per class, ServiceMonitor by discovery, autoscaling, mounted Secrets, Events.</summary>
public sealed class ExposureEndToEndTests(OperatorClusterFixture fixture) : IClassFixture<OperatorClusterFixture>
{
    private OperatorCluster Cluster => fixture.Cluster;

    private Kubernetes Client => Cluster.Client;

    private static GoModuleProxySpec Shared(int replicas = 2) => new()
    {
        Replicas = replicas,
        Storage = new StorageSpec { Type = StorageType.Disk, Disk = new DiskStorageSpec { AccessMode = VolumeAccessMode.ReadWriteMany } },
    };

    [Fact]
    public async Task An_nginx_ingress_switched_to_haproxy_changes_class_and_annotations_and_disabling_it_deletes_it()
    {
        var ns = await Cluster.CreateNamespaceAsync();
        var spec = Shared();
        spec.Ingress = new IngressSpec { Enabled = true, ClassName = IngressClass.Nginx, Host = "goproxy.example", Annotations = new Dictionary<string, string> { ["team"] = "go" } };
        await Cluster.CreateAsync(ns, OperatorCluster.Proxy("web", spec));

        var nginx = await OperatorCluster.EventuallyAsync(() => Client.NetworkingV1.ReadNamespacedIngressAsync("web", ns), _ => true, "the Ingress");
        Assert.Equal("nginx", nginx.Spec.IngressClassName);
        Assert.Equal("off", nginx.Metadata.Annotations[IngressBuilder.NginxRequestBuffering]);
        Assert.Equal("go", nginx.Metadata.Annotations["team"]);
        Assert.Equal("web", nginx.Spec.Rules.Single().Http.Paths.Single().Backend.Service.Name);

        await Cluster.UpdateAsync(ns, "web", p => p.Spec.Ingress!.ClassName = IngressClass.Haproxy);

        var haproxy = await OperatorCluster.EventuallyAsync(() => Client.NetworkingV1.ReadNamespacedIngressAsync("web", ns), i => i.Spec.IngressClassName == "haproxy", "the haproxy class");
        Assert.Equal("600s", haproxy.Metadata.Annotations[IngressBuilder.HaproxyServerTimeout]);
        // Server-side apply drops what the operator no longer sends: no nginx annotation is left behind.
        Assert.DoesNotContain(haproxy.Metadata.Annotations.Keys, k => k.StartsWith("nginx.ingress.kubernetes.io/", StringComparison.Ordinal));
        Assert.Equal("go", haproxy.Metadata.Annotations["team"]);

        await Cluster.UpdateAsync(ns, "web", p => p.Spec.Ingress!.Enabled = false);
        await OperatorCluster.GoneAsync(() => Client.NetworkingV1.ReadNamespacedIngressAsync("web", ns), "the Ingress");
    }

    [Fact]
    public async Task A_network_policy_follows_the_spec_and_goes_when_disabled()
    {
        var ns = await Cluster.CreateNamespaceAsync();
        var spec = Shared();
        spec.NetworkPolicy = new NetworkPolicySpec { Enabled = true, AllowedNamespaces = ["ci"] };
        await Cluster.CreateAsync(ns, OperatorCluster.Proxy("fenced", spec));

        var policy = await OperatorCluster.EventuallyAsync(() => Client.NetworkingV1.ReadNamespacedNetworkPolicyAsync("fenced", ns), _ => true, "the NetworkPolicy");
        Assert.Contains("ci", policy.Spec.Ingress.Single().FromProperty.Single().NamespaceSelector.MatchExpressions.Single().Values);

        await Cluster.UpdateAsync(ns, "fenced", p => p.Spec.NetworkPolicy!.Enabled = false);
        await OperatorCluster.GoneAsync(() => Client.NetworkingV1.ReadNamespacedNetworkPolicyAsync("fenced", ns), "the NetworkPolicy");
    }

    [Fact]
    public async Task Autoscaling_creates_an_hpa_on_the_workload_and_the_operator_stops_setting_its_replicas()
    {
        var ns = await Cluster.CreateNamespaceAsync();
        await Cluster.CreateAsync(ns, OperatorCluster.Proxy("auto", Shared(replicas: 2)));
        await OperatorCluster.EventuallyAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync("auto", ns), d => d.Spec.Replicas == 2, "2 replicas");

        await Cluster.UpdateAsync(ns, "auto", p => p.Spec.Autoscaling = new AutoscalingSpec { Enabled = true, MinReplicas = 2, MaxReplicas = 6 });
        var hpa = await OperatorCluster.EventuallyAsync(() => Client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync("auto", ns), _ => true, "the HPA");
        Assert.Equal(("Deployment", "auto", 2, 6), (hpa.Spec.ScaleTargetRef.Kind, hpa.Spec.ScaleTargetRef.Name, hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas));
        // Handing replicas over must not reset them: server-side apply drops a field its only manager stops sending
        // (and defaulting would make it 1), so the operator first shares it with a hand-over manager.
        await OperatorCluster.EventuallyAsync(() => Cluster.ReadAsync(ns, "auto"), p => p.Status?.ObservedGeneration == p.Metadata.Generation, "autoscaling reconciled");
        var handedOver = await Client.AppsV1.ReadNamespacedDeploymentAsync("auto", ns);
        Assert.Equal(2, handedOver.Spec.Replicas);
        Assert.DoesNotContain(handedOver.Metadata.ManagedFields, f => f.Manager == "proxy-operator" && f.FieldsV1.ToString()!.Contains("f:replicas", StringComparison.Ordinal));

        // What the HPA controller would do: scale the Deployment through its scale subresource.
        await Client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("{\"spec\":{\"replicas\":4}}", V1Patch.PatchType.MergePatch), "auto", ns);
        await Cluster.UpdateAsync(ns, "auto", p => p.Spec.Upstreams = [new UpstreamSpec { Url = "https://goproxy.example" }]);
        await OperatorCluster.EventuallyAsync(() => Cluster.ReadAsync(ns, "auto"), p => p.Status?.ObservedGeneration == p.Metadata.Generation, "the change reconciled");
        Assert.Equal(4, (await Client.AppsV1.ReadNamespacedDeploymentAsync("auto", ns)).Spec.Replicas);

        await Cluster.UpdateAsync(ns, "auto", p => p.Spec.Autoscaling!.Enabled = false);
        await OperatorCluster.GoneAsync(() => Client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync("auto", ns), "the HPA");
        await OperatorCluster.EventuallyAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync("auto", ns), d => d.Spec.Replicas == 2, "spec.replicas in charge again");
    }

    [Fact]
    public async Task A_rotated_secret_rolls_the_pods_and_a_missing_one_is_named_in_ready_false()
    {
        var ns = await Cluster.CreateNamespaceAsync();
        var spec = Shared();
        spec.Auth = new AuthSpec { Type = AuthType.Bearer, SecretRef = new V1LocalObjectReference { Name = "tokens" } };
        spec.Tls = new TlsSpec { SecretName = "serving-cert" };
        await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "tokens" }, StringData = new Dictionary<string, string> { ["tokens"] = "a" } }, ns);
        await Cluster.CreateAsync(ns, OperatorCluster.Proxy("sealed", spec));

        var missing = await OperatorCluster.EventuallyAsync(() => Cluster.ReadAsync(ns, "sealed"),
            p => p.Status?.Conditions?.Any(c => c is { Type: ConditionTypes.Ready, Reason: ConditionReasons.SecretNotFound }) == true, "SecretNotFound");
        Assert.Contains("\"serving-cert\"", missing.Status!.Conditions!.Single(c => c.Type == ConditionTypes.Ready).Message, StringComparison.Ordinal);

        await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "serving-cert" }, StringData = new Dictionary<string, string> { ["tls.crt"] = "c", ["tls.key"] = "k" } }, ns);
        var first = await OperatorCluster.EventuallyAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync("sealed", ns), _ => true, "the Deployment");
        var pod = first.Spec.Template.Spec;
        Assert.Contains(pod.Volumes, v => v.Secret?.SecretName == "tokens");
        Assert.Contains(pod.Containers.Single().VolumeMounts, m => m.MountPath == SecretMounts.Directory + "/tls" && m.ReadOnlyProperty == true);
        Assert.DoesNotContain(pod.Containers.Single().Env ?? [], e => e.ValueFrom?.SecretKeyRef is not null);
        var hash = first.Spec.Template.Metadata.Annotations[SecretMounts.HashAnnotation];
        await OperatorCluster.EventuallyAsync(() => Cluster.ReadAsync(ns, "sealed"), p => p.Status?.ObservedGeneration == p.Metadata.Generation
            && p.Status!.Conditions!.All(c => c.Reason != ConditionReasons.SecretNotFound), "reconciled with both Secrets");
        var others = await OtherChildrenAsync(ns, "sealed");

        await Client.CoreV1.PatchNamespacedSecretAsync(new V1Patch("{\"stringData\":{\"tokens\":\"b\"}}", V1Patch.PatchType.MergePatch), "tokens", ns);

        // Secrets are not watched: the periodic resync (2 s here) sees the new resourceVersion.
        var rolled = await OperatorCluster.EventuallyAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync("sealed", ns),
            d => d.Spec.Template.Metadata.Annotations[SecretMounts.HashAnnotation] != hash, "a new secrets hash");
        Assert.Equal(first.Spec.Template.Metadata.Annotations[ProxyConfig.HashAnnotation], rolled.Spec.Template.Metadata.Annotations[ProxyConfig.HashAnnotation]);
        Assert.Equal(first.Spec.Replicas, rolled.Spec.Replicas);
        Assert.Equal(others, await OtherChildrenAsync(ns, "sealed"));
        await OperatorCluster.EventuallyAsync(() => Client.CoreV1.ListNamespacedEventAsync(ns),
            events => events.Items.Any(e => e.Reason == "RollingOut" && e.Message.Contains("a mounted Secret changed", StringComparison.Ordinal)), "the RollingOut event");
    }

    [Fact]
    public async Task Scaling_records_one_event_and_a_repeated_problem_is_one_event_with_a_count()
    {
        var ns = await Cluster.CreateNamespaceAsync();
        var spec = Shared();
        spec.Auth = new AuthSpec { Type = AuthType.Basic, SecretRef = new V1LocalObjectReference { Name = "absent" } };
        await Cluster.CreateAsync(ns, OperatorCluster.Proxy("noisy", spec));
        await OperatorCluster.EventuallyAsync(() => Cluster.ReadAsync(ns, "noisy"),
            p => p.Status?.Conditions?.Any(c => c.Reason == ConditionReasons.SecretNotFound) == true, "SecretNotFound");

        // Fix, break, fix, break: the same Warning each time.
        for (var i = 0; i < 2; i++)
        {
            await Cluster.UpdateAsync(ns, "noisy", p => p.Spec.Auth!.Type = AuthType.None);
            await OperatorCluster.EventuallyAsync(() => Cluster.ReadAsync(ns, "noisy"),
                p => p.Status?.ObservedGeneration == p.Metadata.Generation && p.Status!.Conditions!.All(c => c.Reason != ConditionReasons.SecretNotFound), "fixed");
            await Cluster.UpdateAsync(ns, "noisy", p => p.Spec.Auth!.Type = AuthType.Basic);
            await OperatorCluster.EventuallyAsync(() => Cluster.ReadAsync(ns, "noisy"),
                p => p.Status?.ObservedGeneration == p.Metadata.Generation && p.Status!.Conditions!.Any(c => c.Reason == ConditionReasons.SecretNotFound), "broken again");
        }

        var warnings = await OperatorCluster.EventuallyAsync(() => Client.CoreV1.ListNamespacedEventAsync(ns),
            list => list.Items.Where(e => e.Reason == ConditionReasons.SecretNotFound).Sum(e => e.Count ?? 1) == 3, "three occurrences");
        Assert.Single(warnings.Items, e => e.Reason == ConditionReasons.SecretNotFound);

        await Client.CustomObjects.PatchNamespacedCustomObjectScaleAsync<V1Scale>(new V1Patch("{\"spec\":{\"replicas\":4}}", V1Patch.PatchType.MergePatch),
            GoModuleProxy.KubeGroup, GoModuleProxy.KubeApiVersion, ns, GoModuleProxy.KubePluralName, "noisy");
        await Cluster.UpdateAsync(ns, "noisy", p => p.Spec.Auth!.Type = AuthType.None);
        await OperatorCluster.EventuallyAsync(() => Client.CoreV1.ListNamespacedEventAsync(ns),
            list => list.Items.Any(e => e.Reason == "Scaled"), "the Scaled event");
    }

    [Fact]
    public async Task A_service_monitor_appears_once_its_api_is_registered_without_restarting_the_operator()
    {
        // A cluster of its own: the CRD registered here must not leak into the other tests' cluster.
        await using var cluster = await OperatorCluster.StartAsync();
        var ns = await cluster.CreateNamespaceAsync();
        var spec = Shared();
        spec.Monitoring = new MonitoringSpec { ServiceMonitor = new ProxyOperator.Operator.Api.ServiceMonitorSpec { Enabled = true, Labels = new Dictionary<string, string> { ["release"] = "prometheus" } } };
        await cluster.CreateAsync(ns, OperatorCluster.Proxy("watched", spec));

        var withoutApi = await OperatorCluster.EventuallyAsync(() => cluster.ReadAsync(ns, "watched"),
            p => p.Status?.Conditions?.Any(c => c is { Type: ConditionTypes.ServiceMonitorReady, Status: "False", Reason: ConditionReasons.ApiNotServed }) == true, "ServiceMonitorReady=False");
        // Everything else still reconciles.
        await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("watched", ns);
        Assert.Equal(withoutApi.Metadata.Generation, withoutApi.Status!.ObservedGeneration);

        await cluster.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(ServiceMonitorCrd());

        var monitor = await OperatorCluster.EventuallyAsync(
            () => cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync<ServiceMonitor>(ServiceMonitor.KubeGroup, ServiceMonitor.KubeApiVersion, ns, ServiceMonitor.KubePluralName, "watched"),
            _ => true, "the ServiceMonitor");
        Assert.Equal("prometheus", monitor.Metadata.Labels["release"]);
        Assert.Equal("/metrics", monitor.Spec.Endpoints!.Single().Path);
        await OperatorCluster.EventuallyAsync(() => cluster.ReadAsync(ns, "watched"),
            p => p.Status?.Conditions?.Any(c => c is { Type: ConditionTypes.ServiceMonitorReady, Status: "True" }) == true, "ServiceMonitorReady=True");

        await cluster.UpdateAsync(ns, "watched", p => p.Spec.Monitoring!.ServiceMonitor!.Enabled = false);
        await OperatorCluster.GoneAsync(
            () => cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync<ServiceMonitor>(ServiceMonitor.KubeGroup, ServiceMonitor.KubeApiVersion, ns, ServiceMonitor.KubePluralName, "watched"),
            "the ServiceMonitor");
        await OperatorCluster.EventuallyAsync(() => cluster.ReadAsync(ns, "watched"),
            p => p.Status?.Conditions?.All(c => c.Type != ConditionTypes.ServiceMonitorReady) == true, "the condition gone");
    }

    /// <summary>The resourceVersions of every child but the workload.</summary>
    private async Task<Dictionary<string, string>> OtherChildrenAsync(string ns, string name) => new(StringComparer.Ordinal)
    {
        ["configmap"] = (await Client.CoreV1.ReadNamespacedConfigMapAsync(Names.ConfigMap(name), ns)).Metadata.ResourceVersion,
        ["service"] = (await Client.CoreV1.ReadNamespacedServiceAsync(Names.Service(name), ns)).Metadata.ResourceVersion,
        ["claim"] = (await Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(Names.CacheClaim(name), ns)).Metadata.ResourceVersion,
        ["budget"] = (await Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync(Names.PodDisruptionBudget(name), ns)).Metadata.ResourceVersion,
    };

    /// <summary>prometheus-operator's CRD, cut to what a cluster needs to serve the kind (the real one has a full schema).</summary>
    private static V1CustomResourceDefinition ServiceMonitorCrd() => new()
    {
        Metadata = new V1ObjectMeta { Name = $"{ServiceMonitor.KubePluralName}.{ServiceMonitor.KubeGroup}" },
        Spec = new V1CustomResourceDefinitionSpec
        {
            Group = ServiceMonitor.KubeGroup,
            Scope = "Namespaced",
            Names = new V1CustomResourceDefinitionNames { Kind = ServiceMonitor.KubeKind, ListKind = "ServiceMonitorList", Plural = ServiceMonitor.KubePluralName, Singular = "servicemonitor", ShortNames = ["smon"] },
            Versions =
            [
                new V1CustomResourceDefinitionVersion
                {
                    Name = ServiceMonitor.KubeApiVersion,
                    Served = true,
                    Storage = true,
                    Schema = new V1CustomResourceValidation
                    {
                        OpenAPIV3Schema = new V1JSONSchemaProps
                        {
                            Type = "object",
                            Properties = new Dictionary<string, V1JSONSchemaProps>
                            {
                                ["spec"] = new() { Type = "object", XKubernetesPreserveUnknownFields = true },
                            },
                        },
                    },
                },
            ],
        },
    };
}
