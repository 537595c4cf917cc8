using System.Text.Json.Nodes;

namespace ProxyOperator.KubeSandbox.Resources;

/// <summary>
/// Field names of some built-in kinds, for <c>fieldValidation=Strict</c>, which kubectl and helm send by default
/// (https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation). The sandbox has no OpenAPI schemas
/// of built-in kinds: it checks the top level and, for the workload and Service kinds, the fields right under spec.
/// Custom resources are checked against their whole schema instead.
/// </summary>
internal static class KnownFields
{
    private static readonly string[] Common = ["apiVersion", "kind", "metadata"];

    private static readonly Dictionary<string, (string[] TopLevel, string[]? Spec)> ByKind = new(StringComparer.Ordinal)
    {
        ["/ConfigMap"] = (["data", "binaryData", "immutable"], null),
        ["/Secret"] = (["data", "stringData", "type", "immutable"], null),
        ["/ServiceAccount"] = (["secrets", "imagePullSecrets", "automountServiceAccountToken"], null),
        ["/Service"] = (["spec", "status"], ["ports", "selector", "clusterIP", "clusterIPs", "type", "externalIPs", "sessionAffinity", "loadBalancerIP", "loadBalancerSourceRanges", "externalName", "externalTrafficPolicy", "healthCheckNodePort", "publishNotReadyAddresses", "sessionAffinityConfig", "ipFamilies", "ipFamilyPolicy", "allocateLoadBalancerNodePorts", "loadBalancerClass", "internalTrafficPolicy", "trafficDistribution"]),
        ["apps/Deployment"] = (["spec", "status"], ["replicas", "selector", "template", "strategy", "minReadySeconds", "revisionHistoryLimit", "paused", "progressDeadlineSeconds"]),
        ["apps/StatefulSet"] = (["spec", "status"], ["replicas", "selector", "template", "volumeClaimTemplates", "serviceName", "podManagementPolicy", "updateStrategy", "revisionHistoryLimit", "minReadySeconds", "persistentVolumeClaimRetentionPolicy", "ordinals"]),
        ["rbac.authorization.k8s.io/Role"] = (["rules"], null),
        ["rbac.authorization.k8s.io/ClusterRole"] = (["rules", "aggregationRule"], null),
        ["rbac.authorization.k8s.io/RoleBinding"] = (["subjects", "roleRef"], null),
        ["rbac.authorization.k8s.io/ClusterRoleBinding"] = (["subjects", "roleRef"], null),
    };

    /// <summary>Paths of fields the kind does not have, as the strict decoder names them ("spec.replicaz").</summary>
    public static IEnumerable<string> Unknown(ResourceDefinition definition, JsonObject obj)
    {
        if (!ByKind.TryGetValue(definition.Group + "/" + definition.Kind, out var known))
        {
            yield break;
        }

        foreach (var (name, _) in obj)
        {
            if (!Common.Contains(name) && !known.TopLevel.Contains(name))
            {
                yield return name;
            }
        }

        if (known.Spec is not null && obj["spec"] is JsonObject spec)
        {
            foreach (var (name, _) in spec)
            {
                if (!known.Spec.Contains(name))
                {
                    yield return "spec." + name;
                }
            }
        }
    }
}
