using System.Text.Json.Nodes;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Builders;

namespace ProxyOperator.Operator.Tests.Builders;

public sealed class HorizontalPodAutoscalerBuilderTests
{
    public static TheoryData<AutoscalingSpec?> Disabled => new()
    {
        null,
        new AutoscalingSpec { MaxReplicas = 5 },
        new AutoscalingSpec { Enabled = false, MinReplicas = 2, MaxReplicas = 5 },
    };

    [Theory]
    [MemberData(nameof(Disabled))]
    public void There_is_no_autoscaler_unless_it_is_enabled(AutoscalingSpec? autoscaling)
    {
        Assert.Null(HorizontalPodAutoscalerBuilder.Build(Proxies.With(s => s.Autoscaling = autoscaling)));
    }

    [Theory]
    [InlineData(StorageType.S3, null, "Deployment")]
    [InlineData(StorageType.Ephemeral, null, "Deployment")]
    [InlineData(StorageType.Disk, VolumeAccessMode.ReadWriteMany, "Deployment")]
    [InlineData(StorageType.Disk, VolumeAccessMode.ReadWriteOnce, "StatefulSet")]
    public void The_autoscaler_scales_whichever_workload_the_storage_calls_for(StorageType type, VolumeAccessMode? accessMode, string kind)
    {
        var proxy = Proxies.With(s =>
        {
            s.Storage = new StorageSpec
            {
                Type = type,
                Disk = accessMode is null ? null : new DiskStorageSpec { AccessMode = accessMode },
                S3 = type == StorageType.S3 ? new S3StorageSpec { Bucket = "modules" } : null,
            };
            s.Autoscaling = new AutoscalingSpec { Enabled = true, MaxReplicas = 5 };
        });

        var target = HorizontalPodAutoscalerBuilder.Build(proxy)!.Spec.ScaleTargetRef;

        Assert.Equal(("apps/v1", kind), (target.ApiVersion, target.Kind));
        var workload = (k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>?)WorkloadBuilder.BuildDeployment(proxy) ?? WorkloadBuilder.BuildStatefulSet(proxy)!;
        Assert.Equal((workload.Kind, workload.Metadata.Name), (target.Kind, target.Name));
    }

    [Fact]
    public void Replica_bounds_and_cpu_target_come_from_the_spec()
    {
        var hpa = HorizontalPodAutoscalerBuilder.Build(Proxies.With(s => s.Autoscaling = new AutoscalingSpec
        {
            Enabled = true,
            MinReplicas = 2,
            MaxReplicas = 10,
            TargetCpuUtilizationPercentage = 65,
        }))!;

        Assert.Equal((2, 10), (hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas));
        var metric = Assert.Single(hpa.Spec.Metrics);
        Assert.Equal(("Resource", "cpu", "Utilization", 65), (metric.Type, metric.Resource.Name, metric.Resource.Target.Type, metric.Resource.Target.AverageUtilization));
    }

    [Fact]
    public void Minimum_replicas_and_cpu_target_default_as_the_schema_does()
    {
        var hpa = HorizontalPodAutoscalerBuilder.Build(Proxies.With(s => s.Autoscaling = new AutoscalingSpec { Enabled = true, MaxReplicas = 4 }))!;

        Assert.Equal(GoModuleProxyDefaults.AutoscalingMinReplicas, hpa.Spec.MinReplicas);
        Assert.Equal(GoModuleProxyDefaults.TargetCpuUtilizationPercentage, Assert.Single(hpa.Spec.Metrics).Resource.Target.AverageUtilization);
    }

    [Fact]
    public void Autoscaling_without_a_maximum_is_refused()
    {
        var proxy = Proxies.With(s => s.Autoscaling = new AutoscalingSpec { Enabled = true });

        Assert.Throws<ArgumentException>(() => HorizontalPodAutoscalerBuilder.Build(proxy));
    }

    [Fact]
    public void The_autoscaler_is_owned_by_the_proxy_and_carries_its_labels()
    {
        var hpa = HorizontalPodAutoscalerBuilder.Build(Proxies.With(s => s.Autoscaling = new AutoscalingSpec { Enabled = true, MaxReplicas = 3 }))!;

        Assert.Equal(("autoscaling/v2", "HorizontalPodAutoscaler"), (hpa.ApiVersion, hpa.Kind));
        BuilderAssert.OwnedByTheProxy(hpa);
        Assert.Equal(Labels.For(Proxies.Name), hpa.Metadata.Labels);
    }

    [Fact]
    public void The_autoscaler_serializes_to_exactly_the_fields_we_own_and_reads_back_strictly()
    {
        var proxy = Proxies.With(s =>
        {
            s.Storage = new StorageSpec { Type = StorageType.Ephemeral };
            s.Autoscaling = new AutoscalingSpec { Enabled = true, MinReplicas = 2, MaxReplicas = 6 };
        });

        var json = BuilderAssert.RoundTripsStrictly(HorizontalPodAutoscalerBuilder.Build(proxy)!);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {
              "scaleTargetRef": { "apiVersion": "apps/v1", "kind": "Deployment", "name": "corp" },
              "minReplicas": 2,
              "maxReplicas": 6,
              "metrics": [
                { "type": "Resource", "resource": { "name": "cpu", "target": { "type": "Utilization", "averageUtilization": 80 } } }
              ]
            }
            """), json["spec"]), json.ToJsonString());
        Assert.Equal(["apiVersion", "kind", "metadata", "spec"], json.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
    }
}
