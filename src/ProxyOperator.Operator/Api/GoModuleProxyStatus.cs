using System.Text.Json.Serialization;
using k8s.Models;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("The observed state, written by the operator.")]
public sealed class GoModuleProxyStatus
{
    [JsonPropertyName("observedGeneration")]
    [Doc("The metadata.generation this status describes.")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("replicas")]
    [Doc("Proxy pods that exist; the scale subresource's status replicas.")]
    public int? Replicas { get; set; }

    [JsonPropertyName("readyReplicas")]
    public int? ReadyReplicas { get; set; }

    // A string, not a LabelSelector object: the scale subresource's labelSelectorPath must point at the serialized
    // form, or a HorizontalPodAutoscaler cannot target the resource
    // (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#scale-subresource).
    [JsonPropertyName("selector")]
    [Doc("The label selector of the proxy pods, serialized (app.kubernetes.io/instance=NAME,...).")]
    public string? Selector { get; set; }

    [JsonPropertyName("endpoint")]
    [Doc("The Service address inside the cluster, host:port.")]
    public string? Endpoint { get; set; }

    [JsonPropertyName("url")]
    [Doc("The URL to put in GOPROXY: the Ingress's when enabled, else the Service's.")]
    public string? Url { get; set; }

    // Conditions are a map keyed by type, so that several writers can each own their own condition with
    // server-side apply (https://github.com/kubernetes/community/blob/master/contributors/devel/sig-architecture/api-conventions.md#typical-status-properties).
    [JsonPropertyName("conditions")]
    [Doc("Ready, Progressing, Degraded and more, in the metav1.Condition shape.")]
    [ListMap("type")]
    public IList<V1Condition>? Conditions { get; set; }

    [JsonPropertyName("proxies")]
    [ListMap("pod")]
    public IList<ProxyReport>? Proxies { get; set; }

    [JsonPropertyName("cache")]
    public CacheStatus? Cache { get; set; }
}
