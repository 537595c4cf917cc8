using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("How replicas sharing a store agree on who fetches a missing artifact.")]
[JsonConverter(typeof(JsonStringEnumConverter<LockType>))]
public enum LockType
{
    [Doc("Each replica fetches on its own: at most one upstream fetch per replica for a missing artifact.")]
    None,

    [Doc("A Redis lock per artifact: one upstream fetch across the fleet.")]
    Redis,
}
