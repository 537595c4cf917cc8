using System.Text.Json.Serialization;
using k8s.Models;

namespace ProxyOperator.Operator.Builders.Monitoring;

/// <summary>
/// Which Services to scrape, and how. Without a namespaceSelector prometheus-operator looks only in the
/// ServiceMonitor's own namespace, which is where the proxy's Services are.
/// </summary>
public sealed class ServiceMonitorSpec
{
    [JsonPropertyName("selector")]
    public V1LabelSelector Selector { get; set; } = new();

    [JsonPropertyName("endpoints")]
    public IList<ServiceMonitorEndpoint> Endpoints { get; set; } = [];
}
