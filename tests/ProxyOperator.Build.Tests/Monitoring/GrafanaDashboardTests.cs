using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ProxyOperator.Build.Tests.Monitoring;

/// <summary>
/// docs/grafana/goproxy-dashboard.json queries the metrics the proxy really exports: every name and label in its
/// PromQL is read off ProxyMetrics.cs, where every metric is created (so a rename there fails here).
/// </summary>
public sealed partial class GrafanaDashboardTests
{
    // Labels Prometheus adds to every series scraped through a ServiceMonitor (prometheus-operator's relabelling),
    // and the name the proxy's own "endpoint" label takes when it collides with the target label of that name.
    private static readonly HashSet<string> TargetLabels = ["namespace", "service", "pod", "container", "job", "instance", "endpoint", "exported_endpoint"];

    private static readonly JsonObject Dashboard =
        JsonNode.Parse(File.ReadAllText(RepositoryRoot.File("docs", "grafana", "goproxy-dashboard.json")))!.AsObject();

    private static readonly Dictionary<string, ExportedMetric> Exported = ReadProxyMetrics();

    private sealed record ExportedMetric(string Kind, IReadOnlyList<string> Labels);

    [Fact]
    public void Every_metric_the_dashboard_queries_is_one_the_proxy_exports()
    {
        var used = Expressions().SelectMany(e => MetricName().Matches(e).Select(m => m.Value)).Distinct().ToList();
        Assert.NotEmpty(used);
        Assert.All(used, name => Assert.True(Resolve(name) is not null,
            $"{name} is not created in ProxyMetrics.cs (it exports {string.Join(", ", Exported.Keys)})"));
    }

    [Fact]
    public void Every_metric_the_proxy_exports_has_a_panel()
    {
        var used = Expressions().SelectMany(e => MetricName().Matches(e).Select(m => Resolve(m.Value))).ToHashSet();
        Assert.All(Exported.Keys, name => Assert.Contains(name, used));
    }

    [Fact]
    public void Every_label_a_query_selects_on_is_one_its_metric_has()
    {
        foreach (var expression in Expressions())
        {
            foreach (Match selector in Selector().Matches(expression))
            {
                var metric = Exported[Resolve(selector.Groups["metric"].Value)!];
                var allowed = metric.Labels.Concat(TargetLabels).Concat(metric.Kind == "Histogram" && selector.Groups["metric"].Value.EndsWith("_bucket", StringComparison.Ordinal) ? ["le"] : []);
                foreach (Match matcher in LabelMatcher().Matches(selector.Groups["matchers"].Value))
                {
                    Assert.True(allowed.Contains(matcher.Groups[1].Value),
                        $"{selector.Value}: {selector.Groups["metric"].Value} has no label {matcher.Groups[1].Value} ({string.Join(", ", metric.Labels)})");
                }
            }
        }
    }

    [Fact]
    public void Every_panel_has_a_query_on_the_datasource_variable()
    {
        var panels = Panels().Where(p => (string?)p["type"] != "row").ToList();
        Assert.NotEmpty(panels);
        Assert.All(panels, p =>
        {
            Assert.Equal("${datasource}", (string?)p["datasource"]?["uid"]);
            Assert.NotEmpty(p["targets"]!.AsArray());
        });
        Assert.Equal(panels.Count, panels.Select(p => (int)p["id"]!).Distinct().Count());
    }

    private static string? Resolve(string name)
    {
        if (Exported.ContainsKey(name))
        {
            return name;
        }

        // A histogram is exported as NAME_bucket, NAME_sum and NAME_count.
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && Exported.TryGetValue(name[..^suffix.Length], out var metric) && metric.Kind == "Histogram")
            {
                return name[..^suffix.Length];
            }
        }

        return null;
    }

    private static IEnumerable<JsonObject> Panels() =>
        Dashboard["panels"]!.AsArray().Select(p => p!.AsObject())
            .SelectMany(p => new[] { p }.Concat(p["panels"]?.AsArray().Select(c => c!.AsObject()) ?? []));

    private static IEnumerable<string> Expressions() =>
        Panels().SelectMany(p => p["targets"]?.AsArray().Select(t => (string)t!["expr"]!) ?? [])
            .Concat(Dashboard["templating"]!["list"]!.AsArray().Select(v => (string?)v!["definition"]).OfType<string>());

    /// <summary>Each <c>factory.Create{Counter,Gauge,Histogram}("name", "help", ... LabelNames = [...] ...)</c>.</summary>
    private static Dictionary<string, ExportedMetric> ReadProxyMetrics()
    {
        var source = File.ReadAllText(RepositoryRoot.File("src", "ProxyOperator.GoProxy", "Observability", "ProxyMetrics.cs"));
        var metrics = new Dictionary<string, ExportedMetric>(StringComparer.Ordinal);
        foreach (Match create in CreateCall().Matches(source))
        {
            var labels = LabelNames().Match(create.Groups["rest"].Value) is { Success: true } list
                ? Regex.Matches(list.Groups[1].Value, "\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList()
                : [];
            metrics.Add(create.Groups["name"].Value, new ExportedMetric(create.Groups["kind"].Value, labels));
        }

        Assert.NotEmpty(metrics);
        return metrics;
    }

    [GeneratedRegex(@"Create(?<kind>Counter|Gauge|Histogram)\(\s*""(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)""(?<rest>[^;]*);")]
    private static partial Regex CreateCall();

    [GeneratedRegex(@"LabelNames\s*=\s*\[([^\]]*)\]")]
    private static partial Regex LabelNames();

    [GeneratedRegex(@"\bgoproxy_[a-z0-9_]+\b")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"(?<metric>\bgoproxy_[a-z0-9_]+)\{(?<matchers>[^}]*)\}")]
    private static partial Regex Selector();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)")]
    private static partial Regex LabelMatcher();
}
