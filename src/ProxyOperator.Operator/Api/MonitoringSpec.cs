using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("Prometheus scraping of the proxies' /metrics.")]
public sealed class MonitoringSpec
{
    [JsonPropertyName("serviceMonitor")]
    public ServiceMonitorSpec? ServiceMonitor { get; set; }
}
