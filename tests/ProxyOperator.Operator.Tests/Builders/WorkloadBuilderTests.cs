using k8s.Models;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Builders;

namespace ProxyOperator.Operator.Tests.Builders;

public sealed class WorkloadBuilderTests
{
    public static TheoryData<string, WorkloadKind> StorageShapes => new()
    {
        { "Disk ReadWriteOnce", WorkloadKind.StatefulSet },
        { "Disk ReadWriteMany", WorkloadKind.Deployment },
        { "Disk with defaults", WorkloadKind.StatefulSet },
        { "no storage at all", WorkloadKind.StatefulSet },
        { "S3", WorkloadKind.Deployment },
        { "Ephemeral", WorkloadKind.Deployment },
    };

    [Theory]
    [MemberData(nameof(StorageShapes))]
    public void Storage_chooses_the_workload_kind_and_exactly_one_is_built(string storage, WorkloadKind expected)
    {
        var proxy = Proxies.With(Spec(storage));

        Assert.Equal(expected, WorkloadBuilder.KindFor(proxy.Spec));
        Assert.Equal(expected == WorkloadKind.Deployment, WorkloadBuilder.BuildDeployment(proxy) is not null);
        Assert.Equal(expected == WorkloadKind.StatefulSet, WorkloadBuilder.BuildStatefulSet(proxy) is not null);
    }

    public static TheoryData<string, string?, string?> StoreVolumes => new()
    {
        // storage, the claim the pod mounts, or "emptyDir"; null when the StatefulSet's claim template provides it.
        { "Disk ReadWriteMany", "corp-cache", null },
        { "S3", null, "emptyDir" },
        { "Ephemeral", null, "emptyDir" },
        { "Disk ReadWriteOnce", null, null },
    };

    [Theory]
    [MemberData(nameof(StoreVolumes))]
    public void The_store_is_mounted_from_the_volume_its_storage_calls_for(string storage, string? claim, string? emptyDir)
    {
        var template = Proxies.PodTemplate(Proxies.With(Spec(storage)));

        var mount = Assert.Single(template.Spec.Containers[0].VolumeMounts, m => m.MountPath == "/var/cache/goproxy");
        Assert.Equal(Names.CacheVolume, mount.Name);
        var volume = template.Spec.Volumes.SingleOrDefault(v => v.Name == Names.CacheVolume);
        Assert.Equal(claim, volume?.PersistentVolumeClaim?.ClaimName);
        Assert.Equal(emptyDir, volume?.EmptyDir is null ? null : "emptyDir");
    }

    [Fact]
    public void A_read_write_once_disk_gives_each_replica_its_own_claim()
    {
        var statefulSet = WorkloadBuilder.BuildStatefulSet(Proxies.With(Proxies.Disk(VolumeAccessMode.ReadWriteOnce, replicas: 3)))!;

        var template = Assert.Single(statefulSet.Spec.VolumeClaimTemplates);
        Assert.Equal(Names.CacheVolume, template.Metadata.Name);
        Assert.Equal(["ReadWriteOnce"], template.Spec.AccessModes);
        Assert.Equal("50Gi", template.Spec.Resources.Requests["storage"].ToString());
        Assert.Equal("fast", template.Spec.StorageClassName);
        Assert.Equal("corp-pods", statefulSet.Spec.ServiceName);
        Assert.Equal("RollingUpdate", statefulSet.Spec.UpdateStrategy.Type);
        Assert.Equal("Parallel", statefulSet.Spec.PodManagementPolicy);
        Assert.Equal(3, statefulSet.Spec.Replicas);
    }

    [Fact]
    public void A_disk_without_a_size_gets_the_default_size()
    {
        var statefulSet = WorkloadBuilder.BuildStatefulSet(Proxies.With(new GoModuleProxySpec { Storage = new StorageSpec { Type = StorageType.Disk } }))!;

        Assert.Equal(GoModuleProxyDefaults.DiskSize, statefulSet.Spec.VolumeClaimTemplates[0].Spec.Resources.Requests["storage"].ToString());
        Assert.Null(statefulSet.Spec.VolumeClaimTemplates[0].Spec.StorageClassName);
    }

    [Fact]
    public void A_deployment_rolls_without_ever_lowering_capacity()
    {
        var deployment = WorkloadBuilder.BuildDeployment(Proxies.With(Proxies.S3(replicas: 3)))!;

        Assert.Equal("RollingUpdate", deployment.Spec.Strategy.Type);
        Assert.Equal("0", deployment.Spec.Strategy.RollingUpdate.MaxUnavailable.ToString());
        Assert.Equal(3, deployment.Spec.Replicas);
    }

    [Theory]
    [InlineData("S3")]
    [InlineData("Disk ReadWriteOnce")]
    public void Replicas_are_left_to_the_autoscaler_when_autoscaling_is_enabled(string storage)
    {
        var spec = Spec(storage);
        spec.Replicas = 4;
        spec.Autoscaling = new AutoscalingSpec { Enabled = true, MinReplicas = 2, MaxReplicas = 8 };
        var proxy = Proxies.With(spec);

        var replicas = WorkloadBuilder.KindFor(spec) == WorkloadKind.Deployment
            ? WorkloadBuilder.BuildDeployment(proxy)!.Spec.Replicas
            : WorkloadBuilder.BuildStatefulSet(proxy)!.Spec.Replicas;
        Assert.Null(replicas);
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData(0, 0)]
    [InlineData(5, 5)]
    public void Replicas_come_from_the_spec_when_autoscaling_is_off(int? replicas, int expected)
    {
        var proxy = Proxies.With(s =>
        {
            s.Replicas = replicas;
            s.Storage = new StorageSpec { Type = StorageType.Ephemeral };
            s.Autoscaling = new AutoscalingSpec { Enabled = false, MaxReplicas = 8 };
        });

        Assert.Equal(expected, WorkloadBuilder.BuildDeployment(proxy)!.Spec.Replicas);
    }

    [Theory]
    [InlineData(1, false, false)]
    [InlineData(2, false, true)]
    [InlineData(3, false, true)]
    [InlineData(1, true, true)]
    public void Pods_are_spread_across_nodes_and_zones_only_when_there_can_be_several(int replicas, bool autoscaledToFour, bool spread)
    {
        var spec = Proxies.Ephemeral(replicas);
        spec.Autoscaling = autoscaledToFour ? new AutoscalingSpec { Enabled = true, MaxReplicas = 4 } : null;

        var pod = Proxies.PodTemplate(Proxies.With(spec)).Spec;

        if (spread)
        {
            var term = Assert.Single(pod.Affinity.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution);
            Assert.Equal("kubernetes.io/hostname", term.PodAffinityTerm.TopologyKey);
            Assert.Equal(Labels.Selector(Proxies.Name), term.PodAffinityTerm.LabelSelector.MatchLabels);
            Assert.Null(pod.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution);
            var constraint = Assert.Single(pod.TopologySpreadConstraints);
            Assert.Equal("topology.kubernetes.io/zone", constraint.TopologyKey);
            Assert.Equal("ScheduleAnyway", constraint.WhenUnsatisfiable);
        }
        else
        {
            Assert.Null(pod.Affinity);
            Assert.Null(pod.TopologySpreadConstraints);
        }
    }

    [Fact]
    public void The_specs_own_affinity_and_spread_replace_the_defaults()
    {
        var affinity = new V1Affinity { NodeAffinity = new V1NodeAffinity { RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector { NodeSelectorTerms = [] } } };
        var spread = new V1TopologySpreadConstraint { MaxSkew = 2, TopologyKey = "rack", WhenUnsatisfiable = "DoNotSchedule" };
        var spec = Proxies.Ephemeral(replicas: 3);
        spec.Affinity = affinity;
        spec.TopologySpreadConstraints = [spread];

        var pod = Proxies.PodTemplate(Proxies.With(spec)).Spec;

        Assert.Same(affinity, pod.Affinity);
        Assert.Same(spread, Assert.Single(pod.TopologySpreadConstraints));
    }

    [Fact]
    public void The_pod_runs_the_proxy_with_its_configuration_probes_and_a_locked_down_security_context()
    {
        var pod = Proxies.PodTemplate(Proxies.With(Proxies.Full())).Spec;

        var container = Assert.Single(pod.Containers);
        Assert.Equal("goproxy", container.Name);
        Assert.Equal("registry.example/goproxy:0.1.0", container.Image);
        Assert.Equal("IfNotPresent", container.ImagePullPolicy);
        Assert.Equal(["--config", "/etc/goproxy/config.yaml"], container.Args);
        Assert.Null(container.Command);
        var port = Assert.Single(container.Ports);
        Assert.Equal(("http", 3000), (port.Name, port.ContainerPort));
        Assert.Equal(("/healthz", "http"), (container.LivenessProbe.HttpGet.Path, container.LivenessProbe.HttpGet.Port.ToString()));
        Assert.Equal(("/readyz", "http"), (container.ReadinessProbe.HttpGet.Path, container.ReadinessProbe.HttpGet.Port.ToString()));
        Assert.Equal("100m", container.Resources.Requests["cpu"].ToString());

        var security = container.SecurityContext;
        Assert.True(security.RunAsNonRoot);
        Assert.False(security.AllowPrivilegeEscalation);
        Assert.True(security.ReadOnlyRootFilesystem);
        Assert.Equal(["ALL"], security.Capabilities.Drop);
        Assert.Equal("RuntimeDefault", security.SeccompProfile.Type);
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal(ProxyImage.UserId, pod.SecurityContext.FsGroup);
        Assert.False(pod.AutomountServiceAccountToken);

        Assert.Equal(
            ["/etc/goproxy", "/tmp", "/var/cache/goproxy"],
            container.VolumeMounts.Select(m => m.MountPath).Order(StringComparer.Ordinal));
        Assert.True(container.VolumeMounts.Single(m => m.MountPath == "/etc/goproxy").ReadOnlyProperty);
        Assert.Equal("corp-config", pod.Volumes.Single(v => v.Name == "config").ConfigMap.Name);
        Assert.NotNull(pod.Volumes.Single(v => v.Name == "tmp").EmptyDir);
        Assert.Equal(container.VolumeMounts.Select(m => m.Name).Order(StringComparer.Ordinal), pod.Volumes.Select(v => v.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Scheduling_and_pull_settings_come_from_the_spec()
    {
        var pod = Proxies.PodTemplate(Proxies.With(Proxies.Full())).Spec;

        Assert.Equal("regcred", Assert.Single(pod.ImagePullSecrets).Name);
        Assert.Equal("ssd", pod.NodeSelector["disk"]);
        Assert.Equal("dedicated", Assert.Single(pod.Tolerations).Key);
    }

    [Fact]
    public void Without_an_image_in_the_spec_the_pod_runs_the_default_or_the_callers_image()
    {
        var proxy = Proxies.With(Proxies.Ephemeral());

        Assert.Equal($"{ProxyImage.DefaultRepository}:{ProxyImage.DefaultTag}", WorkloadBuilder.BuildDeployment(proxy)!.Spec.Template.Spec.Containers[0].Image);
        Assert.Equal("mirror.example/goproxy:1.2.3", WorkloadBuilder.BuildDeployment(proxy, new ProxyImage("mirror.example/goproxy", "1.2.3"))!.Spec.Template.Spec.Containers[0].Image);
        Assert.Null(WorkloadBuilder.BuildDeployment(proxy)!.Spec.Template.Spec.Containers[0].ImagePullPolicy);
        Assert.Null(WorkloadBuilder.BuildDeployment(proxy)!.Spec.Template.Spec.ImagePullSecrets);
    }

    [Fact]
    public void The_default_tag_is_the_operators_own_version()
    {
        Assert.Equal(typeof(ProxyImage).Assembly.GetName().Version!.ToString(3), ProxyImage.DefaultTag);
    }

    [Fact]
    public void A_spec_image_with_only_a_tag_keeps_the_default_repository()
    {
        var proxy = Proxies.With(s => s.Image = new ImageSpec { Tag = "edge" });

        Assert.Equal($"{ProxyImage.DefaultRepository}:edge", Proxies.PodTemplate(proxy).Spec.Containers[0].Image);
    }

    [Fact]
    public void The_pod_template_carries_the_pod_annotations_and_the_config_hash()
    {
        var spec = Proxies.Full();

        var annotations = Proxies.PodTemplate(Proxies.With(spec)).Metadata.Annotations;

        Assert.Equal("platform", annotations["team"]);
        Assert.Equal(ProxyConfig.Build(spec).Hash, annotations[ProxyConfig.HashAnnotation]);
    }

    [Fact]
    public void A_configuration_change_changes_the_pod_template_so_the_pods_roll()
    {
        var spec = Proxies.Full();
        var before = Proxies.PodTemplate(Proxies.With(spec)).Metadata.Annotations[ProxyConfig.HashAnnotation];

        spec.Cache!.ListTtl = "10m";

        Assert.NotEqual(before, Proxies.PodTemplate(Proxies.With(spec)).Metadata.Annotations[ProxyConfig.HashAnnotation]);
    }

    [Fact]
    public void The_selector_uses_only_the_immutable_labels_and_matches_the_pods()
    {
        var deployment = WorkloadBuilder.BuildDeployment(Proxies.With(Proxies.S3()))!;

        Assert.Equal(
            new Dictionary<string, string> { ["app.kubernetes.io/name"] = "goproxy", ["app.kubernetes.io/instance"] = "corp" },
            deployment.Spec.Selector.MatchLabels);
        Assert.All(deployment.Spec.Selector.MatchLabels, label => Assert.Equal(label.Value, deployment.Spec.Template.Metadata.Labels[label.Key]));
    }

    private static GoModuleProxySpec Spec(string storage) => storage switch
    {
        "Disk ReadWriteOnce" => Proxies.Disk(VolumeAccessMode.ReadWriteOnce),
        "Disk ReadWriteMany" => Proxies.Disk(VolumeAccessMode.ReadWriteMany),
        "Disk with defaults" => new GoModuleProxySpec { Storage = new StorageSpec { Type = StorageType.Disk } },
        "no storage at all" => new GoModuleProxySpec(),
        "S3" => Proxies.S3(),
        "Ephemeral" => Proxies.Ephemeral(),
        _ => throw new ArgumentOutOfRangeException(nameof(storage)),
    };
}
