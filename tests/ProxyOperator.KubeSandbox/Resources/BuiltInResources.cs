using ProxyOperator.KubeSandbox.Patching;

namespace ProxyOperator.KubeSandbox.Resources;

/// <summary>
/// The built-in kinds the sandbox serves, with the short names, categories and subresources that
/// <c>kubectl api-resources</c> shows for them on a 1.33 cluster.
/// </summary>
internal static class BuiltInResources
{
    private static readonly ScaleSpec WorkloadScale = new(".spec.replicas", ".status.replicas", ".spec.selector", SelectorIsLabelSelectorObject: true);

    public static IReadOnlyList<ResourceDefinition> All { get; } =
    [
        Define("", ["v1"], "namespaces", "Namespace", namespaced: false, shortNames: ["ns"], status: true),
        Define("", ["v1"], "configmaps", "ConfigMap", shortNames: ["cm"]),
        Define("", ["v1"], "secrets", "Secret"),
        Define("", ["v1"], "services", "Service", shortNames: ["svc"], categories: ["all"], status: true),
        Define("", ["v1"], "pods", "Pod", shortNames: ["po"], categories: ["all"], status: true),
        Define("", ["v1"], "events", "Event", shortNames: ["ev"]),
        Define("", ["v1"], "serviceaccounts", "ServiceAccount", shortNames: ["sa"]),
        Define("", ["v1"], "persistentvolumeclaims", "PersistentVolumeClaim", shortNames: ["pvc"], status: true),
        Define("", ["v1"], "endpoints", "Endpoints", shortNames: ["ep"], singular: "endpoints"),
        Define("apps", ["v1"], "deployments", "Deployment", shortNames: ["deploy"], categories: ["all"], status: true, scale: WorkloadScale),
        Define("apps", ["v1"], "statefulsets", "StatefulSet", shortNames: ["sts"], categories: ["all"], status: true, scale: WorkloadScale),
        Define("apps", ["v1"], "replicasets", "ReplicaSet", shortNames: ["rs"], categories: ["all"], status: true, scale: WorkloadScale),
        Define("apps", ["v1"], "daemonsets", "DaemonSet", shortNames: ["ds"], categories: ["all"], status: true),
        Define("batch", ["v1"], "jobs", "Job", categories: ["all"], status: true),
        Define("policy", ["v1"], "poddisruptionbudgets", "PodDisruptionBudget", shortNames: ["pdb"], status: true),
        Define("networking.k8s.io", ["v1"], "ingresses", "Ingress", shortNames: ["ing"], status: true),
        Define("networking.k8s.io", ["v1"], "networkpolicies", "NetworkPolicy", shortNames: ["netpol"]),
        Define("networking.k8s.io", ["v1"], "ingressclasses", "IngressClass", namespaced: false),
        Define("autoscaling", ["v2", "v1"], "horizontalpodautoscalers", "HorizontalPodAutoscaler", shortNames: ["hpa"], categories: ["all"], status: true),
        Define("coordination.k8s.io", ["v1"], "leases", "Lease"),
        Define("rbac.authorization.k8s.io", ["v1"], "roles", "Role"),
        Define("rbac.authorization.k8s.io", ["v1"], "rolebindings", "RoleBinding"),
        Define("rbac.authorization.k8s.io", ["v1"], "clusterroles", "ClusterRole", namespaced: false),
        Define("rbac.authorization.k8s.io", ["v1"], "clusterrolebindings", "ClusterRoleBinding", namespaced: false),
        Define("apiextensions.k8s.io", ["v1"], "customresourcedefinitions", "CustomResourceDefinition", namespaced: false, shortNames: ["crd", "crds"], categories: ["api-extensions"], status: true),
        Define("events.k8s.io", ["v1"], "events", "Event", shortNames: ["ev"]),
    ];

    private static ResourceDefinition Define(
        string group,
        string[] versions,
        string plural,
        string kind,
        bool namespaced = true,
        string[]? shortNames = null,
        string[]? categories = null,
        bool status = false,
        ScaleSpec? scale = null,
        string? singular = null) => new()
        {
            Group = group,
            Versions = versions,
            Plural = plural,
            Singular = singular ?? kind.ToLowerInvariant(),
            Kind = kind,
            Namespaced = namespaced,
            ShortNames = shortNames ?? [],
            Categories = categories ?? [],
            HasStatus = status,
            Scale = scale,
            PatchMetadata = BuiltInPatchMetadata.For(group, kind),
        };
}
