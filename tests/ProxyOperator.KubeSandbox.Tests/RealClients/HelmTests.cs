using System.Text.Json;

namespace ProxyOperator.KubeSandbox.Tests.RealClients;

/// <summary>
/// The real helm 4 against the sandbox API server, with the chart in <c>RealClients/charts/sandbox-demo</c>
/// (a CRD in crds/, a ConfigMap and a Deployment in templates/). Helm keeps each release revision in a Secret
/// <c>sh.helm.release.v1.NAME.vN</c> of type <c>helm.sh/release.v1</c>, labelled <c>owner=helm</c>, written with protobuf.
/// </summary>
public sealed class HelmTests
{
    private const string Release = "demo";

    private static string ChartPath => Path.Combine(
        KubeClients.RepositoryRoot(), "tests", "ProxyOperator.KubeSandbox.Tests", "RealClients", "charts", "sandbox-demo");

    [Fact]
    public async Task Helm_install_of_a_chart_creates_its_crd_its_objects_and_a_release_secret()
    {
        await using var session = await SandboxSession.StartAsync();

        var installed = await session.HelmAsync("install", Release, ChartPath);

        Assert.Contains("STATUS: deployed", installed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("REVISION: 1", installed.StandardOutput, StringComparison.Ordinal);
        var crd = await session.KubectlAsync("get", "crd", "gadgets.charts.sandbox.test", "-o", "jsonpath={.spec.names.kind}");
        Assert.Equal("Gadget", crd.StandardOutput);
        await session.KubectlInNamespaceAsync("get", "gadgets");
        Assert.Equal("hello", await session.JsonPathAsync("configmap/demo-config", "{.data.greeting}"));
        Assert.Equal("1", await session.JsonPathAsync("deployment/demo-web", "{.spec.replicas}"));
        Assert.Equal("demo", await session.JsonPathAsync("deployment/demo-web", "{.metadata.annotations.meta\\.helm\\.sh/release-name}"));
        var releases = await ReleaseSecretsAsync(session);
        var release = Assert.Single(releases);
        Assert.Equal(("sh.helm.release.v1.demo.v1", "helm.sh/release.v1", "deployed", "1"), release);
    }

    [Fact]
    public async Task Helm_upgrade_changes_the_objects_and_records_a_second_revision()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.HelmAsync("install", Release, ChartPath);

        var upgraded = await session.HelmAsync("upgrade", Release, ChartPath, "--set", "greeting=hi", "--set", "replicas=2");

        Assert.Contains("REVISION: 2", upgraded.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("hi", await session.JsonPathAsync("configmap/demo-config", "{.data.greeting}"));
        Assert.Equal("2", await session.JsonPathAsync("deployment/demo-web", "{.spec.replicas}"));
        var releases = await ReleaseSecretsAsync(session);
        Assert.Equal(
            [("sh.helm.release.v1.demo.v1", "helm.sh/release.v1", "superseded", "1"), ("sh.helm.release.v1.demo.v2", "helm.sh/release.v1", "deployed", "2")],
            releases.OrderBy(r => r.Name, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Helm_list_shows_the_installed_release()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.HelmAsync("install", Release, ChartPath);

        var listed = await session.HelmAsync("list", "-o", "json");

        using var json = JsonDocument.Parse(listed.StandardOutput);
        var release = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("demo", release.GetProperty("name").GetString());
        Assert.Equal(session.Namespace, release.GetProperty("namespace").GetString());
        Assert.Equal("1", release.GetProperty("revision").GetString());
        Assert.Equal("deployed", release.GetProperty("status").GetString());
        Assert.Equal("sandbox-demo-0.1.0", release.GetProperty("chart").GetString());
    }

    [Fact]
    public async Task Helm_uninstall_removes_the_objects_and_the_release_secrets_but_keeps_the_crd()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.HelmAsync("install", Release, ChartPath);

        var uninstalled = await session.HelmAsync("uninstall", Release);

        Assert.Contains("release \"demo\" uninstalled", uninstalled.StandardOutput, StringComparison.Ordinal);
        foreach (var gone in new[] { "configmap/demo-config", "deployment/demo-web" })
        {
            var result = await session.Clients.KubectlAsync("get", gone, "--namespace", session.Namespace);
            Assert.True(result.ExitCode != 0 && result.StandardError.Contains("NotFound", StringComparison.Ordinal), $"{gone} still there: {result}");
        }

        Assert.Empty(await ReleaseSecretsAsync(session));
        var listed = await session.HelmAsync("list", "-o", "json");
        using var listedJson = JsonDocument.Parse(listed.StandardOutput);
        Assert.Equal(0, listedJson.RootElement.GetArrayLength());
        await session.KubectlAsync("get", "crd", "gadgets.charts.sandbox.test");
    }

    private static async Task<List<(string Name, string? Type, string? Status, string? Version)>> ReleaseSecretsAsync(SandboxSession session)
    {
        var result = await session.KubectlInNamespaceAsync("get", "secrets", "-l", "owner=helm", "-o", "json");
        using var json = JsonDocument.Parse(result.StandardOutput);
        return json.RootElement.GetProperty("items").EnumerateArray()
            .Select(item =>
            {
                var metadata = item.GetProperty("metadata");
                var labels = metadata.GetProperty("labels");
                return (metadata.GetProperty("name").GetString()!, item.GetProperty("type").GetString(),
                    labels.GetProperty("status").GetString(), labels.GetProperty("version").GetString());
            })
            .ToList();
    }
}
