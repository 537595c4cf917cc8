using System.Text.Json.Nodes;
using ProxyOperator.KubeSandbox.Patching;

namespace ProxyOperator.KubeSandbox.Resources;

/// <summary>
/// What the server knows about one resource (a group and a plural name), built in or from a CustomResourceDefinition.
/// One store holds its objects whatever version they are read or written in: like a real cluster without
/// conversion webhooks, the versions of one resource here share a schema.
/// </summary>
internal sealed class ResourceDefinition
{
    public required string Group { get; init; }

    /// <summary>Served versions, the preferred (storage) one first.</summary>
    public required IReadOnlyList<string> Versions { get; init; }

    public required string Plural { get; init; }

    public required string Singular { get; init; }

    public required string Kind { get; init; }

    public bool Namespaced { get; init; } = true;

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>True when the resource has a <c>/status</c> subresource, which changes how writes treat <c>.status</c>.</summary>
    public bool HasStatus { get; init; }

    public ScaleSpec? Scale { get; init; }

    /// <summary>
    /// Whether objects carry metadata.generation: workloads, policy, networking, autoscaling, CRDs and custom resources
    /// do; core kinds such as ConfigMaps and Secrets, RBAC and Leases have none on a real cluster.
    /// </summary>
    public bool TracksGeneration => IsCustom || Group is not ("" or "rbac.authorization.k8s.io" or "coordination.k8s.io" or "events.k8s.io");

    /// <summary>The CustomResourceDefinition's name for custom resources; null for built-in kinds.</summary>
    public string? CrdName { get; init; }

    public bool IsCustom => CrdName is not null;

    /// <summary>openAPIV3Schema per version (custom resources only).</summary>
    public IReadOnlyDictionary<string, JsonObject> Schemas { get; init; } = new Dictionary<string, JsonObject>();

    /// <summary>additionalPrinterColumns per version (custom resources only).</summary>
    public IReadOnlyDictionary<string, JsonArray> PrinterColumns { get; init; } = new Dictionary<string, JsonArray>();

    public required IPatchMetadata PatchMetadata { get; init; }

    public string GroupResource => Group.Length == 0 ? Plural : Plural + "." + Group;

    public string PreferredVersion => Versions[0];

    public string ApiVersion(string version) => Group.Length == 0 ? version : Group + "/" + version;

    public bool Serves(string version) => Versions.Contains(version, StringComparer.Ordinal);

    public string ListKind => Kind + "List";

    public JsonObject? SchemaFor(string version) => Schemas.TryGetValue(version, out var schema) ? schema : null;
}
