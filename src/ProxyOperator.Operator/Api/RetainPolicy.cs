using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("What becomes of the cache volumes when the GoModuleProxy is deleted.")]
[JsonConverter(typeof(JsonStringEnumConverter<RetainPolicy>))]
public enum RetainPolicy
{
    [Doc("The claims go with the resource: the shared claim and every per-replica claim the StatefulSet made.")]
    Delete,

    [Doc("The claims stay, and a later GoModuleProxy of the same name in the namespace picks them up again.")]
    Retain,
}
