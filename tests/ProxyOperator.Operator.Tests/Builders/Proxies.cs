using k8s;
using k8s.Models;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Builders;

namespace ProxyOperator.Operator.Tests.Builders;

/// <summary>Realistic resources for the builder tests, as the API server would hand them to the reconciler.</summary>
internal static class Proxies
{
    public const string Name = "corp";

    public const string Namespace = "tools";

    public const string Uid = "5f0c6a4e-2b1d-4f7a-9c3e-8d2b1a0e6f11";

    public static GoModuleProxy With(GoModuleProxySpec spec) => new()
    {
        Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = Namespace, Uid = Uid, Generation = 1 },
        Spec = spec,
    };

    public static GoModuleProxy With(Action<GoModuleProxySpec> change)
    {
        var spec = new GoModuleProxySpec();
        change(spec);
        return With(spec);
    }

    public static GoModuleProxySpec Disk(VolumeAccessMode accessMode, int replicas = 1) => new()
    {
        Replicas = replicas,
        Storage = new StorageSpec
        {
            Type = StorageType.Disk,
            Disk = new DiskStorageSpec { Size = new ResourceQuantity("50Gi"), StorageClassName = "fast", AccessMode = accessMode },
        },
    };

    public static GoModuleProxySpec S3(int replicas = 3) => new()
    {
        Replicas = replicas,
        Storage = new StorageSpec { Type = StorageType.S3, S3 = new S3StorageSpec { Bucket = "modules", Endpoint = "http://minio:9000", ForcePathStyle = true } },
    };

    public static GoModuleProxySpec Ephemeral(int replicas = 1) => new()
    {
        Replicas = replicas,
        Storage = new StorageSpec { Type = StorageType.Ephemeral },
    };

    /// <summary>Everything a fully specified resource gets, as close to config/samples as the proxy supports.</summary>
    public static GoModuleProxySpec Full() => new()
    {
        Replicas = 3,
        Image = new ImageSpec { Repository = "registry.example/goproxy", Tag = "0.1.0", PullPolicy = PullPolicy.IfNotPresent, PullSecrets = [new V1LocalObjectReference { Name = "regcred" }] },
        Upstreams = [new UpstreamSpec { Url = "https://proxy.golang.org", FallBack = FallBack.OnAnyError }, new UpstreamSpec { Url = "https://goproxy.example" }],
        Storage = new StorageSpec { Type = StorageType.Disk, Disk = new DiskStorageSpec { Size = new ResourceQuantity("50Gi"), AccessMode = VolumeAccessMode.ReadWriteMany } },
        Cache = new CacheSpec { ListTtl = "90s", NotFoundTtl = "1h30m", StaleIfError = false },
        Service = new ServiceSpec { Type = ServiceType.LoadBalancer, Port = 8080, Annotations = new Dictionary<string, string> { ["lb.example/internal"] = "true" } },
        PodDisruptionBudget = new PodDisruptionBudgetSpec { MaxUnavailable = "50%" },
        Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("128Mi") } },
        NodeSelector = new Dictionary<string, string> { ["disk"] = "ssd" },
        Tolerations = [new V1Toleration { Key = "dedicated", OperatorProperty = "Equal", Value = "proxy", Effect = "NoSchedule" }],
        PodAnnotations = new Dictionary<string, string> { ["team"] = "platform" },
    };

    /// <summary><see cref="Full"/> reached from outside: an Ingress with TLS, a ServiceMonitor and an autoscaler.</summary>
    public static GoModuleProxySpec Exposed()
    {
        var spec = Full();
        spec.Ingress = new IngressSpec { Enabled = true, ClassName = IngressClass.Haproxy, Host = "goproxy.example", Tls = new IngressTlsSpec { SecretName = "goproxy-tls" } };
        spec.Monitoring = new MonitoringSpec { ServiceMonitor = new ServiceMonitorSpec { Enabled = true } };
        spec.Autoscaling = new AutoscalingSpec { Enabled = true, MinReplicas = 2, MaxReplicas = 5 };
        spec.NetworkPolicy = new NetworkPolicySpec { Enabled = true, AllowedNamespaces = ["ci"] };
        return spec;
    }

    /// <summary>Every option the proxy can be given today: S3 with credentials and a size bound, a Redis lock, the admin API.</summary>
    public static GoModuleProxySpec Everything()
    {
        var spec = S3();
        spec.Storage!.S3 = new S3StorageSpec { Bucket = "modules", Prefix = "team/", Endpoint = "http://minio.storage:9000", Region = "eu-west-1", ForcePathStyle = true, CredentialsSecret = "s3" };
        spec.Storage.MaxSize = new ResourceQuantity("40Gi");
        spec.Storage.Lock = new LockSpec { Type = LockType.Redis, Redis = new RedisLockSpec { Address = "redis.cache:6379", PasswordSecret = "redis" } };
        spec.Admin = new AdminSpec { TokenSecret = "admin" };
        spec.Auth = new AuthSpec { Type = AuthType.Basic, SecretRef = new V1LocalObjectReference { Name = "users" } };
        spec.PrivateModules = [new PrivateModuleSpec { Pattern = "git.corp.example/*", CredentialsSecret = "corp-git" }];
        spec.Filters = new FilterSpec { Deny = ["github.com/evil/*", "example.com/lib@<v1.2.3"] };
        spec.SumDb = new SumDbSpec { Verify = true };
        return spec;
    }

    /// <summary>Every object the builders produce for <paramref name="proxy"/>, nulls left out.</summary>
    public static IEnumerable<IKubernetesObject<V1ObjectMeta>> OwnedObjects(GoModuleProxy proxy)
    {
        IKubernetesObject<V1ObjectMeta>?[] objects =
        [
            ConfigMapBuilder.Build(proxy),
            WorkloadBuilder.BuildDeployment(proxy),
            WorkloadBuilder.BuildStatefulSet(proxy),
            ServiceBuilder.Build(proxy),
            ServiceBuilder.BuildHeadless(proxy),
            PersistentVolumeClaimBuilder.Build(proxy),
            PodDisruptionBudgetBuilder.Build(proxy),
            IngressBuilder.Build(proxy),
            HorizontalPodAutoscalerBuilder.Build(proxy),
            ServiceMonitorBuilder.Build(proxy),
            NetworkPolicyBuilder.Build(proxy, "proxy-operator-system"),
        ];
        return objects.OfType<IKubernetesObject<V1ObjectMeta>>();
    }

    /// <summary>The pod template of whichever workload the spec calls for.</summary>
    public static V1PodTemplateSpec PodTemplate(GoModuleProxy proxy) =>
        WorkloadBuilder.BuildDeployment(proxy)?.Spec.Template ?? WorkloadBuilder.BuildStatefulSet(proxy)!.Spec.Template;
}
