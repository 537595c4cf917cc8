using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("A Redis server that holds the fetch locks. Replicas fall back to fetching on their own while it is unreachable.")]
public sealed class RedisLockSpec
{
    [JsonPropertyName("address")]
    [Doc("host:port of the Redis server, e.g. redis.cache.svc:6379.")]
    [Pattern(Patterns.HostPort)]
    public required string Address { get; set; }

    [JsonPropertyName("passwordSecret")]
    [Doc("A Secret in the same namespace whose key \"password\" is the Redis password, mounted as a file.")]
    [Pattern(Patterns.ObjectName)]
    public string? PasswordSecret { get; set; }

    [JsonPropertyName("keyPrefix")]
    [Doc("Prefixed to every lock key, so several proxies can share one Redis; the resource's namespace and name when unset.")]
    public string? KeyPrefix { get; set; }
}
