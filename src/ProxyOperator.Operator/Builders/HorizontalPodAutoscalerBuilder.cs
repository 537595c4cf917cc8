using k8s.Models;
using ProxyOperator.Operator.Api;

namespace ProxyOperator.Operator.Builders;

/// <summary>The <c>autoscaling/v2</c> HorizontalPodAutoscaler that scales the proxy workload on CPU.</summary>
public static class HorizontalPodAutoscalerBuilder
{
    /// <returns>The autoscaler, or null unless <c>spec.autoscaling.enabled</c>.</returns>
    /// <exception cref="ArgumentException">enabled without maxReplicas, which the schema refuses.</exception>
    /// <remarks>
    /// It targets the Deployment or StatefulSet, which then must not carry replicas from the operator
    /// (<see cref="WorkloadBuilder"/> leaves them out under autoscaling). A CPU-utilization target is a share of
    /// the containers' CPU request, so without <c>spec.resources.requests.cpu</c> the autoscaler cannot compute it
    /// and does not scale.
    /// </remarks>
    public static V2HorizontalPodAutoscaler? Build(GoModuleProxy proxy)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        var autoscaling = proxy.Spec.Autoscaling;
        if (autoscaling?.Enabled != true)
        {
            return null;
        }

        var name = Ownership.ProxyName(proxy);
        var maxReplicas = autoscaling.MaxReplicas
            ?? throw new ArgumentException("spec.autoscaling.maxReplicas is required when autoscaling is enabled", nameof(proxy));
        return new V2HorizontalPodAutoscaler
        {
            ApiVersion = Ownership.ApiVersion(V2HorizontalPodAutoscaler.KubeGroup, V2HorizontalPodAutoscaler.KubeApiVersion),
            Kind = V2HorizontalPodAutoscaler.KubeKind,
            Metadata = Ownership.Metadata(proxy, Names.HorizontalPodAutoscaler(name)),
            Spec = new V2HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = ScaleTarget(proxy.Spec, name),
                MinReplicas = autoscaling.MinReplicas ?? GoModuleProxyDefaults.AutoscalingMinReplicas,
                MaxReplicas = maxReplicas,
                Metrics =
                [
                    new V2MetricSpec
                    {
                        Type = "Resource",
                        Resource = new V2ResourceMetricSource
                        {
                            Name = "cpu",
                            Target = new V2MetricTarget
                            {
                                Type = "Utilization",
                                AverageUtilization = autoscaling.TargetCpuUtilizationPercentage ?? GoModuleProxyDefaults.TargetCpuUtilizationPercentage,
                            },
                        },
                    },
                ],
            },
        };
    }

    private static V2CrossVersionObjectReference ScaleTarget(GoModuleProxySpec spec, string name) => WorkloadBuilder.KindFor(spec) switch
    {
        WorkloadKind.Deployment => new V2CrossVersionObjectReference
        {
            ApiVersion = Ownership.ApiVersion(V1Deployment.KubeGroup, V1Deployment.KubeApiVersion),
            Kind = V1Deployment.KubeKind,
            Name = Names.Workload(name),
        },
        WorkloadKind.StatefulSet => new V2CrossVersionObjectReference
        {
            ApiVersion = Ownership.ApiVersion(V1StatefulSet.KubeGroup, V1StatefulSet.KubeApiVersion),
            Kind = V1StatefulSet.KubeKind,
            Name = Names.Workload(name),
        },
        var kind => throw new ArgumentOutOfRangeException(nameof(spec), kind, "a workload kind the autoscaler cannot target"),
    };
}
