using System.Globalization;
using System.Text.Json.Nodes;

namespace ProxyOperator.KubeSandbox.Patching;

/// <summary>
/// Server-side apply and managedFields bookkeeping, after sigs.k8s.io/structured-merge-diff merge/update.go
/// (Updater.Apply / Updater.Update) and k8s.io/apiserver's fieldmanager, as described by the "Server-Side Apply"
/// documentation page. List semantics come from <see cref="IPatchMetadata"/>: a list with a merge key is an
/// associative list (items <c>k:{"key":value}</c>), a set list holds <c>v:value</c> items, any other list is atomic.
/// Objects are treated as structs/maps: each scalar, atomic list or empty object is an owned leaf.
/// </summary>
public static class ServerSideApply
{
    private const string ApplyOperation = "Apply";
    private const string UpdateOperation = "Update";

    /// <summary>
    /// live: the stored object (null when creating), with metadata.managedFields; applied: the apply configuration.
    /// Returns the merged object with metadata.managedFields updated.
    /// </summary>
    /// <exception cref="PatchException">The configuration carries managedFields or an associative list item without its key.</exception>
    public static ApplyResult Apply(JsonObject? live, JsonObject applied, string manager, bool force, IPatchMetadata metadata, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(metadata);

        // The API server rejects an apply configuration that sets managedFields ("metadata.managedFields must be nil").
        if (applied["metadata"] is JsonObject appliedMeta && appliedMeta["managedFields"] is not null)
        {
            throw new PatchException("metadata.managedFields must be nil");
        }

        var apiVersion = ApiVersionOf(applied, live);
        var liveObject = Strip(live);
        var entries = ManagedEntry.Read(live);
        if (live is not null && entries.Count == 0)
        {
            // An object that was never tracked gets its existing fields attributed to "before-first-apply" on its first
            // apply (apiserver fieldmanager: managedFieldsUpdater / "before-first-apply"), so that the applier does
            // not silently take over everything.
            var existing = ObjectFields.Of(liveObject!, metadata).Members;
            if (!existing.IsEmpty)
            {
                entries.Add(new ManagedEntry("before-first-apply", UpdateOperation, apiVersion, null, null, existing));
            }
        }

        var merged = (JsonObject)ApplyMerge(liveObject, applied, [], metadata)!;
        var applierEntry = entries.Find(e => e.Is(manager, ApplyOperation, null));
        var lastSet = applierEntry?.Set ?? new FieldSet();
        var newSet = ObjectFields.Of(applied, metadata).Members;
        if (applierEntry is null)
        {
            applierEntry = new ManagedEntry(manager, ApplyOperation, apiVersion, null, null, newSet);
            entries.Add(applierEntry);
        }

        applierEntry.Set = newSet;
        applierEntry.ApiVersion = apiVersion;
        Prune(merged, lastSet.Difference(newSet), entries);

        // Updater.update: every other manager owning a field that this apply adds or changes is in conflict.
        var comparison = FieldComparison.Of(liveObject ?? [], merged, metadata);
        var changed = comparison.Added.Union(comparison.Modified);
        var conflicts = new List<(ManagedEntry Entry, FieldSet Paths)>();
        foreach (var entry in entries.Where(e => e != applierEntry))
        {
            var overlap = entry.Set.Intersection(changed);
            if (!overlap.IsEmpty)
            {
                conflicts.Add((entry, overlap));
            }
        }

        if (conflicts.Count > 0 && !force)
        {
            var list = conflicts
                .SelectMany(c => c.Paths.Paths.Select(p => (c.Entry, Path: FieldSet.Display(p))))
                .OrderBy(c => c.Entry.Manager, StringComparer.Ordinal)
                .ThenBy(c => c.Path, StringComparer.Ordinal)
                .ToList();
            return new ApplyResult(
                (JsonObject)(live?.DeepClone() ?? new JsonObject()),
                [.. list.Select(c => new ApplyConflict(c.Entry.Manager, c.Path))],
                ConflictMessage(list));
        }

        // With force the conflicting fields move to the applier; fields that disappeared leave every set.
        foreach (var (entry, paths) in conflicts)
        {
            entry.Set = entry.Set.Difference(paths);
        }

        foreach (var entry in entries.Where(e => e != applierEntry))
        {
            entry.Set = entry.Set.Difference(comparison.Removed);
        }

        applierEntry.Time = Timestamp(now);
        entries.RemoveAll(e => e.Set.IsEmpty);
        ManagedEntry.Write(merged, entries);
        return new ApplyResult(merged, []);
    }

    /// <summary>
    /// For non-apply writes by a manager: records the fields it set as an "Update" entry and removes them from
    /// other managers' sets, as the API server does.
    /// </summary>
    public static JsonObject RecordUpdate(JsonObject? before, JsonObject after, string manager, IPatchMetadata metadata, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(metadata);

        // The stored managedFields are authoritative; whatever the client sent in after.metadata.managedFields is
        // replaced (the real server only honours a client-sent list in special cases, such as resetting it).
        var entries = ManagedEntry.Read(before);
        var result = Strip(after)!;
        var comparison = FieldComparison.Of(Strip(before) ?? [], result, metadata);
        var taken = comparison.Added.Union(comparison.Modified);

        // Updater.Update runs update(..., force=true): the writer takes every field it added or changed from the
        // other managers, and removed fields leave all sets.
        foreach (var entry in entries.Where(e => !e.Is(manager, UpdateOperation, null)))
        {
            entry.Set = entry.Set.Difference(taken).Difference(comparison.Removed);
        }

        var apiVersion = ApiVersionOf(after, before);
        var own = entries.Find(e => e.Is(manager, UpdateOperation, null));
        var ownSet = (own?.Set ?? new FieldSet()).Difference(comparison.Removed).Union(taken);
        if (own is null)
        {
            own = new ManagedEntry(manager, UpdateOperation, apiVersion, null, null, ownSet);
            entries.Add(own);
        }

        if (own.Time is null || !own.Set.SetEquals(ownSet) || own.ApiVersion != apiVersion)
        {
            own.Time = Timestamp(now);
        }

        own.Set = ownSet;
        own.ApiVersion = apiVersion;
        entries.RemoveAll(e => e.Set.IsEmpty);
        ManagedEntry.Write(result, entries);
        return result;
    }

    /// <summary>
    /// apiserver fieldmanager internal/conflict.go getConflictMessage/printManager:
    /// <c>Apply failed with 1 conflict: conflict with "kubectl" using apps/v1: .spec.replicas</c>; Update managers are
    /// printed with their apiVersion (and time when known), Apply managers by name only.
    /// </summary>
    private static string ConflictMessage(List<(ManagedEntry Entry, string Path)> conflicts)
    {
        if (conflicts.Count == 1)
        {
            return $"Apply failed with 1 conflict: conflict with {conflicts[0].Entry.Describe()}: {conflicts[0].Path}";
        }

        var lines = new List<string>();
        foreach (var group in conflicts.GroupBy(c => c.Entry.Describe()).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            lines.Add($"conflicts with {group.Key}:");
            lines.AddRange(group.Select(c => $"- {c.Path}"));
        }

        return $"Apply failed with {conflicts.Count} conflicts: {string.Join('\n', lines)}";
    }

    private static string ApiVersionOf(JsonObject primary, JsonObject? fallback) =>
        (primary["apiVersion"] ?? fallback?["apiVersion"]) is JsonValue v && v.TryGetValue<string>(out var s) ? s : string.Empty;

    private static string Timestamp(DateTimeOffset now) =>
        // metav1.Time marshals as RFC 3339 with second precision in UTC.
        now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A copy without metadata.managedFields, which is bookkeeping rather than object content.</summary>
    private static JsonObject? Strip(JsonObject? obj)
    {
        if (obj is null)
        {
            return null;
        }

        var copy = (JsonObject)obj.DeepClone();
        (copy["metadata"] as JsonObject)?.Remove("managedFields");
        return copy;
    }

    /// <summary>
    /// typed.TypedValue.Merge: the configuration is merged into the live object - maps recursively, associative lists
    /// item by key, set lists as a union, everything else replaced. A null in the configuration clears the field.
    /// </summary>
    private static JsonNode? ApplyMerge(JsonNode? live, JsonNode? config, List<string> path, IPatchMetadata metadata)
    {
        switch (config)
        {
            case JsonObject configObject:
                {
                    var result = live is JsonObject liveObject ? (JsonObject)liveObject.DeepClone() : new JsonObject();
                    foreach (var (key, value) in configObject)
                    {
                        if (value is null)
                        {
                            result.Remove(key);
                            continue;
                        }

                        result[key] = ApplyMerge(result[key]?.DeepClone(), value, [.. path, key], metadata);
                    }

                    return result;
                }

            case JsonArray configList:
                {
                    var liveList = live as JsonArray ?? [];
                    var mergeKey = metadata.MergeKeyFor(path);
                    if (mergeKey is not null && configList.All(i => i is JsonObject))
                    {
                        return MergeAssociative(liveList, configList, mergeKey, path, metadata);
                    }

                    if (metadata.IsSetList(path) && configList.All(i => i is JsonValue))
                    {
                        var union = new JsonArray([.. liveList.Select(i => i?.DeepClone())]);
                        foreach (var item in configList.Where(i => !liveList.Any(l => JsonNode.DeepEquals(l, i))))
                        {
                            union.Add(item!.DeepClone());
                        }

                        return union;
                    }

                    return configList.DeepClone();
                }

            default:
                return config?.DeepClone();
        }
    }

    /// <summary>
    /// Associative list merge (structured-merge-diff typed/merge.go visitListItems): a two-pointer walk over the live
    /// and configuration items. Live-only items keep their place, items in both are merged and follow the
    /// configuration's order, configuration-only items are inserted where the configuration has them.
    /// </summary>
    private static JsonArray MergeAssociative(JsonArray live, JsonArray config, string mergeKey, List<string> path, IPatchMetadata metadata)
    {
        string KeyOf(JsonNode? item, string side) =>
            ((item as JsonObject)?[mergeKey] ?? throw new PatchException(
                $"{side}: .{string.Join('.', path)}: associative list with keys has an element that omits key field \"{mergeKey}\"")).ToJsonString();

        var lhs = live.Where(i => i is JsonObject o && o[mergeKey] is not null).ToList();
        var lhsKeys = lhs.Select(i => KeyOf(i, "lhs")).ToList();
        var rhs = config.ToList();
        var rhsKeys = rhs.Select(i => KeyOf(i, "rhs")).ToList();
        if (rhsKeys.Distinct(StringComparer.Ordinal).Count() != rhsKeys.Count)
        {
            throw new PatchException($".{string.Join('.', path)}: duplicate entries for key {mergeKey}");
        }

        var lhsByKey = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        for (var i = 0; i < lhs.Count; i++)
        {
            lhsByKey.TryAdd(lhsKeys[i], lhs[i]);
        }

        var rhsSet = rhsKeys.ToHashSet(StringComparer.Ordinal);
        var shared = new Queue<string>(rhsKeys.Where(lhsByKey.ContainsKey));
        var nextShared = shared.Count > 0 ? shared.Dequeue() : null;
        var merged = new HashSet<string>(StringComparer.Ordinal);
        var result = new JsonArray();

        JsonNode? MergeItem(string key, JsonNode? rhsItem) =>
            ApplyMerge(lhsByKey.TryGetValue(key, out var l) ? l?.DeepClone() : null, rhsItem, path, metadata);

        void AdvanceShared(string key)
        {
            if (nextShared == key)
            {
                nextShared = shared.Count > 0 ? shared.Dequeue() : null;
            }
        }

        int li = 0, ri = 0;
        while (li < lhs.Count || ri < rhs.Count)
        {
            if (li < lhs.Count && ri < rhs.Count)
            {
                var key = lhsKeys[li];
                if (key == rhsKeys[ri])
                {
                    merged.Add(key);
                    result.Add(MergeItem(key, rhs[ri]));
                    li++;
                    ri++;
                    AdvanceShared(key);
                    continue;
                }

                if (rhsSet.Contains(key) && nextShared is not null && nextShared != key)
                {
                    // A shared item, but not the next one in configuration order: it is emitted when reached there.
                    li++;
                    continue;
                }
            }

            if (li < lhs.Count)
            {
                var key = lhsKeys[li];
                if (!rhsSet.Contains(key))
                {
                    result.Add(lhs[li]!.DeepClone());
                    li++;
                    continue;
                }

                if (merged.Contains(key))
                {
                    li++;
                    continue;
                }
            }

            if (ri < rhs.Count)
            {
                var key = rhsKeys[ri];
                merged.Add(key);
                result.Add(MergeItem(key, rhs[ri]));
                ri++;
                AdvanceShared(key);
            }
        }

        return result;
    }

    /// <summary>
    /// Updater.prune: fields the applier owned before but no longer applies are removed, unless another manager (or
    /// the new apply) still owns them or something beneath them. Objects left empty by the removal, and owned by no
    /// one, go as well.
    /// </summary>
    private static void Prune(JsonObject merged, FieldSet candidates, List<ManagedEntry> entries)
    {
        if (candidates.IsEmpty)
        {
            return;
        }

        var owned = entries.Aggregate(new FieldSet(), (all, e) => all.Union(e.Set));
        foreach (var path in candidates.Paths.OrderBy(p => FieldSet.Split(p).Length))
        {
            if (!owned.ContainsPathOrDescendant(path))
            {
                Remove(merged, FieldSet.Split(path), owned);
            }
        }
    }

    private static void Remove(JsonObject root, string[] elements, FieldSet owned)
    {
        var chain = new List<(JsonNode Container, string Element)>();
        JsonNode? current = root;
        foreach (var element in elements)
        {
            if (current is null)
            {
                return;
            }

            chain.Add((current, element));
            current = ObjectFields.Child(current, element);
        }

        // A field holding JSON null is present even though its value is null.
        var (lastContainer, lastElement) = chain[^1];
        var present = current is not null ||
            (lastContainer is JsonObject o && lastElement.StartsWith("f:", StringComparison.Ordinal) && o.ContainsKey(lastElement[2..]));
        if (!present)
        {
            return;
        }

        for (var depth = chain.Count - 1; depth >= 0; depth--)
        {
            var (container, element) = chain[depth];
            ObjectFields.RemoveChild(container, element);
            var parentPath = FieldSet.Join(elements.Take(depth));
            // Walk up only through field objects that became empty and that nobody owns.
            if (depth == 0 || container is not JsonObject { Count: 0 } || !chain[depth - 1].Element.StartsWith("f:", StringComparison.Ordinal) || owned.Contains(parentPath))
            {
                break;
            }
        }
    }

    /// <summary>One metadata.managedFields entry (metav1.ManagedFieldsEntry).</summary>
    private sealed class ManagedEntry(string manager, string operation, string apiVersion, string? time, string? subresource, FieldSet set)
    {
        public string Manager { get; } = manager;

        public string Operation { get; } = operation;

        public string ApiVersion { get; set; } = apiVersion;

        public string? Time { get; set; } = time;

        public string? Subresource { get; } = subresource;

        public FieldSet Set { get; set; } = set;

        // The API server keys managers by (manager, operation, apiVersion, subresource); entries for the same manager
        // and operation at another apiVersion are merged here since the sandbox serves one version per kind.
        public bool Is(string manager, string operation, string? subresource) =>
            Manager == manager && Operation == operation && Subresource == subresource;

        /// <summary>printManager: <c>"name"</c>, plus <c>with subresource "s"</c>, plus <c>using v at time</c> for Update.</summary>
        public string Describe()
        {
            var text = Quote(Manager);
            if (!string.IsNullOrEmpty(Subresource))
            {
                text += $" with subresource {Quote(Subresource)}";
            }

            if (Operation == UpdateOperation)
            {
                text += Time is null ? $" using {ApiVersion}" : $" using {ApiVersion} at {Time}";
            }

            return text;
        }

        private static string Quote(string s) => JsonValue.Create(s).ToJsonString();

        public static List<ManagedEntry> Read(JsonObject? obj)
        {
            var entries = new List<ManagedEntry>();
            if (obj?["metadata"]?["managedFields"] is not JsonArray list)
            {
                return entries;
            }

            foreach (var item in list.OfType<JsonObject>())
            {
                entries.Add(new ManagedEntry(
                    Text(item["manager"]) ?? string.Empty,
                    Text(item["operation"]) ?? UpdateOperation,
                    Text(item["apiVersion"]) ?? string.Empty,
                    Text(item["time"]),
                    Text(item["subresource"]),
                    FieldSet.FromFieldsV1(item["fieldsV1"])));
            }

            return entries;
        }

        public static void Write(JsonObject obj, List<ManagedEntry> entries)
        {
            if (obj["metadata"] is not JsonObject meta)
            {
                meta = new JsonObject();
                obj["metadata"] = meta;
            }

            if (entries.Count == 0)
            {
                meta.Remove("managedFields");
                return;
            }

            // apiserver managedfields sortEncodedManagedFields: by operation ("Apply" before "Update"), then time,
            // manager, apiVersion and subresource.
            var ordered = entries
                .OrderBy(e => e.Operation, StringComparer.Ordinal)
                .ThenBy(e => e.Time ?? string.Empty, StringComparer.Ordinal)
                .ThenBy(e => e.Manager, StringComparer.Ordinal)
                .ThenBy(e => e.ApiVersion, StringComparer.Ordinal)
                .ThenBy(e => e.Subresource ?? string.Empty, StringComparer.Ordinal);
            var list = new JsonArray();
            foreach (var e in ordered)
            {
                var json = new JsonObject
                {
                    ["manager"] = e.Manager,
                    ["operation"] = e.Operation,
                    ["apiVersion"] = e.ApiVersion,
                };
                if (e.Time is not null)
                {
                    json["time"] = e.Time;
                }

                json["fieldsType"] = "FieldsV1";
                json["fieldsV1"] = e.Set.ToFieldsV1();
                if (e.Subresource is not null)
                {
                    json["subresource"] = e.Subresource;
                }

                list.Add(json);
            }

            meta["managedFields"] = list;
        }

        private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
    }
}
