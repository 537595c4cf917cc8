using k8s;
using k8s.Models;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Builders;

namespace ProxyOperator.Operator.Reconciliation;

/// <summary>
/// Every object a GoModuleProxy may own, by kind and name, with the desired object or null when it should not exist
/// (then the reconciler deletes it, if it is ours). Computed by the builders alone: no API calls.
/// </summary>
internal sealed record DesiredChildren(IReadOnlyList<DesiredChild> Children)
{
    public static DesiredChildren For(GoModuleProxy proxy, ProxyImage? image)
    {
        var name = proxy.Metadata.Name;
        return new DesiredChildren(
        [
            new(OwnedKind.ConfigMap, Names.ConfigMap(name), ConfigMapBuilder.Build(proxy)),
            new(OwnedKind.PersistentVolumeClaim, Names.CacheClaim(name), PersistentVolumeClaimBuilder.Build(proxy)),
            new(OwnedKind.Service, Names.Service(name), ServiceBuilder.Build(proxy)),
            new(OwnedKind.Service, Names.HeadlessService(name), ServiceBuilder.BuildHeadless(proxy)),
            new(OwnedKind.Deployment, Names.Workload(name), WorkloadBuilder.BuildDeployment(proxy, image)),
            new(OwnedKind.StatefulSet, Names.Workload(name), WorkloadBuilder.BuildStatefulSet(proxy, image)),
            new(OwnedKind.PodDisruptionBudget, Names.PodDisruptionBudget(name), PodDisruptionBudgetBuilder.Build(proxy)),
        ]);
    }
}

/// <summary>One owned object: applied when <see cref="Object"/> is set, deleted (if ours) when it is null.</summary>
internal sealed record DesiredChild(OwnedKind Kind, string Name, IKubernetesObject<V1ObjectMeta>? Object);
