using System.Text.Json.Serialization;

namespace ProxyOperator.Operator.Builders.Monitoring;

/// <summary>One scrape endpoint of a <see cref="ServiceMonitor"/> (prometheus-operator's Endpoint; renamed because ASP.NET Core has an Endpoint too).</summary>
public sealed class ServiceMonitorEndpoint
{
    /// <summary>The Service port's name (not its number): prometheus-operator matches endpoints by name.</summary>
    [JsonPropertyName("port")]
    public string? Port { get; set; }

    [JsonPropertyName("path")]
    public string? Path { get; set; }

    /// <summary>A Prometheus duration (<c>30s</c>, <c>1m30s</c>): whole units, no fractions.</summary>
    [JsonPropertyName("interval")]
    public string? Interval { get; set; }

    [JsonPropertyName("relabelings")]
    public IList<RelabelConfig>? Relabelings { get; set; }
}
