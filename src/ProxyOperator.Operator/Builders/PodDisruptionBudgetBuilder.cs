using k8s.Models;
using ProxyOperator.Operator.Api;

namespace ProxyOperator.Operator.Builders;

/// <summary>The <c>policy/v1</c> PodDisruptionBudget that keeps node drains from taking the whole fleet down at once.</summary>
public static class PodDisruptionBudgetBuilder
{
    /// <summary>The fewest replicas that get a budget.</summary>
    public const int MinimumReplicas = 2;

    /// <returns>
    /// The budget, or null below <see cref="MinimumReplicas"/>: with one pod a budget can only either block drains
    /// forever or protect nothing (CloudNativePG's BuildReplicasPodDisruptionBudget returns nil likewise).
    /// </returns>
    /// <remarks>
    /// Under an autoscaler the HPA's maximum decides, not spec.replicas (which the HPA does not write: it scales the
    /// workload), so that the budget is there whenever the fleet may grow past one pod.
    /// </remarks>
    public static V1PodDisruptionBudget? Build(GoModuleProxy proxy)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        if (!EffectiveSpec.MayRunSeveralPods(proxy.Spec))
        {
            return null;
        }

        var name = Ownership.ProxyName(proxy);
        return new V1PodDisruptionBudget
        {
            ApiVersion = Ownership.ApiVersion(V1PodDisruptionBudget.KubeGroup, V1PodDisruptionBudget.KubeApiVersion),
            Kind = V1PodDisruptionBudget.KubeKind,
            Metadata = Ownership.Metadata(proxy, Names.PodDisruptionBudget(name)),
            Spec = new V1PodDisruptionBudgetSpec
            {
                MaxUnavailable = proxy.Spec.PodDisruptionBudget?.MaxUnavailable ?? (IntOrString)GoModuleProxyDefaults.PdbMaxUnavailable,
                Selector = new V1LabelSelector { MatchLabels = Labels.Selector(name) },
            },
        };
    }
}
