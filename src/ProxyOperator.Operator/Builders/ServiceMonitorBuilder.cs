using System.Globalization;
using System.Text;
using k8s.Models;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Builders.Monitoring;

namespace ProxyOperator.Operator.Builders;

/// <summary>The prometheus-operator ServiceMonitor that has Prometheus scrape every proxy pod's <c>/metrics</c>.</summary>
public static class ServiceMonitorBuilder
{
    /// <summary>The label Prometheus's Kubernetes service discovery gives each endpoint target: the Service's name.</summary>
    internal const string ServiceNameLabel = "__meta_kubernetes_service_name";

    /// <returns>The ServiceMonitor, or null unless <c>spec.monitoring.serviceMonitor.enabled</c>.</returns>
    /// <remarks>
    /// The reconciler applies it only when the cluster serves monitoring.coreos.com/v1 (DESIGN §2); this builder does
    /// not know whether it does.
    /// </remarks>
    public static ServiceMonitor? Build(GoModuleProxy proxy)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        var monitor = proxy.Spec.Monitoring?.ServiceMonitor;
        if (monitor?.Enabled != true)
        {
            return null;
        }

        var name = Ownership.ProxyName(proxy);
        var metadata = Ownership.Metadata(proxy, Names.ServiceMonitor(name));
        // The user's labels are there for the Prometheus that selects ServiceMonitors (release: prometheus ...); ours
        // win a clash, because the operator finds what it owns by them.
        foreach (var (key, value) in monitor.Labels ?? new Dictionary<string, string>())
        {
            metadata.Labels.TryAdd(key, value);
        }

        return new ServiceMonitor
        {
            Metadata = metadata,
            Spec = new Monitoring.ServiceMonitorSpec
            {
                Selector = new V1LabelSelector { MatchLabels = Labels.Selector(name) },
                Endpoints =
                [
                    new ServiceMonitorEndpoint
                    {
                        Port = ProxyContainer.PortName,
                        Path = ProxyContainer.MetricsPath,
                        Interval = PrometheusDuration(GoDuration.Parse(monitor.Interval ?? GoModuleProxyDefaults.ServiceMonitorInterval)),
                        // The headless Service of a StatefulSet carries the same labels and port as the client Service,
                        // so the selector matches both and every pod would be scraped twice, as two jobs. Keep only the
                        // targets found through the client Service.
                        Relabelings =
                        [
                            new RelabelConfig { SourceLabels = [ServiceNameLabel], Regex = Names.Service(name), Action = "keep" },
                        ],
                    },
                ],
            },
        };
    }

    /// <summary>
    /// A duration in Prometheus's syntax, which has no fractions: the resource admits <c>1.5m</c> (a Go duration), and
    /// prometheus-operator's schema would refuse it, so it becomes <c>1m30s</c>.
    /// </summary>
    internal static string PrometheusDuration(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return "0";
        }

        var text = new StringBuilder();
        Append((long)duration.TotalHours, "h");
        Append(duration.Minutes, "m");
        Append(duration.Seconds, "s");
        Append(duration.Milliseconds, "ms");
        // Below a millisecond Prometheus cannot say it; a scrape interval that short is not meant anyway.
        return text.Length > 0 ? text.ToString() : "1ms";

        void Append(long value, string unit)
        {
            if (value > 0)
            {
                text.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
            }
        }
    }
}
