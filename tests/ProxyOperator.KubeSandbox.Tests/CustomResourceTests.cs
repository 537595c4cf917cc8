using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace ProxyOperator.KubeSandbox.Tests;

public sealed class CustomResourceTests
{
    internal const string Group = "proxyoperator.io";

    /// <summary>A CRD shaped like the operator's GoModuleProxy: defaults, validation, status and scale subresources, printer columns.</summary>
    internal static V1CustomResourceDefinition GoModuleProxyDefinition() => KubernetesJson.Deserialize<V1CustomResourceDefinition>("""
        {
          "apiVersion": "apiextensions.k8s.io/v1",
          "kind": "CustomResourceDefinition",
          "metadata": { "name": "gomoduleproxies.proxyoperator.io" },
          "spec": {
            "group": "proxyoperator.io",
            "scope": "Namespaced",
            "names": { "plural": "gomoduleproxies", "singular": "gomoduleproxy", "kind": "GoModuleProxy", "listKind": "GoModuleProxyList", "shortNames": ["gmp"], "categories": ["all"] },
            "versions": [{
              "name": "v1alpha1", "served": true, "storage": true,
              "subresources": { "status": {}, "scale": { "specReplicasPath": ".spec.replicas", "statusReplicasPath": ".status.replicas", "labelSelectorPath": ".status.selector" } },
              "additionalPrinterColumns": [
                { "name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas" },
                { "name": "Ready", "type": "string", "jsonPath": ".status.conditions[?(@.type==\"Ready\")].status" }
              ],
              "schema": { "openAPIV3Schema": {
                "type": "object",
                "properties": {
                  "spec": {
                    "type": "object",
                    "required": ["upstream"],
                    "properties": {
                      "upstream": { "type": "string" },
                      "replicas": { "type": "integer", "minimum": 1, "maximum": 10, "default": 2 },
                      "mode": { "type": "string", "enum": ["cache", "mirror"], "default": "cache" },
                      "storage": { "type": "object", "properties": { "size": { "type": "string", "default": "10Gi" }, "retainPolicy": { "type": "string", "default": "Retain" } } },
                      "extra": { "type": "object", "x-kubernetes-preserve-unknown-fields": true }
                    }
                  },
                  "status": {
                    "type": "object",
                    "properties": {
                      "replicas": { "type": "integer" },
                      "selector": { "type": "string" },
                      "conditions": { "type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["type"],
                        "items": { "type": "object", "properties": { "type": { "type": "string" }, "status": { "type": "string" } } } }
                    }
                  }
                }
              } }
            }]
          }
        }
        """);

    internal static GoModuleProxyObject Proxy(string name, JsonObject spec) => new() { Metadata = new V1ObjectMeta { Name = name }, Spec = spec };

    internal static async Task<GenericClient> InstallAsync(Sandbox sandbox)
    {
        await sandbox.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(GoModuleProxyDefinition());
        return sandbox.Generic(Group, "v1alpha1", "gomoduleproxies");
    }

    [Fact]
    public async Task A_created_crd_is_established_and_its_resource_is_served_at_once()
    {
        await using var sandbox = await Sandbox.StartAsync();
        using var proxies = await InstallAsync(sandbox);

        var crd = await sandbox.Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("gomoduleproxies.proxyoperator.io");
        Assert.Contains(crd.Status.Conditions, c => c.Type == "Established" && c.Status == "True");
        Assert.Contains(crd.Status.Conditions, c => c.Type == "NamesAccepted" && c.Status == "True");
        Assert.Equal("GoModuleProxy", crd.Status.AcceptedNames.Kind);

        await proxies.CreateNamespacedAsync(Proxy("p", new JsonObject { ["upstream"] = "https://proxy.golang.org" }), "default");
        var read = await proxies.ReadNamespacedAsync<GoModuleProxyObject>("default", "p");
        Assert.Equal("https://proxy.golang.org", (string?)read.Spec!["upstream"]);
    }

    [Fact]
    public async Task Schema_defaults_apply_on_create_including_nested_ones_only_under_present_parents()
    {
        await using var sandbox = await Sandbox.StartAsync();
        using var proxies = await InstallAsync(sandbox);

        var bare = await proxies.CreateNamespacedAsync(Proxy("bare", new JsonObject { ["upstream"] = "u" }), "default");
        Assert.Equal(2, (int?)bare.Spec!["replicas"]);
        Assert.Equal("cache", (string?)bare.Spec!["mode"]);
        Assert.Null(bare.Spec!["storage"]);

        var withStorage = await proxies.CreateNamespacedAsync(Proxy("stored", new JsonObject { ["upstream"] = "u", ["storage"] = new JsonObject() }), "default");
        Assert.Equal("10Gi", (string?)withStorage.Spec!["storage"]!["size"]);
        Assert.Equal("Retain", (string?)withStorage.Spec!["storage"]!["retainPolicy"]);
    }

    [Fact]
    public async Task Unknown_fields_are_pruned_unless_the_schema_preserves_them()
    {
        await using var sandbox = await Sandbox.StartAsync();
        using var proxies = await InstallAsync(sandbox);

        var created = await proxies.CreateNamespacedAsync(
            Proxy("p", new JsonObject { ["upstream"] = "u", ["bogus"] = 1, ["extra"] = new JsonObject { ["anything"] = "kept" } }),
            "default");

        Assert.Null(created.Spec!["bogus"]);
        Assert.Equal("kept", (string?)created.Spec!["extra"]!["anything"]);
    }

    [Fact]
    public async Task Strict_field_validation_refuses_unknown_fields_instead_of_pruning_them()
    {
        await using var sandbox = await Sandbox.StartAsync();
        using var proxies = await InstallAsync(sandbox);
        using var content = new StringContent(
            KubernetesJson.Serialize(Proxy("p", new JsonObject { ["upstream"] = "u", ["bogus"] = 1 })),
            System.Text.Encoding.UTF8,
            "application/json");

        using var response = await sandbox.Http.PostAsync(new Uri("apis/proxyoperator.io/v1alpha1/namespaces/default/gomoduleproxies?fieldValidation=Strict", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("strict decoding error: unknown field \"spec.bogus\"", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Warn_field_validation_prunes_unknown_fields_and_says_so_in_a_warning_header()
    {
        await using var sandbox = await Sandbox.StartAsync();
        using var proxies = await InstallAsync(sandbox);
        using var content = new StringContent(
            KubernetesJson.Serialize(Proxy("p", new JsonObject { ["upstream"] = "u", ["bogus"] = 1 })),
            System.Text.Encoding.UTF8,
            "application/json");

        using var response = await sandbox.Http.PostAsync(new Uri("apis/proxyoperator.io/v1alpha1/namespaces/default/gomoduleproxies?fieldValidation=Warn", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("299 - \"unknown field \\\"spec.bogus\\\"\"", Assert.Single(response.Headers.GetValues("Warning")));
        Assert.Null(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["spec"]!["bogus"]);
    }

    [Fact]
    public async Task Schema_violations_are_unprocessable_with_field_paths()
    {
        await using var sandbox = await Sandbox.StartAsync();
        using var proxies = await InstallAsync(sandbox);

        var failure = await Sandbox.FailureOf(() => proxies.CreateNamespacedAsync(Proxy("p", new JsonObject { ["replicas"] = 0, ["mode"] = "other" }), "default"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, failure.Response.StatusCode);
        var fields = Sandbox.StatusBody(failure)["details"]!["causes"]!.AsArray().Select(c => (string?)c!["field"]).ToList();
        Assert.Contains("spec.upstream", fields);
        Assert.Contains("spec.replicas", fields);
        Assert.Contains("spec.mode", fields);
        Assert.Contains("spec.replicas in body should be greater than or equal to 1", (string?)Sandbox.StatusBody(failure)["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_status_subresource_of_a_custom_resource_separates_spec_and_status()
    {
        await using var sandbox = await Sandbox.StartAsync();
        using var proxies = await InstallAsync(sandbox);
        var created = await proxies.CreateNamespacedAsync(Proxy("p", new JsonObject { ["upstream"] = "u" }), "default");

        created.Status = new JsonObject { ["replicas"] = 2 };
        created.Spec!["upstream"] = "changed";
        var viaMain = await proxies.ReplaceNamespacedAsync(created, "default", "p");
        Assert.Null(viaMain.Status);
        Assert.Equal(2, viaMain.Metadata.Generation);

        var viaStatus = await sandbox.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<JsonObject>(
            new V1Patch("{\"status\":{\"replicas\":2,\"selector\":\"app=p\"},\"spec\":{\"upstream\":\"ignored\"}}", V1Patch.PatchType.MergePatch), Group, "v1alpha1", "default", "gomoduleproxies", "p");
        Assert.Equal(2, (int?)viaStatus["status"]!["replicas"]);
        Assert.Equal("changed", (string?)viaStatus["spec"]!["upstream"]);
        Assert.Equal(2, (long?)viaStatus["metadata"]!["generation"]);
    }

    [Fact]
    public async Task The_scale_subresource_of_a_custom_resource_uses_the_crd_paths()
    {
        await using var sandbox = await Sandbox.StartAsync();
        await InstallAsync(sandbox);
        var custom = sandbox.Client.CustomObjects;
        await custom.CreateNamespacedCustomObjectAsync(Proxy("p", new JsonObject { ["upstream"] = "u" }), Group, "v1alpha1", "default", "gomoduleproxies");
        await custom.PatchNamespacedCustomObjectStatusAsync<JsonObject>(new V1Patch("{\"status\":{\"replicas\":2,\"selector\":\"app=p\"}}", V1Patch.PatchType.MergePatch), Group, "v1alpha1", "default", "gomoduleproxies", "p");

        var scale = await custom.GetNamespacedCustomObjectScaleAsync<V1Scale>(Group, "v1alpha1", "default", "gomoduleproxies", "p");
        Assert.Equal(2, scale.Spec.Replicas);
        Assert.Equal(2, scale.Status.Replicas);
        Assert.Equal("app=p", scale.Status.Selector);

        await custom.PatchNamespacedCustomObjectScaleAsync<V1Scale>(new V1Patch("{\"spec\":{\"replicas\":4}}", V1Patch.PatchType.MergePatch), Group, "v1alpha1", "default", "gomoduleproxies", "p");
        var proxy = await custom.GetNamespacedCustomObjectAsync<JsonObject>(Group, "v1alpha1", "default", "gomoduleproxies", "p");
        Assert.Equal(4, (int?)proxy["spec"]!["replicas"]);
    }

    [Fact]
    public async Task Deleting_the_crd_stops_serving_its_resource_and_forgets_its_objects()
    {
        await using var sandbox = await Sandbox.StartAsync();
        using var proxies = await InstallAsync(sandbox);
        await proxies.CreateNamespacedAsync(Proxy("p", new JsonObject { ["upstream"] = "u" }), "default");

        await sandbox.Client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("gomoduleproxies.proxyoperator.io");

        Assert.Equal(HttpStatusCode.NotFound, await Sandbox.StatusOf(() => proxies.ReadNamespacedAsync<GoModuleProxyObject>("default", "p")));
        await InstallAsync(sandbox);
        Assert.Empty((await proxies.ListNamespacedAsync<GoModuleProxyList>("default")).Items);
    }

    [Fact]
    public async Task Strategic_merge_patch_of_a_custom_resource_is_unsupported_media_type()
    {
        await using var sandbox = await Sandbox.StartAsync();
        using var proxies = await InstallAsync(sandbox);
        await proxies.CreateNamespacedAsync(Proxy("p", new JsonObject { ["upstream"] = "u" }), "default");

        var status = await Sandbox.StatusOf(() => proxies.PatchNamespacedAsync<GoModuleProxyObject>(new V1Patch("{\"spec\":{\"replicas\":3}}", V1Patch.PatchType.StrategicMergePatch), "default", "p"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
    }
}
