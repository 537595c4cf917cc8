using k8s.Models;
using ProxyOperator.Operator.Api;

namespace ProxyOperator.Operator.Builders;

/// <summary>
/// The Deployment or StatefulSet that runs the proxy pods. Exactly one of <see cref="BuildDeployment"/> and
/// <see cref="BuildStatefulSet"/> returns an object for a given spec; the reconciler applies it and removes the other.
/// </summary>
public static class WorkloadBuilder
{
    private const string ConfigVolume = "config";

    private const string TempVolume = "tmp";

    /// <summary>namespace/name of the resource, as the proxy configuration names its instance.</summary>
    internal static string Instance(GoModuleProxy proxy) => $"{proxy.Metadata.NamespaceProperty}/{proxy.Metadata.Name}";

    public static WorkloadKind KindFor(GoModuleProxySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return EffectiveSpec.UsesVolumePerReplica(spec) ? WorkloadKind.StatefulSet : WorkloadKind.Deployment;
    }

    /// <param name="proxy">The resource.</param>
    /// <param name="image">The image when the spec names none; <see cref="ProxyImage.Default"/> when null.</param>
    /// <param name="secretVersions">The resourceVersions of the Secrets the pods mount, by name, for the rollout hash.</param>
    /// <returns>The Deployment, or null when storage calls for a StatefulSet.</returns>
    public static V1Deployment? BuildDeployment(GoModuleProxy proxy, ProxyImage? image = null, IReadOnlyDictionary<string, string>? secretVersions = null)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        if (KindFor(proxy.Spec) != WorkloadKind.Deployment)
        {
            return null;
        }

        var name = Ownership.ProxyName(proxy);
        return new V1Deployment
        {
            ApiVersion = Ownership.ApiVersion(V1Deployment.KubeGroup, V1Deployment.KubeApiVersion),
            Kind = V1Deployment.KubeKind,
            Metadata = Ownership.Metadata(proxy, Names.Workload(name)),
            Spec = new V1DeploymentSpec
            {
                Replicas = Replicas(proxy.Spec),
                Selector = new V1LabelSelector { MatchLabels = Labels.Selector(name) },
                // maxUnavailable 0: a new pod must be ready before an old one goes, so a rollout never lowers capacity.
                // maxSurge keeps its default (25%, rounded up to at least one pod).
                Strategy = new V1DeploymentStrategy
                {
                    Type = "RollingUpdate",
                    RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = (IntOrString)0 },
                },
                Template = PodTemplate(proxy, image ?? ProxyImage.Default, SharedStoreVolume(proxy.Spec, name), secretVersions),
            },
        };
    }

    /// <param name="proxy">The resource.</param>
    /// <param name="image">The image when the spec names none; <see cref="ProxyImage.Default"/> when null.</param>
    /// <param name="secretVersions">The resourceVersions of the Secrets the pods mount, by name, for the rollout hash.</param>
    /// <returns>The StatefulSet, or null when storage calls for a Deployment.</returns>
    public static V1StatefulSet? BuildStatefulSet(GoModuleProxy proxy, ProxyImage? image = null, IReadOnlyDictionary<string, string>? secretVersions = null)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        if (KindFor(proxy.Spec) != WorkloadKind.StatefulSet)
        {
            return null;
        }

        var name = Ownership.ProxyName(proxy);
        return new V1StatefulSet
        {
            ApiVersion = Ownership.ApiVersion(V1StatefulSet.KubeGroup, V1StatefulSet.KubeApiVersion),
            Kind = V1StatefulSet.KubeKind,
            Metadata = Ownership.Metadata(proxy, Names.Workload(name)),
            Spec = new V1StatefulSetSpec
            {
                Replicas = Replicas(proxy.Spec),
                Selector = new V1LabelSelector { MatchLabels = Labels.Selector(name) },
                ServiceName = Names.HeadlessService(name),
                // Proxy pods are interchangeable caches: start and stop them all at once rather than one by one.
                // Immutable after creation, so set from the first apply.
                PodManagementPolicy = "Parallel",
                UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "RollingUpdate" },
                Template = PodTemplate(proxy, image ?? ProxyImage.Default, storeVolume: null, secretVersions),
                VolumeClaimTemplates =
                [
                    // Only name and spec: claim templates are immutable, so they carry nothing we might change later.
                    new V1PersistentVolumeClaim
                    {
                        Metadata = new V1ObjectMeta { Name = Names.CacheVolume },
                        Spec = PersistentVolumeClaimBuilder.ClaimSpec(proxy.Spec),
                    },
                ],
            },
        };
    }

    /// <summary>Null under autoscaling: the HPA owns the count, and a value sent here would fight it on every reconcile.</summary>
    private static int? Replicas(GoModuleProxySpec spec) => EffectiveSpec.Autoscaled(spec) ? null : EffectiveSpec.Replicas(spec);

    /// <summary>The store volume of a Deployment's pods; a StatefulSet's comes from its claim template.</summary>
    private static V1Volume SharedStoreVolume(GoModuleProxySpec spec, string name) =>
        EffectiveSpec.UsesSharedClaim(spec)
            ? new V1Volume { Name = Names.CacheVolume, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = Names.CacheClaim(name) } }
            // Ephemeral, and S3 too: the proxy still needs a writable folder for the store path it is given.
            : new V1Volume { Name = Names.CacheVolume, EmptyDir = new V1EmptyDirVolumeSource() };

    private static V1PodTemplateSpec PodTemplate(GoModuleProxy proxy, ProxyImage image, V1Volume? storeVolume, IReadOnlyDictionary<string, string>? secretVersions)
    {
        var spec = proxy.Spec;
        var name = Ownership.ProxyName(proxy);
        var annotations = new Dictionary<string, string>(spec.PodAnnotations ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [ProxyConfig.HashAnnotation] = ProxyConfig.Build(spec, Instance(proxy)).Hash,
        };
        if (SecretMounts.Hash(spec, secretVersions) is { } secretsHash)
        {
            annotations[SecretMounts.HashAnnotation] = secretsHash;
        }

        var volumes = new List<V1Volume>
        {
            new() { Name = ConfigVolume, ConfigMap = new V1ConfigMapVolumeSource { Name = Names.ConfigMap(name) } },
            new() { Name = TempVolume, EmptyDir = new V1EmptyDirVolumeSource() },
        };
        if (storeVolume is not null)
        {
            volumes.Add(storeVolume);
        }

        volumes.AddRange(SecretMounts.Volumes(spec));

        var severalPods = EffectiveSpec.MayRunSeveralPods(spec);
        return new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = Labels.For(name), Annotations = annotations },
            Spec = new V1PodSpec
            {
                // The proxy never talks to the Kubernetes API: no token in the pod.
                AutomountServiceAccountToken = false,
                SecurityContext = new V1PodSecurityContext
                {
                    RunAsNonRoot = true,
                    // A fresh volume is owned by root; the group lets the image's non-root user write the store.
                    // OnRootMismatch skips the recursive chown of a large, already-owned cache at every start.
                    FsGroup = ProxyImage.UserId,
                    FsGroupChangePolicy = "OnRootMismatch",
                    SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                },
                Containers = [Container(spec, image)],
                Volumes = volumes,
                ImagePullSecrets = spec.Image?.PullSecrets is { Count: > 0 } secrets ? [.. secrets] : null,
                NodeSelector = spec.NodeSelector is { Count: > 0 } nodeSelector ? new Dictionary<string, string>(nodeSelector, StringComparer.Ordinal) : null,
                Tolerations = spec.Tolerations is { Count: > 0 } tolerations ? [.. tolerations] : null,
                Affinity = spec.Affinity ?? (severalPods ? DefaultAntiAffinity(name) : null),
                TopologySpreadConstraints = spec.TopologySpreadConstraints is { Count: > 0 } spread
                    ? [.. spread]
                    : severalPods ? [DefaultZoneSpread(name)] : null,
            },
        };
    }

    private static V1Container Container(GoModuleProxySpec spec, ProxyImage image) => new()
    {
        Name = ProxyContainer.Name,
        Image = image.Reference(spec.Image),
        ImagePullPolicy = spec.Image?.PullPolicy?.ToString(),
        // The image's entrypoint already passes --listen and --storage-dir; the file holds the rest.
        Args = ["--config", ProxyContainer.ConfigPath],
        // Protocol is part of the ports list's key under server-side apply, so it is set although TCP is the default.
        Ports = [new V1ContainerPort { Name = ProxyContainer.PortName, ContainerPort = ProxyContainer.Port, Protocol = "TCP" }],
        // /healthz checks only the process; /readyz checks storage, never the upstream (DESIGN §4), so an upstream
        // outage does not empty the Service.
        LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = ProxyContainer.HealthPath, Port = (IntOrString)ProxyContainer.PortName } },
        ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = ProxyContainer.ReadyPath, Port = (IntOrString)ProxyContainer.PortName } },
        Resources = spec.Resources ?? DefaultResources(),
        SecurityContext = new V1SecurityContext
        {
            RunAsNonRoot = true,
            AllowPrivilegeEscalation = false,
            ReadOnlyRootFilesystem = true,
            Capabilities = new V1Capabilities { Drop = ["ALL"] },
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        },
        VolumeMounts =
        [
            new V1VolumeMount { Name = ConfigVolume, MountPath = ProxyContainer.ConfigDirectory, ReadOnlyProperty = true },
            new V1VolumeMount { Name = Names.CacheVolume, MountPath = ProxyContainer.StoreDirectory },
            new V1VolumeMount { Name = TempVolume, MountPath = ProxyContainer.TempDirectory },
            .. SecretMounts.VolumeMounts(spec),
        ],
    };

    /// <summary>
    /// Requests only, when the spec sets no resources: the scheduler needs them to place pods sensibly, and a
    /// CPU-utilization autoscaler cannot compute utilization without a CPU request. No limits: a CPU limit throttles
    /// zip streaming, and a memory limit is the user's call for their largest modules.
    /// </summary>
    private static V1ResourceRequirements DefaultResources() => new()
    {
        Requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
        {
            ["cpu"] = new(GoModuleProxyDefaults.CpuRequest),
            ["memory"] = new(GoModuleProxyDefaults.MemoryRequest),
        },
    };

    /// <summary>Prefer one proxy per node, so that losing a node loses one replica; preferred, so a small cluster still schedules them all.</summary>
    private static V1Affinity DefaultAntiAffinity(string name) => new()
    {
        PodAntiAffinity = new V1PodAntiAffinity
        {
            PreferredDuringSchedulingIgnoredDuringExecution =
            [
                new V1WeightedPodAffinityTerm
                {
                    Weight = 100,
                    PodAffinityTerm = new V1PodAffinityTerm
                    {
                        LabelSelector = new V1LabelSelector { MatchLabels = Labels.Selector(name) },
                        TopologyKey = "kubernetes.io/hostname",
                    },
                },
            ],
        },
    };

    /// <summary>
    /// Spread across zones too: the anti-affinity already separates nodes, and a zone outage is the larger failure.
    /// ScheduleAnyway, so clusters without zone labels or with one zone schedule as before.
    /// </summary>
    private static V1TopologySpreadConstraint DefaultZoneSpread(string name) => new()
    {
        MaxSkew = 1,
        TopologyKey = "topology.kubernetes.io/zone",
        WhenUnsatisfiable = "ScheduleAnyway",
        LabelSelector = new V1LabelSelector { MatchLabels = Labels.Selector(name) },
    };
}
