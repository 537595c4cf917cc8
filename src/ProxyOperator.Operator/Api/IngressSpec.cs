using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("A networking.k8s.io/v1 Ingress, with the class's own annotations for module zips of hundreds of MB and slow upstream fetches.")]
[CelRule("!has(self.enabled) || !self.enabled || has(self.host)", SpecMessages.IngressHostRequired, FieldPath = ".host", Reason = "FieldValueRequired")]
public sealed class IngressSpec
{
    [JsonPropertyName("enabled")]
    [Default(false)]
    public bool? Enabled { get; set; }

    [JsonPropertyName("className")]
    [Default("nginx")]
    public IngressClass? ClassName { get; set; }

    [JsonPropertyName("host")]
    [Doc("The host name clients use; required when enabled.")]
    [Pattern(Patterns.IngressHost)]
    public string? Host { get; set; }

    [JsonPropertyName("tls")]
    public IngressTlsSpec? Tls { get; set; }

    [JsonPropertyName("annotations")]
    [Doc("Added to the Ingress; they win over the operator's own.")]
    public IDictionary<string, string>? Annotations { get; set; }
}
