using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("The Service type (https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types).")]
[JsonConverter(typeof(JsonStringEnumConverter<ServiceType>))]
public enum ServiceType
{
    ClusterIP,

    NodePort,

    LoadBalancer,
}
