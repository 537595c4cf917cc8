using System.Text.Json.Nodes;

namespace ProxyOperator.KubeSandbox.Patching;

/// <summary>
/// Strategic merge patch (application/strategic-merge-patch+json), following the server side of
/// k8s.io/apimachinery/pkg/util/strategicpatch/patch.go (StrategicMergeMapPatch with MergeParallelList and
/// IgnoreUnmatchedNulls) and the "Update API objects in place using kubectl patch" task page:
/// maps merge recursively and null deletes; lists with a patchMergeKey merge element by element; primitive lists
/// with patchStrategy merge are sets; all other lists are replaced. The directives kubectl emits are honoured:
/// <c>$patch: replace|delete</c> (in maps and list elements), <c>$retainKeys</c>, <c>$setElementOrder/&lt;field&gt;</c>
/// and <c>$deleteFromPrimitiveList/&lt;field&gt;</c>.
/// </summary>
/// <remarks>
/// The Go code decodes the result into the typed struct, which silently drops directive keys and nulls that were
/// copied verbatim into new fields. We store untyped JSON, so values copied from the patch are cleaned (merged into
/// an empty value) to give the same stored result.
/// </remarks>
public static class StrategicMergePatch
{
    private const string DirectiveMarker = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder/";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    /// <summary>Applies <paramref name="patch"/> to a copy of <paramref name="original"/>; the inputs are not modified.</summary>
    /// <exception cref="PatchException">The patch or document is not an object, or a directive is malformed.</exception>
    public static JsonNode Apply(JsonNode original, JsonNode patch, IPatchMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);

        // handleUnmarshal decodes both documents into map[string]interface{}: anything else is ErrBadJSONDoc.
        if (original is not JsonObject originalObject || patch is not JsonObject patchObject)
        {
            throw new PatchException("Invalid JSON document");
        }

        return MergeMap((JsonObject)originalObject.DeepClone(), (JsonObject)patchObject.DeepClone(), [], metadata);
    }

    /// <summary>mergeMap: both arguments are owned (already cloned) and may be mutated.</summary>
    private static JsonObject MergeMap(JsonObject original, JsonObject patch, List<string> path, IPatchMetadata metadata)
    {
        if (patch.TryGetPropertyValue(DirectiveMarker, out var directive))
        {
            // handleDirectiveInMergeMap: "replace" uses the patch as is, "delete" yields an empty map; anything
            // else (including "merge") is ErrBadPatchType.
            switch (AsString(directive))
            {
                case "replace":
                    patch.Remove(DirectiveMarker);
                    return MergeMap([], patch, path, metadata);
                case "delete":
                    return [];
                default:
                    throw new PatchException($"unknown patch type: {directive?.ToJsonString()} in map: {patch.ToJsonString()}");
            }
        }

        ApplyRetainKeys(original, patch);
        ApplySetElementOrder(original, patch, path, metadata);

        var deletions = new List<(string Field, JsonNode? Values)>();
        foreach (var (key, patchValue) in patch.ToList())
        {
            if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                deletions.Add((key[DeleteFromPrimitiveListPrefix.Length..], patchValue));
                continue;
            }

            if (key.StartsWith('$'))
            {
                // Unknown directives would be dropped by the typed decode on the server.
                continue;
            }

            if (patchValue is null)
            {
                // "If the value of this key is null, delete the key if it exists in the original"; with
                // IgnoreUnmatchedNulls an unmatched null is simply skipped.
                original.Remove(key);
                continue;
            }

            // Patch values are never stored directly (Clean copies them), so the patch keeps its keys: list merging
            // still needs the merge keys of patch elements after they have been merged.
            var childPath = Child(path, key);
            var originalValue = original[key];
            original[key] = (originalValue, patchValue) switch
            {
                (JsonObject o, JsonObject p) => MergeMap(Detach(original, key, o), p, childPath, metadata),
                (JsonArray o, JsonArray p) => MergeSlice(Detach(original, key, o), p, childPath, metadata),
                // Missing in the original, a different JSON type, or a scalar: "just take the patch value".
                _ => Clean(patchValue, childPath, metadata),
            };
        }

        foreach (var (field, values) in deletions)
        {
            // $deleteFromPrimitiveList/<field> is the parallel list kubectl sends to remove entries from a merging
            // primitive list (deleteFromSlice); entries that are not present are ignored.
            if (values is not JsonArray toDelete)
            {
                throw new PatchException("invalid patch format of primitive list");
            }

            if (original[field] is JsonArray current)
            {
                foreach (var item in current.Where(item => toDelete.Any(d => JsonNode.DeepEquals(d, item))).ToList())
                {
                    current.Remove(item);
                }
            }
        }

        return original;
    }

    /// <summary>
    /// applyRetainKeysDirective: every key present in the patch must be listed, and keys of the original that are not
    /// listed are cleared (used for union fields such as Deployment spec.strategy and Volume sources).
    /// </summary>
    private static void ApplyRetainKeys(JsonObject original, JsonObject patch)
    {
        if (!patch.TryGetPropertyValue(RetainKeysDirective, out var retain))
        {
            return;
        }

        patch.Remove(RetainKeysDirective);
        if (retain is not JsonArray retainList)
        {
            throw new PatchException("invalid patch format of retainKeys");
        }

        var keep = retainList.Select(AsString).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var (key, value) in patch)
        {
            if (value is null || key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal) || key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (!keep.Contains(key))
            {
                throw new PatchException("invalid patch format of retainKeys");
            }
        }

        foreach (var key in original.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
        {
            original.Remove(key);
        }
    }

    /// <summary>
    /// mergePatchIntoOriginal: a <c>$setElementOrder/&lt;field&gt;</c> list fixes the order of the merged list. Items named
    /// in it come first in its order, server-only items keep their relative live order
    /// (design proposal "preserve-order-in-strategic-merge-patch").
    /// </summary>
    private static void ApplySetElementOrder(JsonObject original, JsonObject patch, List<string> path, IPatchMetadata metadata)
    {
        foreach (var (key, orderNode) in patch.ToList())
        {
            if (!key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            patch.Remove(key);
            var field = key[SetElementOrderPrefix.Length..];
            if (orderNode is not JsonArray order)
            {
                throw new PatchException("invalid patch format of setElementOrder list");
            }

            var fieldPath = Child(path, field);
            var mergeKey = metadata.MergeKeyFor(fieldPath);
            if (mergeKey is null && !metadata.IsSetList(fieldPath))
            {
                // An atomic list has no order to merge; the patch value (if any) replaces it below.
                continue;
            }

            var originalList = original[field] as JsonArray;
            if (original[field] is { } present && originalList is null)
            {
                throw new PatchException($"expected a []interface {{}}, but received a {present.GetValueKind()}");
            }

            var patchList = patch[field] as JsonArray;
            if (patch[field] is { } presentPatch && patchList is null)
            {
                throw new PatchException($"expected a []interface {{}}, but received a {presentPatch.GetValueKind()}");
            }

            if (patchList is not null)
            {
                ValidateOrder(patchList, order, mergeKey);
            }

            var serverOrder = originalList is null ? [] : originalList.ToList();
            JsonArray merged;
            if (patchList is not null)
            {
                patch.Remove(field);
                merged = MergeSlice(originalList is null ? [] : Detach(original, field, originalList), patchList, fieldPath, metadata);
            }
            else if (originalList is not null)
            {
                merged = Detach(original, field, originalList);
            }
            else
            {
                continue;
            }

            var items = merged.ToList();
            merged.Clear();
            var inOrder = items.Where(item => IndexOf(order, item, mergeKey) >= 0).ToList();
            var serverOnly = items.Where(item => IndexOf(order, item, mergeKey) < 0).ToList();
            original[field] = new JsonArray([.. NormalizeElementOrder(inOrder, serverOnly, [.. order], serverOrder, mergeKey)]);
        }
    }

    /// <summary>
    /// validatePatchWithSetOrderList: the relative order of the patch list items must match the $setElementOrder list,
    /// and the (non-deleting) patch items must all appear in it.
    /// </summary>
    private static void ValidateOrder(JsonArray patchList, JsonArray order, string? mergeKey)
    {
        var items = patchList.Where(item => !(item is JsonObject o && o.ContainsKey(DirectiveMarker))).ToList();
        int patchIndex = 0, orderIndex = 0;
        while (patchIndex < items.Count && orderIndex < order.Count)
        {
            if (KeyOf(items[patchIndex], mergeKey) is var k && JsonNode.DeepEquals(k, KeyOf(order[orderIndex], mergeKey)))
            {
                patchIndex++;
            }

            orderIndex++;
        }

        if (patchIndex < items.Count)
        {
            throw new PatchException($"The order in patch list:\n{patchList.ToJsonString()}\n doesn't match $setElementOrder list:\n{order.ToJsonString()}\n");
        }
    }

    /// <summary>mergeSliceHandler + mergeSlice: both lists are owned and may be mutated.</summary>
    private static JsonArray MergeSlice(JsonArray original, JsonArray patch, List<string> path, IPatchMetadata metadata)
    {
        var mergeKey = metadata.MergeKeyFor(path);
        if (mergeKey is null && !metadata.IsSetList(path))
        {
            // No patchStrategy merge: the list is atomic and the patch replaces it.
            return (JsonArray)Clean(patch, path, metadata);
        }

        if (original.Count == 0 && patch.Count == 0)
        {
            return original;
        }

        var all = original.Concat(patch).ToList();
        if (all.Any(item => item is JsonArray))
        {
            throw new PatchException("lists of lists are not supported");
        }

        var objects = all.Count(item => item is JsonObject);
        if (objects != 0 && objects != all.Count)
        {
            throw new PatchException($"list element types are not identical: {original.ToJsonString()} {patch.ToJsonString()}");
        }

        var serverItems = original.ToList();
        var patchItems = patch.ToList();
        original.Clear();
        patch.Clear();
        List<JsonNode?> merged;
        if (objects == 0)
        {
            // Primitive lists are merged as sets: concatenate and deduplicate (deduplicateScalars).
            merged = [];
            foreach (var item in serverItems.Concat(patchItems))
            {
                if (!merged.Any(m => JsonNode.DeepEquals(m, item)))
                {
                    merged.Add(item);
                }
            }

            mergeKey = null;
        }
        else
        {
            if (mergeKey is null)
            {
                throw new PatchException($"cannot merge lists without merge key for {string.Join('.', path)}");
            }

            (serverItems, patchItems) = MergeSliceWithSpecialElements(serverItems, patchItems, mergeKey, path, metadata);
            merged = [.. serverItems];
            foreach (var item in patchItems)
            {
                var patchMap = (JsonObject)item!;
                var key = RequireMergeKey(patchMap, mergeKey);
                var index = merged.FindIndex(m => JsonNode.DeepEquals(((JsonObject)m!)[mergeKey], key));
                // "If we find a value with this merge key value in original, merge the maps. Otherwise append."
                if (index >= 0)
                {
                    merged[index] = MergeMap((JsonObject)merged[index]!, patchMap, path, metadata);
                }
                else
                {
                    merged.Add(Clean(patchMap, path, metadata));
                }
            }
        }

        var inPatch = merged.Where(item => IndexOf(patchItems, item, mergeKey) >= 0).ToList();
        var serverOnly = merged.Where(item => IndexOf(patchItems, item, mergeKey) < 0).ToList();
        return new JsonArray([.. NormalizeElementOrder(inPatch, serverOnly, patchItems, serverItems, mergeKey)]);
    }

    /// <summary>
    /// mergeSliceWithSpecialElements: list elements carrying <c>$patch</c>. "delete" removes every element with the same
    /// merge key, "replace" makes the remaining patch elements the whole list, "merge" is rejected as in Go.
    /// </summary>
    private static (List<JsonNode?> Original, List<JsonNode?> Patch) MergeSliceWithSpecialElements(
        List<JsonNode?> original, List<JsonNode?> patch, string mergeKey, List<string> path, IPatchMetadata metadata)
    {
        var plain = new List<JsonNode?>();
        var replace = false;
        foreach (var item in patch)
        {
            var map = (JsonObject)item!;
            if (!map.TryGetPropertyValue(DirectiveMarker, out var directive))
            {
                plain.Add(item);
                continue;
            }

            switch (AsString(directive))
            {
                case "delete":
                    var key = RequireMergeKey(map, mergeKey);
                    original = original.Where(o => !JsonNode.DeepEquals(((JsonObject)o!)[mergeKey], key)).ToList();
                    break;
                case "replace":
                    // "Continue iterating through the array to prune any other $patch elements."
                    replace = true;
                    break;
                case "merge":
                    throw new PatchException("merging lists cannot yet be specified in the patch");
                default:
                    throw new PatchException($"unknown patch type: {directive?.ToJsonString()} in map: {map.ToJsonString()}");
            }
        }

        if (replace)
        {
            var replacement = plain.Select(item => (JsonNode?)Clean(item!, path, metadata)).ToList();
            foreach (var item in replacement)
            {
                RequireMergeKey((JsonObject)item!, mergeKey);
            }

            return (replacement, []);
        }

        return (original, plain);
    }

    /// <summary>
    /// normalizeElementOrder + mergeSortedSlice: patch items sorted by the patch (or $setElementOrder) order, server-only
    /// items by the live order, then interleaved: a server-only item goes before a patch item only when both are in the
    /// live list and it came first there. New patch items therefore precede the remaining server-only items, which is
    /// what the kubectl patch task page shows (the added container is listed first).
    /// </summary>
    private static List<JsonNode?> NormalizeElementOrder(
        List<JsonNode?> patchItems, List<JsonNode?> serverOnly, List<JsonNode?> patchOrder, List<JsonNode?> serverOrder, string? mergeKey)
    {
        var right = SortBy(patchItems, patchOrder, mergeKey);
        var left = SortBy(serverOnly, serverOrder, mergeKey);
        var result = new List<JsonNode?>(left.Count + right.Count);
        int i = 0, j = 0;
        while (i < left.Count || j < right.Count)
        {
            if (i >= left.Count)
            {
                result.Add(right[j++]);
            }
            else if (j >= right.Count)
            {
                result.Add(left[i++]);
            }
            else
            {
                var li = IndexOf(serverOrder, left[i], mergeKey);
                var ri = IndexOf(serverOrder, right[j], mergeKey);
                result.Add(li >= 0 && ri >= 0 && li < ri ? left[i++] : right[j++]);
            }
        }

        return result;
    }

    private static List<JsonNode?> SortBy(List<JsonNode?> items, List<JsonNode?> order, string? mergeKey) =>
        // Stable: items absent from the order list keep their relative position at the end.
        items.Select((item, position) => (item, position, rank: IndexOf(order, item, mergeKey)))
            .OrderBy(x => x.rank < 0 ? int.MaxValue : x.rank)
            .ThenBy(x => x.position)
            .Select(x => x.item)
            .ToList();

    private static int IndexOf(IEnumerable<JsonNode?> list, JsonNode? item, string? mergeKey)
    {
        var key = KeyOf(item, mergeKey);
        var index = 0;
        foreach (var candidate in list)
        {
            if (JsonNode.DeepEquals(KeyOf(candidate, mergeKey), key))
            {
                return index;
            }

            index++;
        }

        return -1;
    }

    private static JsonNode? KeyOf(JsonNode? item, string? mergeKey) =>
        mergeKey is null ? item : (item as JsonObject)?[mergeKey];

    private static JsonNode RequireMergeKey(JsonObject map, string mergeKey) =>
        map[mergeKey] ?? throw new PatchException($"map: {map.ToJsonString()} does not contain declared merge key: {mergeKey}");

    /// <summary>
    /// A patch value copied into the result: merged into an empty value so that directives and nulls inside it are
    /// resolved instead of being stored.
    /// </summary>
    private static JsonNode Clean(JsonNode value, List<string> path, IPatchMetadata metadata)
    {
        switch (value)
        {
            case JsonObject map:
                return MergeMap([], (JsonObject)map.DeepClone(), path, metadata);
            case JsonArray list when metadata.MergeKeyFor(path) is not null || metadata.IsSetList(path):
                return MergeSlice([], (JsonArray)list.DeepClone(), path, metadata);
            case JsonArray list:
                return new JsonArray([.. list.Select(item => item is null ? null : Clean(item, path, metadata))]);
            default:
                return value.DeepClone();
        }
    }

    private static T Detach<T>(JsonObject parent, string key, T node)
        where T : JsonNode
    {
        parent[key] = null;
        return node;
    }

    private static string? AsString(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static List<string> Child(List<string> path, string key) => [.. path, key];
}
