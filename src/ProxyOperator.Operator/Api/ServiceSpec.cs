using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("The Service in front of the proxy pods.")]
public sealed class ServiceSpec
{
    [JsonPropertyName("type")]
    [Default(nameof(ServiceType.ClusterIP))]
    public ServiceType? Type { get; set; }

    [JsonPropertyName("port")]
    [Default(GoModuleProxyDefaults.ServicePort)]
    [Minimum(1)]
    [Maximum(65535)]
    public int? Port { get; set; }

    [JsonPropertyName("annotations")]
    public IDictionary<string, string>? Annotations { get; set; }
}
