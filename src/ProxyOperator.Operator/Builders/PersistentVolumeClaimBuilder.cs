using k8s.Models;
using ProxyOperator.Operator.Api;

namespace ProxyOperator.Operator.Builders;

/// <summary>
/// The one claim all replicas share when storage is a ReadWriteMany disk. With ReadWriteOnce each replica gets its own
/// from the StatefulSet's claim template instead, and S3 or Ephemeral storage need none.
/// </summary>
public static class PersistentVolumeClaimBuilder
{
    /// <returns>The shared claim, or null when the proxy should not own one.</returns>
    public static V1PersistentVolumeClaim? Build(GoModuleProxy proxy)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        if (!EffectiveSpec.UsesSharedClaim(proxy.Spec))
        {
            return null;
        }

        var metadata = Ownership.Metadata(proxy, Names.CacheClaim(Ownership.ProxyName(proxy)));
        if (EffectiveSpec.RetainPolicy(proxy.Spec) == RetainPolicy.Retain)
        {
            // Without an owner the garbage collector leaves the claim when the resource goes. Server-side apply then
            // also drops the reference an earlier Delete policy put there, as it is a field we no longer send.
            metadata.OwnerReferences = null;
        }

        return new V1PersistentVolumeClaim
        {
            ApiVersion = Ownership.ApiVersion(V1PersistentVolumeClaim.KubeGroup, V1PersistentVolumeClaim.KubeApiVersion),
            Kind = V1PersistentVolumeClaim.KubeKind,
            Metadata = metadata,
            Spec = ClaimSpec(proxy.Spec),
        };
    }

    /// <summary>The claim's spec; also the StatefulSet's claim template, so both read the size and class alike.</summary>
    internal static V1PersistentVolumeClaimSpec ClaimSpec(GoModuleProxySpec spec) => new()
    {
        AccessModes = [EffectiveSpec.AccessMode(spec).ToString()],
        Resources = new V1VolumeResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["storage"] = EffectiveSpec.DiskSize(spec) },
        },
        StorageClassName = EffectiveSpec.StorageClassName(spec),
    };
}
