using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
[CustomResource(
    ShortNames = ["gmp"],
    Categories = ["proxyoperator"],
    StatusSubresource = true,
    SpecReplicasPath = ".spec.replicas",
    StatusReplicasPath = ".status.replicas",
    LabelSelectorPath = ".status.selector")]
[PrinterColumn(0, "Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status", Description = "The Ready condition")]
[PrinterColumn(1, "Replicas", "integer", ".status.readyReplicas", Description = "Ready proxy pods")]
[PrinterColumn(2, "Endpoint", "string", ".status.endpoint", Description = "The Service address inside the cluster")]
[PrinterColumn(3, "Hit Ratio", "number", ".status.cache.hitRatio", Description = "Cache hits over all requests")]
[PrinterColumn(4, "Age", "date", ".metadata.creationTimestamp")]
[Doc("A Go module proxy fleet (GOPROXY protocol) with its cache, upstreams and exposure.")]
public sealed class GoModuleProxy : IKubernetesObject<V1ObjectMeta>, ISpec<GoModuleProxySpec>, IStatus<GoModuleProxyStatus?>
{
    public const string KubeGroup = "proxyoperator.io";

    public const string KubeApiVersion = "v1alpha1";

    public const string KubeKind = "GoModuleProxy";

    public const string KubePluralName = "gomoduleproxies";

    /// <summary>group/version, as in the apiVersion field.</summary>
    public const string GroupVersion = KubeGroup + "/" + KubeApiVersion;

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = GroupVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>Never null once read from the API server: the schema defaults it to <c>{}</c>.</summary>
    [JsonPropertyName("spec")]
    [EmptyObjectDefault]
    public GoModuleProxySpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public GoModuleProxyStatus? Status { get; set; }
}
