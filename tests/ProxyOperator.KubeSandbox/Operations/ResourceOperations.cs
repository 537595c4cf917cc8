using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ProxyOperator.KubeSandbox.Crd;
using ProxyOperator.KubeSandbox.Http;
using ProxyOperator.KubeSandbox.Patching;
using ProxyOperator.KubeSandbox.Resources;
using ProxyOperator.KubeSandbox.Selectors;
using ProxyOperator.KubeSandbox.Storage;

namespace ProxyOperator.KubeSandbox.Operations;

/// <summary>
/// The semantics of the API server's verbs over the store: metadata the server owns (uid, creationTimestamp,
/// resourceVersion, generation, managedFields), optimistic concurrency, the status subresource, finalizers and
/// deletion propagation (https://github.com/kubernetes/community/blob/master/contributors/devel/sig-architecture/api-conventions.md).
/// Every method must be called holding the store's lock.
/// </summary>
internal sealed partial class ResourceOperations(ObjectStore store, ResourceRegistry registry, TimeProvider clock, Action changed)
{
    private const string ForegroundFinalizer = "foregroundDeletion";

    public ObjectStore Store => store;

    public ResourceRegistry Registry => registry;

    public string Now() => clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public JsonObject Get(ResourceDefinition definition, string? ns, string name) =>
        store.Get(definition.Group, definition.Plural, ns, name) ?? throw new ApiException(Statuses.NotFound(definition.Group, definition.Plural, name));

    public JsonObject Create(ResourceDefinition definition, string version, string? ns, JsonObject body, WriteOptions options, bool recordManagedFields = true)
    {
        CheckTypeMeta(definition, version, body);
        var obj = body.DeepClone().AsObject();
        var metadata = Meta.Metadata(obj);
        ns = AlignNamespace(definition, ns, obj);
        if (ns is not null && store.Get(string.Empty, "namespaces", null, ns) is null)
        {
            throw new ApiException(Statuses.NotFound(string.Empty, "namespaces", ns));
        }

        if (string.IsNullOrEmpty((string?)metadata["name"]) && (string?)metadata["generateName"] is { Length: > 0 } prefix)
        {
            metadata["name"] = GenerateName(definition, ns, prefix);
        }

        var name = Meta.Name(obj);
        ValidateName(definition, name);
        if (store.Get(definition.Group, definition.Plural, ns, name) is not null)
        {
            throw new ApiException(Statuses.AlreadyExists(definition.Group, definition.Plural, name));
        }

        foreach (var serverOwned in (string[])["resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"])
        {
            metadata.Remove(serverOwned);
        }

        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Now();
        metadata.Remove("generation");
        if (definition.TracksGeneration)
        {
            metadata["generation"] = 1L;
        }

        if (definition.HasStatus)
        {
            // A resource with a status subresource ignores the status stanza on create, as on update.
            obj.Remove("status");
        }

        RejectUnknownFields(definition, version, obj, options);
        Normalize(definition, version, obj, previous: null);
        if (recordManagedFields)
        {
            obj = RecordManagedFields(definition, null, obj, options.FieldManager);
        }

        if (options.DryRun)
        {
            return obj;
        }

        store.Put(definition.Group, definition.Plural, obj, null);
        AfterWrite(definition, obj);
        return obj;
    }

    public JsonObject Update(ResourceDefinition definition, string version, string? ns, string name, JsonObject body, bool statusOnly, WriteOptions options)
    {
        CheckTypeMeta(definition, version, body);
        var existing = Get(definition, ns, name);
        return UpdateExisting(definition, version, existing, body, statusOnly, options, recordManagedFields: true);
    }

    public JsonObject Patch(ResourceDefinition definition, string version, string? ns, string name, string contentType, string body, bool statusOnly, WriteOptions options)
    {
        var mediaType = contentType.Split(';')[0].Trim().ToLowerInvariant();
        var existing = store.Get(definition.Group, definition.Plural, ns, name);
        try
        {
            if (mediaType == "application/apply-patch+yaml")
            {
                return Apply(definition, version, ns, name, existing, body, statusOnly, options);
            }

            if (existing is null)
            {
                throw new ApiException(Statuses.NotFound(definition.Group, definition.Plural, name));
            }

            var patched = PatchObject(definition, existing, mediaType, body);
            return UpdateExisting(definition, version, existing, patched, statusOnly, options, recordManagedFields: true);
        }
        catch (PatchException e)
        {
            throw new ApiException(Statuses.Failure(422, "Invalid", e.Message));
        }
    }

    public JsonObject Delete(ResourceDefinition definition, string? ns, string name, DeleteOptions options)
    {
        var existing = Get(definition, ns, name);
        if (options.PreconditionUid is { } uid && uid != Meta.Uid(existing))
        {
            throw new ApiException(Statuses.Conflict(definition.Group, definition.Plural, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {Meta.Uid(existing)}"));
        }

        if (options.PreconditionResourceVersion is { } rv && rv != Meta.ResourceVersion(existing))
        {
            throw new ApiException(Statuses.Conflict(definition.Group, definition.Plural, name, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {Meta.ResourceVersion(existing)}"));
        }

        if (options.DryRun)
        {
            return existing;
        }

        if (options.PropagationPolicy == "Orphan")
        {
            Orphan(Meta.Uid(existing));
        }

        var obj = existing.DeepClone().AsObject();
        var finalizers = Meta.Finalizers(obj);
        if (options.PropagationPolicy == "Foreground" && !finalizers.Contains(ForegroundFinalizer))
        {
            finalizers.Add(ForegroundFinalizer);
            Meta.SetFinalizers(obj, finalizers);
        }

        if (finalizers.Count > 0)
        {
            // With finalizers the delete only marks the object; it goes when the last finalizer is removed
            // (https://kubernetes.io/docs/concepts/overview/working-with-objects/finalizers/).
            var metadata = Meta.Metadata(obj);
            if (metadata["deletionTimestamp"] is null)
            {
                metadata["deletionTimestamp"] = Now();
                metadata["deletionGracePeriodSeconds"] = 0L;
                if (definition.TracksGeneration)
                {
                    metadata["generation"] = Meta.Generation(obj) + 1;
                }

            }

            if (JsonNode.DeepEquals(obj, existing))
            {
                return existing;
            }

            store.Put(definition.Group, definition.Plural, obj, existing);
            changed();
            return obj;
        }

        return Remove(definition, existing);
    }

    public List<JsonObject> DeleteCollection(ResourceDefinition definition, string? ns, LabelSelector labels, FieldSelector fields, DeleteOptions options)
    {
        var deleted = new List<JsonObject>();
        foreach (var obj in store.List(definition.Group, definition.Plural, ns).Select(p => p.Value).ToList())
        {
            if (labels.Matches(Meta.Labels(obj)) && fields.Matches(obj))
            {
                deleted.Add(Delete(definition, Meta.Namespace(obj), Meta.Name(obj), options));
            }
        }

        return deleted;
    }

    public JsonObject GetScale(ResourceDefinition definition, string? ns, string name) => ToScale(definition, Get(definition, ns, name));

    public JsonObject UpdateScale(ResourceDefinition definition, string version, string? ns, string name, JsonObject scale, WriteOptions options)
    {
        var existing = Get(definition, ns, name);
        if (Meta.ResourceVersion(scale) is { Length: > 0 } rv && rv != Meta.ResourceVersion(existing))
        {
            throw new ApiException(Statuses.StaleResourceVersion(definition.Group, definition.Plural, name));
        }

        var updated = existing.DeepClone().AsObject();
        FieldPath.Set(updated, definition.Scale!.SpecReplicasPath, scale["spec"]?["replicas"]?.DeepClone() ?? JsonValue.Create(0));
        return ToScale(definition, UpdateExisting(definition, version, existing, updated, statusOnly: false, options, recordManagedFields: true));
    }

    public JsonObject PatchScale(ResourceDefinition definition, string version, string? ns, string name, string contentType, string body, WriteOptions options)
    {
        var current = GetScale(definition, ns, name);
        var mediaType = contentType.Split(';')[0].Trim().ToLowerInvariant();
        try
        {
            // A Scale is a built-in kind whose only list-free fields make every patch type agree.
            var patched = mediaType == "application/strategic-merge-patch+json"
                ? PatchObject(definition, current, "application/merge-patch+json", body)
                : PatchObject(definition, current, mediaType, body);
            return UpdateScale(definition, version, ns, name, patched, options);
        }
        catch (PatchException e)
        {
            throw new ApiException(Statuses.Failure(422, "Invalid", e.Message));
        }
    }

    /// <summary>Removes an object now; used when nothing (no finalizer) holds it back.</summary>
    public JsonObject Remove(ResourceDefinition definition, JsonObject existing)
    {
        var name = Meta.Name(existing);
        if (definition is { Group: "", Plural: "namespaces" })
        {
            DeleteNamespaceContents(name);
        }

        var removed = store.Remove(definition.Group, definition.Plural, existing);
        if (definition is { Group: "apiextensions.k8s.io", Plural: "customresourcedefinitions" })
        {
            var served = CustomResources.ToDefinition(existing);
            store.RemoveAll(served.Group, served.Plural);
            if (registry.Find(served.Group, served.Plural)?.CrdName == name)
            {
                registry.Remove(served.Group, served.Plural);
            }
        }

        changed();
        return removed;
    }

    private JsonObject Apply(ResourceDefinition definition, string version, string? ns, string name, JsonObject? existing, string body, bool statusOnly, WriteOptions options)
    {
        if (string.IsNullOrEmpty(options.FieldManager))
        {
            throw new ApiException(Statuses.Invalid("meta.k8s.io", "PatchOptions", string.Empty, [FieldError.Required("fieldManager")]));
        }

        JsonObject applied;
        try
        {
            applied = YamlToJson.Parse(body) as JsonObject ?? throw new ApiException(Statuses.BadRequest("apply patch must be an object"));
        }
        catch (Exception e) when (e is JsonException or YamlDotNet.Core.YamlException)
        {
            throw new ApiException(Statuses.BadRequest("error decoding apply patch: " + e.Message));
        }

        CheckTypeMeta(definition, version, applied);
        if (existing is null)
        {
            if (statusOnly)
            {
                throw new ApiException(Statuses.NotFound(definition.Group, definition.Plural, name));
            }

            Meta.Metadata(applied)["name"] ??= name;
            var created = ServerSideApply.Apply(null, applied, options.FieldManager, options.Force, definition.PatchMetadata, clock.GetUtcNow());
            return Create(definition, version, ns, created.Object, options, recordManagedFields: false);
        }

        var result = ServerSideApply.Apply(existing.DeepClone().AsObject(), applied, options.FieldManager, options.Force, definition.PatchMetadata, clock.GetUtcNow());
        if (result.Conflicts.Count > 0)
        {
            throw new ApiException(ApplyConflicts(definition, version, name, result.Conflicts));
        }

        return UpdateExisting(definition, version, existing, result.Object, statusOnly, options, recordManagedFields: false);
    }

    /// <summary>The 409 an apply gets when it would take fields another manager owns without force.</summary>
    private static JsonObject ApplyConflicts(ResourceDefinition definition, string version, string name, IReadOnlyList<ApplyConflict> conflicts)
    {
        var apiVersion = definition.ApiVersion(version);
        var lines = conflicts.Select(c => $"conflict with \"{c.Manager}\" using {apiVersion}: {c.FieldPath}").ToList();
        var message = conflicts.Count == 1
            ? $"Apply failed with 1 conflict: {lines[0]}"
            : $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
        var causes = new JsonArray(conflicts.Select(c => (JsonNode?)new JsonObject
        {
            ["reason"] = "FieldManagerConflict",
            ["message"] = $"conflict with \"{c.Manager}\" using {apiVersion}",
            ["field"] = c.FieldPath,
        }).ToArray());
        var details = new JsonObject { ["name"] = name, ["group"] = definition.Group, ["kind"] = definition.Plural, ["causes"] = causes };
        return Statuses.Failure(409, "Conflict", message, details);
    }

    private static JsonObject PatchObject(ResourceDefinition definition, JsonObject existing, string mediaType, string body)
    {
        JsonNode? patch;
        try
        {
            patch = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw new ApiException(Statuses.BadRequest("error decoding patch: " + e.Message));
        }

        var target = existing.DeepClone();
        var patched = mediaType switch
        {
            "application/json-patch+json" => JsonPatch.Apply(target, patch as JsonArray ?? throw new ApiException(Statuses.BadRequest("json patch must be an array"))),
            "application/merge-patch+json" => MergePatch.Apply(target, patch),
            "application/strategic-merge-patch+json" when !definition.IsCustom => StrategicMergePatch.Apply(target, patch ?? new JsonObject(), definition.PatchMetadata),
            _ => throw new ApiException(Statuses.UnsupportedMediaType(mediaType)),
        };
        return patched as JsonObject ?? throw new ApiException(Statuses.BadRequest("patch did not produce an object"));
    }

    private JsonObject UpdateExisting(ResourceDefinition definition, string version, JsonObject existing, JsonObject body, bool statusOnly, WriteOptions options, bool recordManagedFields)
    {
        var name = Meta.Name(existing);
        var bodyName = Meta.Name(body);
        if (bodyName.Length > 0 && bodyName != name)
        {
            throw new ApiException(Statuses.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})"));
        }

        if (Meta.ResourceVersion(body) is { Length: > 0 } rv && rv != Meta.ResourceVersion(existing))
        {
            throw new ApiException(Statuses.StaleResourceVersion(definition.Group, definition.Plural, name));
        }

        JsonObject obj;
        if (statusOnly)
        {
            // Writes to /status change only .status (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#status-subresource).
            obj = existing.DeepClone().AsObject();
            obj["status"] = body["status"]?.DeepClone();
            if (obj["status"] is null)
            {
                obj.Remove("status");
            }

            if (body["metadata"]?["managedFields"] is { } managed)
            {
                Meta.Metadata(obj)["managedFields"] = managed.DeepClone();
            }
        }
        else
        {
            obj = body.DeepClone().AsObject();
            AlignNamespace(definition, Meta.Namespace(existing), obj);
            if (definition.HasStatus)
            {
                obj["status"] = existing["status"]?.DeepClone();
                if (obj["status"] is null)
                {
                    obj.Remove("status");
                }
            }

            var metadata = Meta.Metadata(obj);
            var before = Meta.Metadata(existing);
            metadata["name"] = name;
            foreach (var serverOwned in (string[])["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"])
            {
                metadata[serverOwned] = before[serverOwned]?.DeepClone();
                if (metadata[serverOwned] is null)
                {
                    metadata.Remove(serverOwned);
                }
            }
        }

        obj["apiVersion"] = existing["apiVersion"]?.DeepClone();
        obj["kind"] = definition.Kind;
        RejectUnknownFields(definition, version, obj, options);
        Normalize(definition, version, obj, existing);
        if (definition.TracksGeneration && SpecChanged(definition, existing, obj))
        {
            Meta.Metadata(obj)["generation"] = Meta.Generation(existing) + 1;
        }

        Meta.Metadata(obj)["resourceVersion"] = Meta.ResourceVersion(existing);
        if (recordManagedFields)
        {
            obj = RecordManagedFields(definition, existing, obj, options.FieldManager);
        }

        if (options.DryRun)
        {
            return obj;
        }

        if (Meta.IsDeleting(obj) && Meta.Finalizers(obj).Count == 0)
        {
            return Remove(definition, obj);
        }

        if (JsonNode.DeepEquals(WithoutManagedFieldTimes(obj), WithoutManagedFieldTimes(existing)))
        {
            // A no-op write keeps the resourceVersion and sends no watch event, as on a real cluster. Only the
            // entries' timestamps are ignored: a manager that starts sharing a field changes the object.
            return existing;
        }

        store.Put(definition.Group, definition.Plural, obj, existing);
        AfterWrite(definition, obj);
        return obj;
    }

    private static JsonObject WithoutManagedFieldTimes(JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        if (Meta.Metadata(copy)["managedFields"] is JsonArray entries)
        {
            foreach (var entry in entries.OfType<JsonObject>())
            {
                entry.Remove("time");
            }
        }

        return copy;
    }

    private static JsonObject WithoutManagedFields(JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        Meta.Metadata(copy).Remove("managedFields");
        return copy;
    }

    /// <summary>
    /// metadata.generation counts changes of the desired state: for kinds with a status subresource everything but
    /// metadata and status, for others everything but metadata.
    /// </summary>
    private static bool SpecChanged(ResourceDefinition definition, JsonObject before, JsonObject after)
    {
        JsonObject Desired(JsonObject obj)
        {
            var copy = obj.DeepClone().AsObject();
            copy.Remove("metadata");
            copy.Remove("apiVersion");
            copy.Remove("kind");
            if (definition.HasStatus)
            {
                copy.Remove("status");
            }

            return copy;
        }

        return !JsonNode.DeepEquals(Desired(before), Desired(after));
    }

    private JsonObject RecordManagedFields(ResourceDefinition definition, JsonObject? before, JsonObject after, string manager)
    {
        return ServerSideApply.RecordUpdate(before, after, manager, definition.PatchMetadata, clock.GetUtcNow());
    }

    private static void RejectUnknownFields(ResourceDefinition definition, string version, JsonObject obj, WriteOptions options)
    {
        if (options.FieldValidation is not ("Strict" or "Warn"))
        {
            return;
        }

        var schema = definition.SchemaFor(version);
        var unknown = (schema is null ? KnownFields.Unknown(definition, obj) : StructuralSchema.UnknownFields(obj, schema)).Select(u => $"unknown field \"{u}\"").ToList();
        if (unknown.Count > 0 && options.FieldValidation == "Strict")
        {
            throw new ApiException(Statuses.BadRequest("strict decoding error: " + string.Join(", ", unknown)));
        }

        options.Warnings.AddRange(unknown);
    }

    /// <summary>Kind-specific defaulting and validation the API server does on every write.</summary>
    private void Normalize(ResourceDefinition definition, string version, JsonObject obj, JsonObject? previous)
    {
        BuiltInDefaults.Apply(definition, obj, previous);
        switch (definition)
        {
            case { Group: "", Plural: "secrets" }:
                MergeStringData(obj);
                break;
            case { Group: "", Plural: "namespaces" }:
                obj["spec"] ??= new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
                obj["status"] = new JsonObject { ["phase"] = Meta.IsDeleting(obj) ? "Terminating" : "Active" };

                // Every namespace carries its name as a label (since 1.21) so that selectors can pick namespaces by name.
                var labels = Meta.Metadata(obj)["labels"] as JsonObject ?? [];
                labels["kubernetes.io/metadata.name"] = Meta.Name(obj);
                Meta.Metadata(obj)["labels"] = labels;
                break;
            case { Group: "apiextensions.k8s.io", Plural: "customresourcedefinitions" }:
                CustomResources.Validate(obj);
                CustomResources.SetStatus(obj, previous, Now());
                break;
            case { IsCustom: true }:
                if (definition.SchemaFor(version) is { } schema)
                {
                    var errors = StructuralSchema.PruneDefaultAndValidate(obj, schema);
                    if (errors.Count > 0)
                    {
                        throw new ApiException(Statuses.Invalid(definition.Group, definition.Kind, Meta.Name(obj), errors));
                    }
                }

                break;
        }
    }

    private void AfterWrite(ResourceDefinition definition, JsonObject obj)
    {
        if (definition is { Group: "apiextensions.k8s.io", Plural: "customresourcedefinitions" })
        {
            // A CRD is served as soon as it is created: no controller loop, so no window where it is not yet Established.
            registry.Add(CustomResources.ToDefinition(obj));
        }

        changed();
    }

    /// <summary>
    /// Secrets take <c>stringData</c> as a write-only convenience merged into base64 <c>data</c>
    /// (https://kubernetes.io/docs/concepts/configuration/secret/#restriction-names-data).
    /// </summary>
    private static void MergeStringData(JsonObject secret)
    {
        if (secret["stringData"] is not JsonObject stringData)
        {
            secret.Remove("stringData");
            return;
        }

        if (secret["data"] is not JsonObject data)
        {
            data = new JsonObject();
            secret["data"] = data;
        }

        foreach (var (key, value) in stringData)
        {
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value?.GetValue<string>() ?? string.Empty));
        }

        secret.Remove("stringData");
    }

    private void DeleteNamespaceContents(string ns)
    {
        foreach (var definition in registry.All.Where(d => d.Namespaced).ToList())
        {
            foreach (var obj in store.List(definition.Group, definition.Plural, ns).Select(p => p.Value).ToList())
            {
                Delete(definition, ns, Meta.Name(obj), DeleteOptions.Default);
            }
        }
    }

    /// <summary>propagationPolicy=Orphan: dependents lose their reference to the owner instead of being collected.</summary>
    private void Orphan(string? ownerUid)
    {
        foreach (var (group, resource, dependent) in store.Everything().ToList())
        {
            if (!Meta.OwnerReferences(dependent).Any(r => (string?)r["uid"] == ownerUid))
            {
                continue;
            }

            var updated = dependent.DeepClone().AsObject();
            var remaining = Meta.OwnerReferences(updated).Where(r => (string?)r["uid"] != ownerUid).Select(r => (JsonNode?)r.DeepClone()).ToArray();
            if (remaining.Length == 0)
            {
                Meta.Metadata(updated).Remove("ownerReferences");
            }
            else
            {
                Meta.Metadata(updated)["ownerReferences"] = new JsonArray(remaining);
            }

            store.Put(group, resource, updated, dependent);
        }
    }

    private static JsonObject ToScale(ResourceDefinition definition, JsonObject obj)
    {
        var scale = definition.Scale ?? throw new ApiException(Statuses.NotFound(definition.Group, definition.Plural + "/scale", Meta.Name(obj)));
        var selector = scale.LabelSelectorPath is null ? null : FieldPath.Get(obj, scale.LabelSelectorPath);
        var selectorText = scale.SelectorIsLabelSelectorObject ? LabelSelector.Render(selector as JsonObject) : (string?)selector;
        var metadata = new JsonObject
        {
            ["name"] = Meta.Name(obj),
            ["namespace"] = Meta.Namespace(obj),
            ["uid"] = Meta.Uid(obj),
            ["resourceVersion"] = Meta.ResourceVersion(obj),
            ["creationTimestamp"] = Meta.String(obj, "creationTimestamp"),
        };
        var status = new JsonObject { ["replicas"] = FieldPath.Get(obj, scale.StatusReplicasPath)?.DeepClone() ?? 0 };
        if (!string.IsNullOrEmpty(selectorText))
        {
            status["selector"] = selectorText;
        }

        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject { ["replicas"] = FieldPath.Get(obj, scale.SpecReplicasPath)?.DeepClone() ?? 0 },
            ["status"] = status,
        };
    }

    private static void CheckTypeMeta(ResourceDefinition definition, string version, JsonObject body)
    {
        var apiVersion = (string?)body["apiVersion"];
        var kind = (string?)body["kind"];
        if ((apiVersion is not null && !definition.Versions.Any(v => definition.ApiVersion(v) == apiVersion)) || (kind is not null && kind != definition.Kind))
        {
            throw new ApiException(Statuses.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({definition.ApiVersion(version)})"));
        }

        body["apiVersion"] = definition.ApiVersion(definition.PreferredVersion);
        body["kind"] = definition.Kind;
    }

    private static string? AlignNamespace(ResourceDefinition definition, string? ns, JsonObject obj)
    {
        var metadata = Meta.Metadata(obj);
        if (!definition.Namespaced)
        {
            metadata.Remove("namespace");
            return null;
        }

        var inBody = (string?)metadata["namespace"];
        if (!string.IsNullOrEmpty(inBody) && ns is not null && inBody != ns)
        {
            throw new ApiException(Statuses.BadRequest("the namespace of the provided object does not match the namespace sent on the request"));
        }

        ns ??= inBody ?? "default";
        metadata["namespace"] = ns;
        return ns;
    }

    private string GenerateName(ResourceDefinition definition, string? ns, string prefix)
    {
        // Five characters from the alphabet Kubernetes uses, which avoids vowels and look-alikes (apimachinery rand.String).
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        while (true)
        {
            var suffix = string.Concat(Enumerable.Range(0, 5).Select(_ => alphabet[Random.Shared.Next(alphabet.Length)]));
            var name = prefix + suffix;
            if (store.Get(definition.Group, definition.Plural, ns, name) is null)
            {
                return name;
            }
        }
    }

    private static void ValidateName(ResourceDefinition definition, string name)
    {
        if (name.Length == 0)
        {
            throw new ApiException(Statuses.Invalid(definition.Group, definition.Kind, name, [new FieldError("FieldValueRequired", "metadata.name", "metadata.name: Required value: name or generateName is required")]));
        }

        // RBAC objects take path-segment names ("system:controller:x"); everything else here takes DNS subdomains.
        var valid = definition.Group == "rbac.authorization.k8s.io"
            ? !name.Contains('/', StringComparison.Ordinal) && !name.Contains('%', StringComparison.Ordinal) && name is not "." and not ".."
            : name.Length <= 253 && DnsSubdomain().IsMatch(name);
        if (!valid)
        {
            throw new ApiException(Statuses.Invalid(definition.Group, definition.Kind, name, [FieldError.InvalidValue(
                "metadata.name",
                $"\"{name}\"",
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")]));
        }
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
