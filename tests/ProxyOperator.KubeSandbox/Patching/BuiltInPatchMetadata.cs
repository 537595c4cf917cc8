namespace ProxyOperator.KubeSandbox.Patching;

/// <summary>
/// The patchMergeKey/patchStrategy struct tags of k8s.io/api for the kinds the sandbox serves, keyed by JSON field
/// path. Strategic merge patch reads these tags by reflection (apimachinery pkg/util/strategicpatch, LookupPatchMetadata);
/// server-side apply reads the equivalent x-kubernetes-list-type/list-map-keys from OpenAPI. Any list not listed here
/// is atomic, which is also what the real tags say for most lists (e.g. tolerations, volumeClaimTemplates).
/// </summary>
public static class BuiltInPatchMetadata
{
    /// <summary>Metadata for <paramref name="kind"/> in API group <paramref name="group"/> ("" for the core group).</summary>
    public static IPatchMetadata For(string group, string kind)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(kind);

        var table = new PatchMetadataTable();
        AddObjectMeta(table, ["metadata"]);

        // metav1.Condition and the per-kind condition types carry `patchMergeKey:"type" patchStrategy:"merge"`
        // (e.g. PodStatus.Conditions, DeploymentStatus.Conditions); we apply it to every kind.
        table.Keyed(["status", "conditions"], "type");

        switch ((group, kind))
        {
            case ("", "Pod"):
                AddPodSpec(table, ["spec"]);
                break;
            case ("", "PodTemplate"):
                AddObjectMeta(table, ["template", "metadata"]);
                AddPodSpec(table, ["template", "spec"]);
                break;
            case ("", "ReplicationController"):
            case ("apps", "Deployment"):
            case ("apps", "StatefulSet"):
            case ("apps", "ReplicaSet"):
            case ("apps", "DaemonSet"):
            case ("batch", "Job"):
                // StatefulSetSpec.VolumeClaimTemplates has no patch tags: atomic, nothing to add.
                AddObjectMeta(table, ["spec", "template", "metadata"]);
                AddPodSpec(table, ["spec", "template", "spec"]);
                break;
            case ("batch", "CronJob"):
                AddObjectMeta(table, ["spec", "jobTemplate", "spec", "template", "metadata"]);
                AddPodSpec(table, ["spec", "jobTemplate", "spec", "template", "spec"]);
                break;
            case ("", "Service"):
                // ServiceSpec.Ports: `patchMergeKey:"port" patchStrategy:"merge"`.
                table.Keyed(["spec", "ports"], "port");
                break;
            case ("", "ServiceAccount"):
                // ServiceAccount.Secrets: `patchMergeKey:"name" patchStrategy:"merge"`.
                table.Keyed(["secrets"], "name");
                break;
            case ("", "Node"):
                // NodeSpec.PodCIDRs: `patchStrategy:"merge"` (a set of strings); NodeStatus.Addresses: merge key "type".
                table.Set(["spec", "podCIDRs"]);
                table.Keyed(["status", "addresses"], "type");
                break;
            default:
                break;
        }

        return table;
    }

    private static void AddObjectMeta(PatchMetadataTable table, string[] prefix)
    {
        // ObjectMeta.Finalizers: `patchStrategy:"merge"` (a set); ObjectMeta.OwnerReferences: `patchMergeKey:"uid" patchStrategy:"merge"`.
        table.Set([.. prefix, "finalizers"]);
        table.Keyed([.. prefix, "ownerReferences"], "uid");
    }

    private static void AddPodSpec(PatchMetadataTable table, string[] spec)
    {
        // core/v1 PodSpec tags. Tolerations, readinessGates and others carry no tags: atomic.
        table.Keyed([.. spec, "volumes"], "name");
        table.Keyed([.. spec, "imagePullSecrets"], "name");
        table.Keyed([.. spec, "hostAliases"], "ip");
        table.Keyed([.. spec, "topologySpreadConstraints"], "topologyKey");
        table.Keyed([.. spec, "resourceClaims"], "name");
        table.Keyed([.. spec, "schedulingGates"], "name");
        foreach (var containers in new[] { "containers", "initContainers", "ephemeralContainers" })
        {
            string[] container = [.. spec, containers];
            table.Keyed(container, "name");

            // core/v1 Container tags; EnvFrom and ResizePolicy are atomic.
            table.Keyed([.. container, "ports"], "containerPort");
            table.Keyed([.. container, "env"], "name");
            table.Keyed([.. container, "volumeMounts"], "mountPath");
            table.Keyed([.. container, "volumeDevices"], "devicePath");
        }
    }
}

/// <summary>A path-indexed table behind <see cref="IPatchMetadata"/>.</summary>
internal sealed class PatchMetadataTable : IPatchMetadata
{
    private readonly Dictionary<string, string> _mergeKeys = new(StringComparer.Ordinal);
    private readonly HashSet<string> _sets = new(StringComparer.Ordinal);

    public void Keyed(IReadOnlyList<string> path, string mergeKey) => _mergeKeys[Join(path)] = mergeKey;

    public void Set(IReadOnlyList<string> path) => _sets.Add(Join(path));

    public string? MergeKeyFor(IReadOnlyList<string> path) => _mergeKeys.GetValueOrDefault(Join(path));

    public bool IsSetList(IReadOnlyList<string> path) => _sets.Contains(Join(path));

    // Unit separator: JSON field names on these paths never contain it.
    private static string Join(IReadOnlyList<string> path) => string.Join('\u001f', path);
}
