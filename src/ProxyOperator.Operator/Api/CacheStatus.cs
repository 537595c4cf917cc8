using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("The cache across all proxies.")]
public sealed class CacheStatus
{
    [JsonPropertyName("hitRatio")]
    [Doc("Cache hits over all requests, 0 to 1, weighted by each proxy's requests.")]
    public double? HitRatio { get; set; }

    [JsonPropertyName("artifacts")]
    public long? Artifacts { get; set; }

    [JsonPropertyName("bytes")]
    public long? Bytes { get; set; }
}
