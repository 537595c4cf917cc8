using System.Text.Json.Nodes;

namespace ProxyOperator.KubeSandbox.Patching;

/// <summary>
/// typed.TypedValue.ToFieldSet without an OpenAPI schema: the set of field paths an object sets, plus the value of
/// every leaf so that two objects can be compared (typed.Comparison).
/// </summary>
internal sealed class ObjectFields
{
    // apiserver fieldmanager stripmeta.go: these paths are never tracked as owned fields.
    private static readonly HashSet<string> StrippedRootFields = new(StringComparer.Ordinal) { "apiVersion", "kind" };

    private static readonly HashSet<string> StrippedMetadataFields = new(StringComparer.Ordinal)
    {
        "name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation", "managedFields", "resourceVersion",
        // Set only by the server's delete path, never by a manager's write.
        "deletionTimestamp", "deletionGracePeriodSeconds",
    };

    private ObjectFields()
    {
    }

    /// <summary>Every owned path: leaves, associative list items and set items (tofieldset.go inserts each list item).</summary>
    public FieldSet Members { get; } = new();

    /// <summary>Leaf path to value: scalars, nulls, atomic lists, empty objects and set items.</summary>
    public Dictionary<string, JsonNode?> Leaves { get; } = new(StringComparer.Ordinal);

    public static ObjectFields Of(JsonObject obj, IPatchMetadata metadata)
    {
        var fields = new ObjectFields();
        fields.WalkObject(obj, string.Empty, [], metadata);
        return fields;
    }

    private void WalkObject(JsonObject obj, string path, List<string> jsonPath, IPatchMetadata metadata)
    {
        foreach (var (key, value) in obj)
        {
            if ((jsonPath.Count == 0 && StrippedRootFields.Contains(key)) ||
                (jsonPath is ["metadata"] && StrippedMetadataFields.Contains(key)))
            {
                continue;
            }

            WalkValue(value, FieldSet.Append(path, "f:" + key), [.. jsonPath, key], metadata);
        }
    }

    private void WalkValue(JsonNode? value, string path, List<string> jsonPath, IPatchMetadata metadata)
    {
        switch (value)
        {
            case JsonObject { Count: > 0 } child:
                WalkObject(child, path, jsonPath, metadata);
                break;
            case JsonArray list when AssociativeKey(list, jsonPath, metadata) is { } mergeKey:
                foreach (var item in list)
                {
                    var itemPath = FieldSet.Append(path, KeyElement(mergeKey, ((JsonObject)item!)[mergeKey]!));
                    Members.Add(itemPath);
                    WalkObject((JsonObject)item!, itemPath, jsonPath, metadata);
                }

                break;
            case JsonArray list when IsSet(list, jsonPath, metadata):
                foreach (var item in list)
                {
                    var itemPath = FieldSet.Append(path, "v:" + item!.ToJsonString());
                    Members.Add(itemPath);
                    Leaves[itemPath] = item;
                }

                break;
            default:
                // Scalars, nulls, empty objects and atomic lists are owned as a whole.
                Members.Add(path);
                Leaves[path] = value;
                break;
        }
    }

    /// <summary>The merge key when the list can be tracked item by item (every item an object with a distinct key).</summary>
    private static string? AssociativeKey(JsonArray list, List<string> jsonPath, IPatchMetadata metadata)
    {
        var mergeKey = metadata.MergeKeyFor(jsonPath);
        if (mergeKey is null || !list.All(i => i is JsonObject o && o[mergeKey] is not null))
        {
            return null;
        }

        var keys = list.Select(i => ((JsonObject)i!)[mergeKey]!.ToJsonString()).ToList();
        return keys.Distinct(StringComparer.Ordinal).Count() == keys.Count ? mergeKey : null;
    }

    private static bool IsSet(JsonArray list, List<string> jsonPath, IPatchMetadata metadata)
    {
        if (!metadata.IsSetList(jsonPath) || !list.All(i => i is JsonValue))
        {
            return false;
        }

        var values = list.Select(i => i!.ToJsonString()).ToList();
        return values.Distinct(StringComparer.Ordinal).Count() == values.Count;
    }

    /// <summary>FieldsV1 key element: <c>k:{"name":"nginx"}</c>.</summary>
    public static string KeyElement(string mergeKey, JsonNode key) =>
        "k:" + new JsonObject { [mergeKey] = key.DeepClone() }.ToJsonString();

    /// <summary>The child of <paramref name="container"/> addressed by one path element, or null.</summary>
    public static JsonNode? Child(JsonNode container, string element)
    {
        var body = element[2..];
        return (element[..2], container) switch
        {
            ("f:", JsonObject obj) => obj[body],
            ("k:", JsonArray list) => list.FirstOrDefault(item => MatchesKey(item, body)),
            ("v:", JsonArray list) => list.FirstOrDefault(item => JsonNode.DeepEquals(item, JsonNode.Parse(body))),
            ("i:", JsonArray list) when int.TryParse(body, out var i) && i >= 0 && i < list.Count => list[i],
            _ => null,
        };
    }

    public static void RemoveChild(JsonNode container, string element)
    {
        switch (container)
        {
            case JsonObject obj when element.StartsWith("f:", StringComparison.Ordinal):
                obj.Remove(element[2..]);
                break;
            case JsonArray list when element.StartsWith("i:", StringComparison.Ordinal):
                if (int.TryParse(element[2..], out var i) && i >= 0 && i < list.Count)
                {
                    list.RemoveAt(i);
                }

                break;
            case JsonArray list:
                var child = Child(list, element);
                if (child is not null)
                {
                    list.Remove(child);
                }

                break;
            default:
                break;
        }
    }

    private static bool MatchesKey(JsonNode? item, string keyJson) =>
        item is JsonObject obj && JsonNode.Parse(keyJson) is JsonObject keys && keys.All(k => JsonNode.DeepEquals(obj[k.Key], k.Value));
}

/// <summary>typed.Comparison: fields added, removed and modified between two versions of an object.</summary>
internal sealed class FieldComparison
{
    private FieldComparison(FieldSet added, FieldSet removed, FieldSet modified)
    {
        Added = added;
        Removed = removed;
        Modified = modified;
    }

    public FieldSet Added { get; }

    public FieldSet Removed { get; }

    /// <summary>Leaves present on both sides with different values (list items themselves are never "modified").</summary>
    public FieldSet Modified { get; }

    public static FieldComparison Of(JsonObject before, JsonObject after, IPatchMetadata metadata)
    {
        var lhs = ObjectFields.Of(before, metadata);
        var rhs = ObjectFields.Of(after, metadata);
        var modified = new FieldSet();
        foreach (var (path, value) in rhs.Leaves)
        {
            if (lhs.Leaves.TryGetValue(path, out var old) && !JsonNode.DeepEquals(old, value))
            {
                modified.Add(path);
            }
        }

        return new FieldComparison(rhs.Members.Difference(lhs.Members), lhs.Members.Difference(rhs.Members), modified);
    }
}
