using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("What one proxy pod last reported on GET /status.")]
public sealed class ProxyReport
{
    [JsonPropertyName("pod")]
    public required string Pod { get; set; }

    [JsonPropertyName("ready")]
    public bool? Ready { get; set; }

    [JsonPropertyName("healthy")]
    [Doc("The pod answered GET /status and reported itself ready, with its storage ready.")]
    public bool? Healthy { get; set; }

    [JsonPropertyName("message")]
    [Doc("Why the pod is not healthy: no answer (and why), or what it reported wrong.")]
    public string? Message { get; set; }

    [JsonPropertyName("lastReport")]
    [Doc("When the operator last read the pod's report.")]
    public DateTime? LastReport { get; set; }

    [JsonPropertyName("cacheHitRatio")]
    [Doc("Cache hits over all requests since the pod started, 0 to 1.")]
    public double? CacheHitRatio { get; set; }

    [JsonPropertyName("cachedArtifacts")]
    public long? CachedArtifacts { get; set; }

    [JsonPropertyName("cacheBytes")]
    public long? CacheBytes { get; set; }

    [JsonPropertyName("upstreamErrors")]
    public long? UpstreamErrors { get; set; }

    [JsonPropertyName("version")]
    [Doc("The proxy's own version.")]
    public string? Version { get; set; }
}
