using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace ProxyOperator.Operator.Builders.Monitoring;

/// <summary>
/// A prometheus-operator <c>monitoring.coreos.com/v1</c> ServiceMonitor. KubernetesClient has no model for it, so this
/// holds only the fields the operator sets: under server-side apply every field sent is a field claimed, so a fuller
/// model would claim fields we never meant to own. The type names follow prometheus-operator's Go types
/// (pkg/apis/monitoring/v1/servicemonitor_types.go).
/// </summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class ServiceMonitor : IKubernetesObject<V1ObjectMeta>, ISpec<ServiceMonitorSpec>
{
    public const string KubeGroup = "monitoring.coreos.com";

    public const string KubeApiVersion = "v1";

    public const string KubeKind = "ServiceMonitor";

    public const string KubePluralName = "servicemonitors";

    /// <summary>group/version, as in the apiVersion field.</summary>
    public const string GroupVersion = KubeGroup + "/" + KubeApiVersion;

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = GroupVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public ServiceMonitorSpec Spec { get; set; } = new();
}
