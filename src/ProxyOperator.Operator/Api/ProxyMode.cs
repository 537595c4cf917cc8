using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("Whether the proxy fetches what it does not have.")]
[JsonConverter(typeof(JsonStringEnumConverter<ProxyMode>))]
public enum ProxyMode
{
    [Doc("Fetch misses from the upstreams and private VCS.")]
    Online,

    [Doc("Serve only what is cached, for air-gapped clusters.")]
    Offline,
}
