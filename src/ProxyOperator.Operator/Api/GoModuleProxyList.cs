using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace ProxyOperator.Operator.Api;

/// <summary>What a list request answers.</summary>
public sealed class GoModuleProxyList : IKubernetesObject<V1ListMeta>, IItems<GoModuleProxy>
{
    public const string KubeKind = GoModuleProxy.KubeKind + "List";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = GoModuleProxy.GroupVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<GoModuleProxy> Items { get; set; } = [];
}
