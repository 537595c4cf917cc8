using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("A monitoring.coreos.com/v1 ServiceMonitor, created only when the cluster serves that API (a condition says when it does not).")]
public sealed class ServiceMonitorSpec
{
    [JsonPropertyName("enabled")]
    [Default(false)]
    public bool? Enabled { get; set; }

    [JsonPropertyName("interval")]
    [Doc("The scrape interval.")]
    [Default(GoModuleProxyDefaults.ServiceMonitorInterval)]
    [Pattern(Patterns.Duration)]
    public string? Interval { get; set; }

    [JsonPropertyName("labels")]
    [Doc("Labels on the ServiceMonitor, for the Prometheus that selects it.")]
    public IDictionary<string, string>? Labels { get; set; }
}
