using System.Text.Json.Nodes;
using ProxyOperator.KubeSandbox.Http;
using ProxyOperator.KubeSandbox.Resources;

namespace ProxyOperator.KubeSandbox.Crd;

/// <summary>
/// Turns a CustomResourceDefinition into a served resource, and gives the CRD the status a real API server
/// reports once it serves it (Established, NamesAccepted), so <c>kubectl wait --for=condition=Established</c> returns at once.
/// </summary>
internal static class CustomResources
{
    public static void Validate(JsonObject crd)
    {
        var name = Storage.Meta.Name(crd);
        var group = (string?)crd["spec"]?["group"] ?? string.Empty;
        var plural = (string?)crd["spec"]?["names"]?["plural"] ?? string.Empty;
        var errors = new List<FieldError>();
        if (group.Length == 0)
        {
            errors.Add(FieldError.Required("spec.group"));
        }

        if (plural.Length == 0)
        {
            errors.Add(FieldError.Required("spec.names.plural"));
        }

        if ((string?)crd["spec"]?["names"]?["kind"] is null)
        {
            errors.Add(FieldError.Required("spec.names.kind"));
        }

        if (errors.Count == 0 && name != plural + "." + group)
        {
            errors.Add(FieldError.InvalidValue("metadata.name", $"\"{name}\"", $"must be spec.names.plural+\".\"+spec.group"));
        }

        var versions = crd["spec"]?["versions"] as JsonArray;
        if (versions is null || versions.Count == 0)
        {
            errors.Add(FieldError.Required("spec.versions"));
        }
        else if (versions.Count(v => (bool?)v?["storage"] == true) != 1)
        {
            errors.Add(FieldError.InvalidValue("spec.versions", "[...]", "must have exactly one version marked as storage version"));
        }

        if (errors.Count > 0)
        {
            throw new ApiException(Statuses.Invalid("apiextensions.k8s.io", "CustomResourceDefinition", name, errors));
        }
    }

    public static void SetStatus(JsonObject crd, JsonObject? previous, string now)
    {
        var names = crd["spec"]?["names"]?.DeepClone().AsObject() ?? [];
        names["singular"] ??= ((string?)names["kind"])?.ToLowerInvariant();
        names["listKind"] ??= (string?)names["kind"] + "List";
        var storage = (crd["spec"]?["versions"] as JsonArray)?.FirstOrDefault(v => (bool?)v?["storage"] == true)?["name"]?.GetValue<string>();
        var stored = previous?["status"]?["storedVersions"] as JsonArray;
        var storedVersions = stored?.Select(v => (string?)v).OfType<string>().ToList() ?? [];
        if (storage is not null && !storedVersions.Contains(storage))
        {
            storedVersions.Add(storage);
        }

        var since = (string?)previous?["status"]?["conditions"]?[0]?["lastTransitionTime"] ?? now;
        crd["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", since),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", since)),
            ["acceptedNames"] = names,
            ["storedVersions"] = new JsonArray(storedVersions.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
        };
    }

    public static ResourceDefinition ToDefinition(JsonObject crd)
    {
        var spec = crd["spec"]!.AsObject();
        var names = spec["names"]!.AsObject();
        var versions = spec["versions"]!.AsArray().OfType<JsonObject>().Where(v => (bool?)v["served"] != false).ToList();
        var storage = versions.Find(v => (bool?)v["storage"] == true) ?? versions[0];
        versions.Remove(storage);
        versions.Insert(0, storage);

        var schemas = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var columns = new Dictionary<string, JsonArray>(StringComparer.Ordinal);
        foreach (var version in versions)
        {
            var versionName = (string)version["name"]!;
            if (version["schema"]?["openAPIV3Schema"] is JsonObject schema)
            {
                schemas[versionName] = (JsonObject)schema.DeepClone();
            }

            if (version["additionalPrinterColumns"] is JsonArray printerColumns)
            {
                columns[versionName] = (JsonArray)printerColumns.DeepClone();
            }
        }

        var subresources = storage["subresources"] as JsonObject;
        var scale = subresources?["scale"] as JsonObject;
        var kind = (string)names["kind"]!;
        return new ResourceDefinition
        {
            Group = (string)spec["group"]!,
            Versions = versions.Select(v => (string)v["name"]!).ToList(),
            Plural = (string)names["plural"]!,
            Singular = (string?)names["singular"] ?? kind.ToLowerInvariant(),
            Kind = kind,
            Namespaced = (string?)spec["scope"] != "Cluster",
            ShortNames = Strings(names["shortNames"]),
            Categories = Strings(names["categories"]),
            HasStatus = subresources?["status"] is not null,
            Scale = scale is null
                ? null
                : new ScaleSpec((string)scale["specReplicasPath"]!, (string)scale["statusReplicasPath"]!, (string?)scale["labelSelectorPath"]),
            CrdName = Storage.Meta.Name(crd),
            Schemas = schemas,
            PrinterColumns = columns,
            PatchMetadata = new CrdPatchMetadata(schemas.GetValueOrDefault((string)storage["name"]!)),
        };
    }

    private static List<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(n => (string?)n).OfType<string>().ToList() : [];

    private static JsonObject Condition(string type, string reason, string message, string since) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = since,
        ["reason"] = reason,
        ["message"] = message,
    };
}
