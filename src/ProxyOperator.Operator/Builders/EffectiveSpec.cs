using ProxyOperator.Operator.Api;

namespace ProxyOperator.Operator.Builders;

/// <summary>
/// The spec's values with the schema defaults filled in. The API server applies the defaults on every write, but a
/// spec built in code (or stored before a default existed) may lack them; the builders read through here so that both
/// give the same objects.
/// </summary>
internal static class EffectiveSpec
{
    public static int Replicas(GoModuleProxySpec spec) => spec.Replicas ?? GoModuleProxyDefaults.Replicas;

    public static bool Autoscaled(GoModuleProxySpec spec) => spec.Autoscaling?.Enabled == true;

    /// <summary>
    /// Whether the fleet may run more than one pod. Under autoscaling the HPA's maximum decides, not the current count,
    /// so that the pod template (and its anti-affinity) does not change, and roll every pod, each time the HPA scales.
    /// </summary>
    public static bool MayRunSeveralPods(GoModuleProxySpec spec) =>
        Autoscaled(spec) ? (spec.Autoscaling!.MaxReplicas ?? 0) > 1 : Replicas(spec) > 1;

    public static StorageType StorageType(GoModuleProxySpec spec) => spec.Storage?.Type ?? Api.StorageType.Disk;

    public static VolumeAccessMode AccessMode(GoModuleProxySpec spec) => spec.Storage?.Disk?.AccessMode ?? VolumeAccessMode.ReadWriteOnce;

    /// <summary>Disk with ReadWriteOnce: one volume per replica, so a StatefulSet (DESIGN §2).</summary>
    public static bool UsesVolumePerReplica(GoModuleProxySpec spec) =>
        StorageType(spec) == Api.StorageType.Disk && AccessMode(spec) == VolumeAccessMode.ReadWriteOnce;

    /// <summary>Disk with ReadWriteMany: one claim all replicas of a Deployment share.</summary>
    public static bool UsesSharedClaim(GoModuleProxySpec spec) =>
        StorageType(spec) == Api.StorageType.Disk && AccessMode(spec) == VolumeAccessMode.ReadWriteMany;

    /// <summary>One store all pods share (S3, or a ReadWriteMany disk): every pod reports the same cache figures.</summary>
    public static bool SharesOneStore(GoModuleProxySpec spec) => UsesSharedClaim(spec) || StorageType(spec) == Api.StorageType.S3;

    public static RetainPolicy RetainPolicy(GoModuleProxySpec spec) => spec.Storage?.RetainPolicy ?? Api.RetainPolicy.Delete;

    /// <summary>
    /// Per-replica claims to delete with the resource: the StatefulSet's claim templates make claims it does not own,
    /// so garbage collection leaves them (until persistentVolumeClaimRetentionPolicy, beta in Kubernetes 1.27).
    /// </summary>
    public static bool NeedsFinalizer(GoModuleProxySpec spec) => UsesVolumePerReplica(spec) && RetainPolicy(spec) == Api.RetainPolicy.Delete;

    public static k8s.Models.ResourceQuantity DiskSize(GoModuleProxySpec spec) =>
        spec.Storage?.Disk?.Size ?? new k8s.Models.ResourceQuantity(GoModuleProxyDefaults.DiskSize);

    /// <summary>
    /// The StorageClass, or null for the cluster's default as the field's documentation promises. An empty string is
    /// read as unset too: sent on, it would mean "no class at all" to Kubernetes and the claim would wait for a
    /// hand-made volume.
    /// </summary>
    public static string? StorageClassName(GoModuleProxySpec spec) =>
        spec.Storage?.Disk?.StorageClassName is { Length: > 0 } name ? name : null;

    public static int ServicePort(GoModuleProxySpec spec) => spec.Service?.Port ?? GoModuleProxyDefaults.ServicePort;
}
