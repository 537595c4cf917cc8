using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("A networking.k8s.io/v1 NetworkPolicy that lets in only the ingress controller, the operator (which reads each pod's /status) and the namespaces named here.")]
public sealed class NetworkPolicySpec
{
    [JsonPropertyName("enabled")]
    [Default(false)]
    public bool? Enabled { get; set; }

    [JsonPropertyName("ingressControllerNamespaces")]
    [Doc("Where the ingress controller runs; ingress-nginx for class nginx, haproxy-controller for class haproxy when unset.")]
    public IList<string>? IngressControllerNamespaces { get; set; }

    [JsonPropertyName("allowedNamespaces")]
    [Doc("Namespaces whose pods may use the proxy directly (CI runners, Prometheus for /metrics).")]
    public IList<string>? AllowedNamespaces { get; set; }
}
