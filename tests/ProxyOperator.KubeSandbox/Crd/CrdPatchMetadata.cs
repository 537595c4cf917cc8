using System.Text.Json.Nodes;
using ProxyOperator.KubeSandbox.Patching;

namespace ProxyOperator.KubeSandbox.Crd;

/// <summary>
/// How merges treat the lists of a custom resource: as the API server does, from the schema's
/// <c>x-kubernetes-list-type</c>/<c>x-kubernetes-list-map-keys</c> (https://kubernetes.io/docs/reference/using-api/server-side-apply/#merge-strategy),
/// atomic otherwise; ObjectMeta keeps its own keys (finalizers a set, ownerReferences keyed by uid).
/// </summary>
internal sealed class CrdPatchMetadata(JsonObject? schema) : IPatchMetadata
{
    public string? MergeKeyFor(IReadOnlyList<string> path)
    {
        if (path is ["metadata", "ownerReferences"])
        {
            return "uid";
        }

        var list = SchemaAt(path);
        return list is not null && (string?)list["x-kubernetes-list-type"] == "map" && list["x-kubernetes-list-map-keys"] is JsonArray { Count: 1 } keys
            ? (string?)keys[0]
            : null;
    }

    public bool IsSetList(IReadOnlyList<string> path) =>
        path is ["metadata", "finalizers"] || (string?)SchemaAt(path)?["x-kubernetes-list-type"] == "set";

    private JsonObject? SchemaAt(IReadOnlyList<string> path)
    {
        var current = schema;
        foreach (var segment in path)
        {
            // Paths leave out list indices: step through a list's items on the way down.
            if ((string?)current?["type"] == "array")
            {
                current = current["items"] as JsonObject;
            }

            current = current?["properties"]?[segment] as JsonObject ?? current?["additionalProperties"] as JsonObject;
        }

        return current;
    }
}
