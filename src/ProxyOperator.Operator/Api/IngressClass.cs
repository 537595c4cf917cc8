using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("The ingress controller; each has its own annotations for large bodies and long reads.")]
[JsonConverter(typeof(JsonStringEnumConverter<IngressClass>))]
public enum IngressClass
{
    [JsonStringEnumMemberName("nginx")]
    Nginx,

    [JsonStringEnumMemberName("haproxy")]
    Haproxy,
}
