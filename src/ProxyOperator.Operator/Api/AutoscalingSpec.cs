using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("A HorizontalPodAutoscaler on the proxy's Deployment or StatefulSet. While enabled it owns the replica count: spec.replicas (and kubectl scale) is ignored.")]
[CelRule("!has(self.enabled) || !self.enabled || has(self.maxReplicas)", SpecMessages.AutoscalingMaxRequired, FieldPath = ".maxReplicas", Reason = "FieldValueRequired")]
[CelRule("!has(self.minReplicas) || !has(self.maxReplicas) || self.maxReplicas >= self.minReplicas", SpecMessages.AutoscalingMaxBelowMin, FieldPath = ".maxReplicas")]
public sealed class AutoscalingSpec
{
    [JsonPropertyName("enabled")]
    [Default(false)]
    public bool? Enabled { get; set; }

    [JsonPropertyName("minReplicas")]
    [Default(GoModuleProxyDefaults.AutoscalingMinReplicas)]
    [Minimum(1)]
    public int? MinReplicas { get; set; }

    [JsonPropertyName("maxReplicas")]
    [Doc("Required when enabled.")]
    [Minimum(1)]
    public int? MaxReplicas { get; set; }

    [JsonPropertyName("targetCPUUtilizationPercentage")]
    [Default(GoModuleProxyDefaults.TargetCpuUtilizationPercentage)]
    [Minimum(1)]
    public int? TargetCpuUtilizationPercentage { get; set; }
}
