using System.Text.Json.Serialization;
using k8s.Models;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("Client authentication. /healthz and /readyz are always open to the kubelet.")]
[CelRule("!has(self.type) || self.type == 'None' || has(self.secretRef)", SpecMessages.AuthSecretRequired, FieldPath = ".secretRef", Reason = "FieldValueRequired")]
public sealed class AuthSpec
{
    [JsonPropertyName("type")]
    [Default(nameof(AuthType.None))]
    public AuthType? Type { get; set; }

    [JsonPropertyName("secretRef")]
    [Doc("A Secret in the same namespace with the accepted credentials (htpasswd for Basic, tokens for Bearer), mounted as files.")]
    public V1LocalObjectReference? SecretRef { get; set; }
}
