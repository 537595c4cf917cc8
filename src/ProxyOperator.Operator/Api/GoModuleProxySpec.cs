using System.Text.Json.Serialization;
using k8s.Models;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

/// <remarks>
/// Every optional field is nullable, so an object built here and sent with server-side apply claims only the fields
/// that were set (KubernetesJson drops nulls, not default values).
/// </remarks>
[Doc("The desired proxy fleet.")]
public sealed class GoModuleProxySpec
{
    [JsonPropertyName("replicas")]
    [Doc("The number of proxy pods; kubectl scale writes it through the scale subresource. Ignored while spec.autoscaling is enabled: the HorizontalPodAutoscaler then scales the workload.")]
    [Default(GoModuleProxyDefaults.Replicas)]
    [Minimum(0)]
    public int? Replicas { get; set; }

    [JsonPropertyName("image")]
    public ImageSpec? Image { get; set; }

    [JsonPropertyName("upstreams")]
    [Doc("The GOPROXY chain, tried in order; https://proxy.golang.org when empty.")]
    public IList<UpstreamSpec>? Upstreams { get; set; }

    [JsonPropertyName("sumDB")]
    [EmptyObjectDefault]
    public SumDbSpec? SumDb { get; set; }

    [JsonPropertyName("privateModules")]
    public IList<PrivateModuleSpec>? PrivateModules { get; set; }

    [JsonPropertyName("storage")]
    [EmptyObjectDefault]
    public StorageSpec? Storage { get; set; }

    [JsonPropertyName("cache")]
    [EmptyObjectDefault]
    public CacheSpec? Cache { get; set; }

    [JsonPropertyName("mode")]
    [Default(nameof(ProxyMode.Online))]
    public ProxyMode? Mode { get; set; }

    [JsonPropertyName("filters")]
    public FilterSpec? Filters { get; set; }

    [JsonPropertyName("auth")]
    public AuthSpec? Auth { get; set; }

    [JsonPropertyName("admin")]
    public AdminSpec? Admin { get; set; }

    [JsonPropertyName("tls")]
    public TlsSpec? Tls { get; set; }

    [JsonPropertyName("service")]
    [EmptyObjectDefault]
    public ServiceSpec? Service { get; set; }

    [JsonPropertyName("ingress")]
    public IngressSpec? Ingress { get; set; }

    [JsonPropertyName("networkPolicy")]
    public NetworkPolicySpec? NetworkPolicy { get; set; }

    [JsonPropertyName("monitoring")]
    public MonitoringSpec? Monitoring { get; set; }

    [JsonPropertyName("podDisruptionBudget")]
    public PodDisruptionBudgetSpec? PodDisruptionBudget { get; set; }

    [JsonPropertyName("autoscaling")]
    public AutoscalingSpec? Autoscaling { get; set; }

    [JsonPropertyName("resources")]
    [Doc("Compute resources of the proxy container (https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/).")]
    public V1ResourceRequirements? Resources { get; set; }

    [JsonPropertyName("nodeSelector")]
    public IDictionary<string, string>? NodeSelector { get; set; }

    [JsonPropertyName("tolerations")]
    public IList<V1Toleration>? Tolerations { get; set; }

    [JsonPropertyName("affinity")]
    [Doc("Replaces the operator's default pod anti-affinity across nodes.")]
    public V1Affinity? Affinity { get; set; }

    [JsonPropertyName("topologySpreadConstraints")]
    [Doc("Replaces the operator's default spread across nodes when there are two replicas or more.")]
    public IList<V1TopologySpreadConstraint>? TopologySpreadConstraints { get; set; }

    [JsonPropertyName("podAnnotations")]
    public IDictionary<string, string>? PodAnnotations { get; set; }
}
