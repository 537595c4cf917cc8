using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("TLS at the ingress controller.")]
public sealed class IngressTlsSpec
{
    [JsonPropertyName("secretName")]
    [Doc("A kubernetes.io/tls Secret in the same namespace.")]
    [Pattern(Patterns.ObjectName)]
    public required string SecretName { get; set; }
}
