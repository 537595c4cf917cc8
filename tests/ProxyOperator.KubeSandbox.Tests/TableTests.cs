using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace ProxyOperator.KubeSandbox.Tests;

public sealed class TableTests
{
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    private static async Task<JsonNode> GetTableAsync(Sandbox sandbox, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Accept", TableAccept);
        using var response = await sandbox.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task Built_in_kinds_print_name_and_age_with_partial_object_metadata()
    {
        await using var sandbox = await Sandbox.StartAsync();
        await sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "settings" } }, "default");

        var table = await GetTableAsync(sandbox, "api/v1/namespaces/default/configmaps?limit=500");

        Assert.Equal("Table", (string?)table["kind"]);
        Assert.Equal(["Name", "Age"], table["columnDefinitions"]!.AsArray().Select(c => (string?)c!["name"]));
        var row = table["rows"]![0]!;
        Assert.Equal("settings", (string?)row["cells"]![0]);
        Assert.EndsWith("s", (string?)row["cells"]![1], StringComparison.Ordinal);
        Assert.Equal("PartialObjectMetadata", (string?)row["object"]!["kind"]);
    }

    [Fact]
    public async Task Deployments_print_ready_up_to_date_and_available()
    {
        await using var sandbox = await Sandbox.StartAsync();
        await sandbox.Client.AppsV1.CreateNamespacedDeploymentAsync(
            new V1Deployment { Metadata = new V1ObjectMeta { Name = "web" }, Spec = new V1DeploymentSpec { Replicas = 3, Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec() } },
            "default");

        var table = await GetTableAsync(sandbox, "apis/apps/v1/namespaces/default/deployments/web");

        Assert.Equal(["Name", "Ready", "Up-to-date", "Available", "Age"], table["columnDefinitions"]!.AsArray().Select(c => (string?)c!["name"]));
        Assert.Equal("0/3", (string?)table["rows"]![0]!["cells"]![1]);
    }

    [Fact]
    public async Task Custom_resources_print_their_additional_printer_columns()
    {
        await using var sandbox = await Sandbox.StartAsync();
        using var proxies = await CustomResourceTests.InstallAsync(sandbox);
        await proxies.CreateNamespacedAsync(CustomResourceTests.Proxy("p", new JsonObject { ["upstream"] = "u", ["replicas"] = 3 }), "default");
        await sandbox.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<JsonObject>(
            new V1Patch("{\"status\":{\"conditions\":[{\"type\":\"Progressing\",\"status\":\"False\"},{\"type\":\"Ready\",\"status\":\"True\"}]}}", V1Patch.PatchType.MergePatch),
            CustomResourceTests.Group,
            "v1alpha1",
            "default",
            "gomoduleproxies",
            "p");

        var table = await GetTableAsync(sandbox, "apis/proxyoperator.io/v1alpha1/namespaces/default/gomoduleproxies?includeObject=None");

        Assert.Equal(["Name", "Replicas", "Ready"], table["columnDefinitions"]!.AsArray().Select(c => (string?)c!["name"]));
        var cells = table["rows"]![0]!["cells"]!.AsArray();
        Assert.Equal("p", (string?)cells[0]);
        Assert.Equal(3, (int?)cells[1]);
        Assert.Equal("True", (string?)cells[2]);
        Assert.Null(table["rows"]![0]!["object"]);
    }
}
