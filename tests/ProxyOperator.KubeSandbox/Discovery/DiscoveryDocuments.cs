using System.Text.Json.Nodes;
using ProxyOperator.KubeSandbox.Resources;

namespace ProxyOperator.KubeSandbox.Discovery;

/// <summary>
/// Discovery documents: <c>/version</c>, <c>/api</c>, <c>/apis</c>, the per-version APIResourceLists, and the aggregated
/// APIGroupDiscoveryList that kubectl and client-go ask for first (https://kubernetes.io/docs/concepts/overview/kubernetes-api/#discovery-api).
/// </summary>
internal static class DiscoveryDocuments
{
    /// <summary>The media type of aggregated discovery; a client that asked for it recognises the answer by this Content-Type.</summary>
    public const string AggregatedMediaType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    private static readonly string[] Verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] SubresourceVerbs = ["get", "patch", "update"];

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "33",
        ["gitVersion"] = "v1.33.0-sandbox",
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2025-04-23T00:00:00Z",
        ["goVersion"] = "go1.24.2",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions() => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = "127.0.0.1" }),
    };

    public static JsonObject GroupList(ResourceRegistry registry) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(registry.Groups().Select(g => (JsonNode?)Group(g.Group, g.Versions)).ToArray()),
    };

    public static JsonObject? Group(ResourceRegistry registry, string group)
    {
        var found = registry.Groups().FirstOrDefault(g => g.Group == group);
        return found.Group is null ? null : Group(found.Group, found.Versions);
    }

    public static JsonObject ResourceList(ResourceRegistry registry, string group, string version)
    {
        var resources = new JsonArray();
        foreach (var definition in Served(registry, group, version))
        {
            resources.Add(new JsonObject
            {
                ["name"] = definition.Plural,
                ["singularName"] = definition.Singular,
                ["namespaced"] = definition.Namespaced,
                ["kind"] = definition.Kind,
                ["verbs"] = Strings(Verbs),
                ["shortNames"] = Strings(definition.ShortNames),
                ["categories"] = Strings(definition.Categories),
            });
            if (definition.HasStatus)
            {
                resources.Add(SubresourceEntry(definition, "status", definition.Kind, null));
            }

            if (definition.Scale is not null)
            {
                resources.Add(SubresourceEntry(definition, "scale", "Scale", "autoscaling"));
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : group + "/" + version,
            ["resources"] = resources,
        };
    }

    /// <summary>Aggregated discovery for <c>/api</c> (core only) or <c>/apis</c> (every named group).</summary>
    public static JsonObject Aggregated(ResourceRegistry registry, bool core)
    {
        var groups = core ? [(string.Empty, (IReadOnlyList<string>)["v1"])] : registry.Groups();
        var items = new JsonArray();
        foreach (var (group, versions) in groups)
        {
            var versionItems = new JsonArray();
            foreach (var version in versions)
            {
                var resources = new JsonArray();
                foreach (var definition in Served(registry, group, version))
                {
                    var subresources = new JsonArray();
                    if (definition.HasStatus)
                    {
                        subresources.Add(AggregatedSubresource("status", group, version, definition.Kind));
                    }

                    if (definition.Scale is not null)
                    {
                        subresources.Add(AggregatedSubresource("scale", "autoscaling", "v1", "Scale"));
                    }

                    var resource = new JsonObject
                    {
                        ["resource"] = definition.Plural,
                        ["responseKind"] = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = definition.Kind },
                        ["scope"] = definition.Namespaced ? "Namespaced" : "Cluster",
                        ["singularResource"] = definition.Singular,
                        ["verbs"] = Strings(Verbs),
                    };
                    if (definition.ShortNames.Count > 0)
                    {
                        resource["shortNames"] = Strings(definition.ShortNames);
                    }

                    if (definition.Categories.Count > 0)
                    {
                        resource["categories"] = Strings(definition.Categories);
                    }

                    if (subresources.Count > 0)
                    {
                        resource["subresources"] = subresources;
                    }

                    resources.Add(resource);
                }

                versionItems.Add(new JsonObject { ["version"] = version, ["resources"] = resources, ["freshness"] = "Current" });
            }

            var metadata = new JsonObject { ["creationTimestamp"] = null };
            if (group.Length > 0)
            {
                metadata["name"] = group;
            }

            items.Add(new JsonObject { ["metadata"] = metadata, ["versions"] = versionItems });
        }

        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = "apidiscovery.k8s.io/v2",
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    /// <summary>True when an Accept header asks for aggregated discovery (v2, or the v2beta1 older clients send).</summary>
    public static bool WantsAggregated(string? accept) =>
        accept is not null && accept.Contains("as=APIGroupDiscoveryList", StringComparison.Ordinal) && accept.Contains("v=v2", StringComparison.Ordinal);

    private static IEnumerable<ResourceDefinition> Served(ResourceRegistry registry, string group, string version) =>
        registry.All.Where(d => d.Group == group && d.Serves(version)).OrderBy(d => d.Plural, StringComparer.Ordinal);

    private static JsonObject Group(string group, IReadOnlyList<string> versions)
    {
        JsonObject VersionEntry(string v) => new() { ["groupVersion"] = group + "/" + v, ["version"] = v };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode?)VersionEntry(v)).ToArray()),
            ["preferredVersion"] = VersionEntry(versions[0]),
        };
    }

    private static JsonObject SubresourceEntry(ResourceDefinition definition, string subresource, string kind, string? group)
    {
        var entry = new JsonObject
        {
            ["name"] = definition.Plural + "/" + subresource,
            ["singularName"] = string.Empty,
            ["namespaced"] = definition.Namespaced,
        };
        if (group is not null)
        {
            entry["group"] = group;
            entry["version"] = "v1";
        }

        entry["kind"] = kind;
        entry["verbs"] = Strings(SubresourceVerbs);
        return entry;
    }

    private static JsonObject AggregatedSubresource(string subresource, string group, string version, string kind) => new()
    {
        ["subresource"] = subresource,
        ["responseKind"] = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = kind },
        ["verbs"] = Strings(SubresourceVerbs),
    };

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
