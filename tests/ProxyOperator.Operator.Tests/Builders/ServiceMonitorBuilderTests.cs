using System.Text.Json.Nodes;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Builders;

namespace ProxyOperator.Operator.Tests.Builders;

public sealed class ServiceMonitorBuilderTests
{
    public static TheoryData<MonitoringSpec?> Disabled => new()
    {
        null,
        new MonitoringSpec(),
        new MonitoringSpec { ServiceMonitor = new ServiceMonitorSpec { Interval = "10s" } },
        new MonitoringSpec { ServiceMonitor = new ServiceMonitorSpec { Enabled = false } },
    };

    [Theory]
    [MemberData(nameof(Disabled))]
    public void There_is_no_service_monitor_unless_it_is_enabled(MonitoringSpec? monitoring)
    {
        Assert.Null(ServiceMonitorBuilder.Build(Proxies.With(s => s.Monitoring = monitoring)));
    }

    [Fact]
    public void The_monitor_scrapes_metrics_on_the_services_named_port_every_30_seconds_by_default()
    {
        var proxy = Enabled(Proxies.S3());

        var monitor = ServiceMonitorBuilder.Build(proxy)!;

        Assert.Equal(("monitoring.coreos.com/v1", "ServiceMonitor"), (monitor.ApiVersion, monitor.Kind));
        var endpoint = Assert.Single(monitor.Spec.Endpoints);
        Assert.Equal(Assert.Single(ServiceBuilder.Build(proxy).Spec.Ports).Name, endpoint.Port);
        Assert.Equal(("/metrics", "30s"), (endpoint.Path, endpoint.Interval));
    }

    [Theory]
    [InlineData(VolumeAccessMode.ReadWriteOnce)]
    [InlineData(VolumeAccessMode.ReadWriteMany)]
    public void The_selector_matches_the_client_service_and_relabeling_keeps_only_its_targets(VolumeAccessMode accessMode)
    {
        var proxy = Enabled(Proxies.Disk(accessMode, replicas: 3));

        var monitor = ServiceMonitorBuilder.Build(proxy)!;

        var service = ServiceBuilder.Build(proxy);
        Assert.All(monitor.Spec.Selector.MatchLabels, label => Assert.Equal(label.Value, service.Metadata.Labels[label.Key]));
        Assert.Null(monitor.Spec.Selector.MatchExpressions);
        // The StatefulSet's headless Service matches the same selector; without the keep rule each pod would be scraped twice.
        var keep = Assert.Single(Assert.Single(monitor.Spec.Endpoints).Relabelings!);
        Assert.Equal(("keep", "__meta_kubernetes_service_name", service.Metadata.Name), (keep.Action, Assert.Single(keep.SourceLabels!), keep.Regex));
        if (ServiceBuilder.BuildHeadless(proxy) is { } headless)
        {
            Assert.NotEqual(keep.Regex, headless.Metadata.Name);
        }
    }

    [Fact]
    public void User_labels_are_added_for_prometheus_and_ours_win_a_clash()
    {
        var proxy = Enabled(new GoModuleProxySpec(), labels: new Dictionary<string, string>
        {
            ["release"] = "prometheus",
            [Labels.Instance] = "someone-else",
        });

        var monitor = ServiceMonitorBuilder.Build(proxy)!;

        var expected = new Dictionary<string, string>(Labels.For(Proxies.Name)) { ["release"] = "prometheus" };
        Assert.Equal(expected, monitor.Metadata.Labels);
    }

    [Fact]
    public void The_monitor_is_owned_by_the_proxy_and_carries_its_labels()
    {
        var monitor = ServiceMonitorBuilder.Build(Enabled(new GoModuleProxySpec()))!;

        BuilderAssert.OwnedByTheProxy(monitor);
        Assert.Equal(Labels.For(Proxies.Name), monitor.Metadata.Labels);
    }

    [Theory]
    [InlineData("30s", "30s")]
    [InlineData("5m", "5m")]
    [InlineData("90s", "1m30s")]
    [InlineData("1.5m", "1m30s")]
    [InlineData("1h30m", "1h30m")]
    [InlineData("250ms", "250ms")]
    [InlineData("26h", "26h")]
    public void The_interval_is_written_as_a_prometheus_duration_which_has_no_fractions(string interval, string expected)
    {
        var monitor = ServiceMonitorBuilder.Build(Enabled(new GoModuleProxySpec(), interval: interval))!;

        Assert.Equal(expected, Assert.Single(monitor.Spec.Endpoints).Interval);
    }

    [Fact]
    public void The_monitor_serializes_to_exactly_the_prometheus_operator_fields_in_camel_case_and_reads_back_strictly()
    {
        var json = BuilderAssert.RoundTripsStrictly(ServiceMonitorBuilder.Build(Enabled(new GoModuleProxySpec(), interval: "1m", labels: new Dictionary<string, string> { ["release"] = "prometheus" }))!);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""
            {
              "apiVersion": "monitoring.coreos.com/v1",
              "kind": "ServiceMonitor",
              "metadata": {
                "name": "corp",
                "namespace": "tools",
                "labels": {
                  "app.kubernetes.io/name": "goproxy",
                  "app.kubernetes.io/instance": "corp",
                  "app.kubernetes.io/component": "proxy",
                  "app.kubernetes.io/managed-by": "proxy-operator",
                  "app.kubernetes.io/part-of": "proxyoperator",
                  "release": "prometheus"
                },
                "ownerReferences": [
                  { "apiVersion": "proxyoperator.io/v1alpha1", "kind": "GoModuleProxy", "name": "corp", "uid": "{{Proxies.Uid}}", "controller": true, "blockOwnerDeletion": true }
                ]
              },
              "spec": {
                "selector": { "matchLabels": { "app.kubernetes.io/name": "goproxy", "app.kubernetes.io/instance": "corp" } },
                "endpoints": [
                  {
                    "port": "http",
                    "path": "/metrics",
                    "interval": "1m",
                    "relabelings": [ { "sourceLabels": ["__meta_kubernetes_service_name"], "regex": "corp", "action": "keep" } ]
                  }
                ]
              }
            }
            """), json), json.ToJsonString());
    }

    [Fact]
    public void The_strict_reader_refuses_a_field_the_monitor_model_does_not_declare()
    {
        var json = JsonNode.Parse(k8s.KubernetesJson.Serialize(ServiceMonitorBuilder.Build(Enabled(new GoModuleProxySpec()))!))!;
        json["spec"]!["jobLabel"] = "app";

        Assert.Throws<System.Text.Json.JsonException>(() => BuilderAssert.ReadStrictly<Operator.Builders.Monitoring.ServiceMonitor>(json.ToJsonString()));
    }

    private static GoModuleProxy Enabled(GoModuleProxySpec spec, string? interval = null, Dictionary<string, string>? labels = null)
    {
        spec.Monitoring = new MonitoringSpec { ServiceMonitor = new ServiceMonitorSpec { Enabled = true, Interval = interval, Labels = labels } };
        return Proxies.With(spec);
    }
}
