using System.Text.Json.Serialization;
using k8s.Models;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("The PodDisruptionBudget, created when there are two replicas or more.")]
public sealed class PodDisruptionBudgetSpec
{
    [JsonPropertyName("maxUnavailable")]
    [Doc("A number of pods or a percentage.")]
    [Default(GoModuleProxyDefaults.PdbMaxUnavailable)]
    public IntOrString? MaxUnavailable { get; set; }
}
