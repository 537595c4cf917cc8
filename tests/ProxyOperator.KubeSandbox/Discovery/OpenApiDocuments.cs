using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ProxyOperator.KubeSandbox.Resources;

namespace ProxyOperator.KubeSandbox.Discovery;

/// <summary>
/// Just enough OpenAPI v3 for kubectl and helm: before <c>apply</c> they look, per group-version, for a PATCH operation
/// of the object's kind that takes <c>fieldValidation</c>; finding it, they leave validation to the server instead of
/// downloading the protobuf OpenAPI v2 document for client-side validation, which this server does not serve.
/// Schemas only for custom resources (for <c>kubectl explain</c>); the PATCH operations list no strategic-merge-patch
/// request body, so kubectl computes strategic merge patches from its compiled-in types, and JSON merge patches for
/// custom resources, as against a real cluster.
/// </summary>
internal static class OpenApiDocuments
{
    public static JsonObject Index(ResourceRegistry registry)
    {
        var paths = new JsonObject();
        foreach (var (group, version) in GroupVersions(registry))
        {
            var key = group.Length == 0 ? "api/" + version : $"apis/{group}/{version}";
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={Hash(registry, group, version)}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject? GroupVersion(ResourceRegistry registry, string group, string version)
    {
        var served = registry.All.Where(d => d.Group == group && d.Serves(version)).OrderBy(d => d.Plural, StringComparer.Ordinal).ToList();
        if (served.Count == 0)
        {
            return null;
        }

        var prefix = group.Length == 0 ? "/api/" + version : $"/apis/{group}/{version}";
        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var definition in served)
        {
            if (definition.SchemaFor(version) is { } schema)
            {
                // A custom resource's schema, tagged with its kind as kubectl explain looks it up.
                var tagged = schema.DeepClone().AsObject();
                tagged["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = definition.Kind });
                schemas[$"{string.Join('.', group.Split('.').Reverse())}.{version}.{definition.Kind}"] = tagged;
            }

            var itemPath = definition.Namespaced
                ? $"{prefix}/namespaces/{{namespace}}/{definition.Plural}/{{name}}"
                : $"{prefix}/{definition.Plural}/{{name}}";
            paths[itemPath] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = definition.Kind },
                    ["parameters"] = new JsonArray(
                        new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } },
                        new JsonObject { ["name"] = "fieldManager", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } }),
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                },
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.33.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static IEnumerable<(string Group, string Version)> GroupVersions(ResourceRegistry registry) =>
        registry.All.SelectMany(d => d.Versions.Select(v => (d.Group, v))).Distinct().OrderBy(gv => gv.Group, StringComparer.Ordinal);

    /// <summary>Changes whenever the group-version's kinds change, so clients that cache by URL refetch.</summary>
    private static string Hash(ResourceRegistry registry, string group, string version)
    {
        var kinds = string.Join(",", registry.All.Where(d => d.Group == group && d.Serves(version)).Select(d => d.Kind + "/" + d.Plural).Order(StringComparer.Ordinal));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(kinds)))[..16];
    }
}
