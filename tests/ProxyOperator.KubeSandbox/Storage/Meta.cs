using System.Text.Json.Nodes;

namespace ProxyOperator.KubeSandbox.Storage;

/// <summary>Accessors for the ObjectMeta fields the server reads and writes.</summary>
internal static class Meta
{
    public static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject metadata)
        {
            return metadata;
        }

        metadata = new JsonObject();
        obj["metadata"] = metadata;
        return metadata;
    }

    public static string Name(JsonObject obj) => String(obj, "name") ?? string.Empty;

    public static string? Namespace(JsonObject obj) => String(obj, "namespace");

    public static string? Uid(JsonObject obj) => String(obj, "uid");

    public static string? ResourceVersion(JsonObject obj) => String(obj, "resourceVersion");

    public static string? String(JsonObject obj, string field) =>
        obj["metadata"] is JsonObject metadata && metadata[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>metadata.generation whatever number type holds it (parsed JSON or a value the server set).</summary>
    public static long Generation(JsonObject obj) =>
        obj["metadata"]?["generation"] is JsonValue value && value.TryGetValue<long>(out var generation) ? generation
        : obj["metadata"]?["generation"] is JsonValue small && small.TryGetValue<int>(out var smallGeneration) ? smallGeneration
        : 0;

    public static bool IsDeleting(JsonObject obj) => String(obj, "deletionTimestamp") is not null;

    public static List<string> Finalizers(JsonObject obj) =>
        obj["metadata"]?["finalizers"] is JsonArray finalizers
            ? finalizers.Select(f => f?.GetValue<string>() ?? string.Empty).ToList()
            : [];

    public static void SetFinalizers(JsonObject obj, IEnumerable<string> finalizers)
    {
        var list = finalizers.ToList();
        if (list.Count == 0)
        {
            Metadata(obj).Remove("finalizers");
        }
        else
        {
            Metadata(obj)["finalizers"] = new JsonArray(list.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray());
        }
    }

    public static IEnumerable<JsonObject> OwnerReferences(JsonObject obj) =>
        obj["metadata"]?["ownerReferences"] is JsonArray references ? references.OfType<JsonObject>() : [];

    public static IReadOnlyDictionary<string, string> Labels(JsonObject obj)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["metadata"]?["labels"] is JsonObject map)
        {
            foreach (var (key, value) in map)
            {
                labels[key] = value?.ToString() ?? string.Empty;
            }
        }

        return labels;
    }
}
