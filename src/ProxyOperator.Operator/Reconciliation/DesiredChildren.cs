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
    /// <param name="proxy">The resource.</param>
    /// <param name="image">The operator's default proxy image.</param>
    /// <param name="secretVersions">The resourceVersions of the Secrets the pods mount.</param>
    /// <param name="serviceMonitorsServed">
    /// Whether the cluster serves ServiceMonitors; when it does not, the ServiceMonitor is left out altogether (neither
    /// applied nor deleted: there is nothing to delete through an API that does not exist).
    /// </param>
    /// <param name="operatorNamespace">Where the operator runs, let through a NetworkPolicy to reach each pod's /status.</param>
    public static DesiredChildren For(GoModuleProxy proxy, ProxyImage? image, IReadOnlyDictionary<string, string>? secretVersions = null, bool serviceMonitorsServed = false, string? operatorNamespace = null)
    {
        var name = proxy.Metadata.Name;
        List<DesiredChild> children =
        [
            new(OwnedKind.ConfigMap, Names.ConfigMap(name), ConfigMapBuilder.Build(proxy)),
            new(OwnedKind.PersistentVolumeClaim, Names.CacheClaim(name), PersistentVolumeClaimBuilder.Build(proxy)),
            new(OwnedKind.Service, Names.Service(name), ServiceBuilder.Build(proxy)),
            new(OwnedKind.Service, Names.HeadlessService(name), ServiceBuilder.BuildHeadless(proxy)),
            new(OwnedKind.Deployment, Names.Workload(name), WorkloadBuilder.BuildDeployment(proxy, image, secretVersions)),
            new(OwnedKind.StatefulSet, Names.Workload(name), WorkloadBuilder.BuildStatefulSet(proxy, image, secretVersions)),
            new(OwnedKind.PodDisruptionBudget, Names.PodDisruptionBudget(name), PodDisruptionBudgetBuilder.Build(proxy)),
            new(OwnedKind.Ingress, Names.Ingress(name), IngressBuilder.Build(proxy)),
            new(OwnedKind.HorizontalPodAutoscaler, Names.HorizontalPodAutoscaler(name), HorizontalPodAutoscalerBuilder.Build(proxy)),
            new(OwnedKind.NetworkPolicy, Names.NetworkPolicy(name), NetworkPolicyBuilder.Build(proxy, operatorNamespace)),
        ];
        if (serviceMonitorsServed)
        {
            children.Add(new(OwnedKind.ServiceMonitor, Names.ServiceMonitor(name), ServiceMonitorBuilder.Build(proxy)));
        }

        return new DesiredChildren(children);
    }
}

/// <summary>One owned object: applied when <see cref="Object"/> is set, deleted (if ours) when it is null.</summary>
internal sealed record DesiredChild(OwnedKind Kind, string Name, IKubernetesObject<V1ObjectMeta>? Object);
