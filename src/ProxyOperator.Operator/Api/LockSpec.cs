using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("Cross-replica coordination of upstream fetches, for storage the replicas share (S3, or a ReadWriteMany disk).")]
[CelRule("!has(self.type) || self.type != 'Redis' || has(self.redis)", SpecMessages.RedisRequired, FieldPath = ".redis", Reason = "FieldValueRequired")]
public sealed class LockSpec
{
    [JsonPropertyName("type")]
    [Default(nameof(LockType.None))]
    public LockType? Type { get; set; }

    [JsonPropertyName("redis")]
    [Doc("The Redis server, for type Redis (required then).")]
    public RedisLockSpec? Redis { get; set; }
}
