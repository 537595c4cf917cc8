using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace ProxyOperator.KubeSandbox.Tests;

public sealed class DiscoveryTests
{
    [Fact]
    public async Task The_version_is_a_1_33_sandbox()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var version = await sandbox.Client.Version.GetCodeAsync();

        Assert.Equal("v1.33.0-sandbox", version.GitVersion);
        Assert.Equal("1", version.Major);
        Assert.Equal("33", version.Minor);
    }

    [Fact]
    public async Task Groups_and_resource_lists_name_kinds_short_names_categories_and_subresources()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var groups = await sandbox.Client.Apis.GetAPIVersionsAsync();
        Assert.Contains(groups.Groups, g => g.Name == "apps" && g.PreferredVersion.Version == "v1");
        Assert.Contains(groups.Groups, g => g.Name == "autoscaling" && g.PreferredVersion.Version == "v2");
        Assert.Equal(["v1"], (await sandbox.Client.Core.GetAPIVersionsAsync()).Versions);

        var apps = await sandbox.Client.AppsV1.GetAPIResourcesAsync();
        var deployments = apps.Resources.Single(r => r.Name == "deployments");
        Assert.Equal("Deployment", deployments.Kind);
        Assert.True(deployments.Namespaced);
        Assert.Equal(["deploy"], deployments.ShortNames);
        Assert.Equal(["all"], deployments.Categories);
        Assert.Contains("watch", deployments.Verbs);
        Assert.Contains(apps.Resources, r => r.Name == "deployments/status");
        Assert.Contains(apps.Resources, r => r.Name == "deployments/scale" && r.Kind == "Scale");

        var core = await sandbox.Client.CoreV1.GetAPIResourcesAsync();
        Assert.False(core.Resources.Single(r => r.Name == "namespaces").Namespaced);
        Assert.Equal(["svc"], core.Resources.Single(r => r.Name == "services").ShortNames);
    }

    [Fact]
    public async Task A_crd_appears_in_discovery_with_its_short_names()
    {
        await using var sandbox = await Sandbox.StartAsync();
        await sandbox.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(CustomResourceTests.GoModuleProxyDefinition());

        using var response = await sandbox.Http.GetAsync(new Uri("apis/proxyoperator.io/v1alpha1", UriKind.Relative));
        var list = KubernetesJson.Deserialize<V1APIResourceList>(await response.Content.ReadAsStringAsync());

        var proxies = list.Resources.Single(r => r.Name == "gomoduleproxies");
        Assert.Equal(["gmp"], proxies.ShortNames);
        Assert.Contains(list.Resources, r => r.Name == "gomoduleproxies/scale");
        Assert.Contains((await sandbox.Client.Apis.GetAPIVersionsAsync()).Groups, g => g.Name == "proxyoperator.io");

        // kubectl explain finds a custom resource's schema in OpenAPI v3 by its x-kubernetes-group-version-kind.
        var openApi = JsonNode.Parse(await sandbox.Http.GetStringAsync(new Uri("openapi/v3/apis/proxyoperator.io/v1alpha1", UriKind.Relative)))!;
        var schema = openApi["components"]!["schemas"]!["io.proxyoperator.v1alpha1.GoModuleProxy"]!;
        Assert.Equal("GoModuleProxy", (string?)schema["x-kubernetes-group-version-kind"]![0]!["kind"]);
        Assert.NotNull(schema["properties"]!["spec"]!["properties"]!["upstream"]);
    }

    [Fact]
    public async Task Aggregated_discovery_is_served_when_asked_for_with_its_media_type()
    {
        await using var sandbox = await Sandbox.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("apis", UriKind.Relative));
        request.Headers.Accept.ParseAdd("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await sandbox.Http.SendAsync(request);

        Assert.Equal("apidiscovery.k8s.io", response.Content.Headers.ContentType!.Parameters.Single(p => p.Name == "g").Value);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("APIGroupDiscoveryList", (string?)document["kind"]);
        var apps = document["items"]!.AsArray().Single(i => (string?)i!["metadata"]!["name"] == "apps")!;
        var deployments = apps["versions"]![0]!["resources"]!.AsArray().Single(r => (string?)r!["resource"] == "deployments")!;
        Assert.Equal("Namespaced", (string?)deployments["scope"]);
        Assert.Contains(deployments["subresources"]!.AsArray(), s => (string?)s!["subresource"] == "scale");

        using var plain = await sandbox.Http.GetAsync(new Uri("apis", UriKind.Relative));
        Assert.Equal(new MediaTypeHeaderValue("application/json"), plain.Content.Headers.ContentType);
    }

    [Fact]
    public async Task Openapi_v3_lists_every_group_version_with_a_field_validation_patch_per_kind()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var index = JsonNode.Parse(await sandbox.Http.GetStringAsync(new Uri("openapi/v3", UriKind.Relative)))!;
        var appsUrl = (string)index["paths"]!["apis/apps/v1"]!["serverRelativeURL"]!;

        var apps = JsonNode.Parse(await sandbox.Http.GetStringAsync(new Uri(appsUrl.TrimStart('/'), UriKind.Relative)))!;
        var patch = apps["paths"]!["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]!["patch"]!;

        Assert.Equal("Deployment", (string?)patch["x-kubernetes-group-version-kind"]!["kind"]);
        Assert.Contains(patch["parameters"]!.AsArray(), p => (string?)p!["name"] == "fieldValidation");
        Assert.NotNull(index["paths"]!["api/v1"]);
    }
}
