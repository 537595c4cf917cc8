using System.Text.Json.Serialization;

namespace ProxyOperator.Operator.Builders.Monitoring;

/// <summary>A Prometheus relabel rule applied to discovered targets (https://prometheus.io/docs/prometheus/latest/configuration/configuration/#relabel_config).</summary>
public sealed class RelabelConfig
{
    [JsonPropertyName("sourceLabels")]
    public IList<string>? SourceLabels { get; set; }

    [JsonPropertyName("regex")]
    public string? Regex { get; set; }

    /// <summary>Lower case (<c>keep</c>): every prometheus-operator version accepts it; the capitalised forms came later.</summary>
    [JsonPropertyName("action")]
    public string? Action { get; set; }
}
