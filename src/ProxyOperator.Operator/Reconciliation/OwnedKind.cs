using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ProxyOperator.Operator.Reconciliation;

/// <summary>
/// The API calls of one owned kind: server-side apply, read and delete. The client's typed methods, one table
/// instead of a switch in the reconciler. Deletes go through the untyped custom-objects call: an API server may answer
/// a delete with a Status instead of the object, which the typed calls fail to read.
/// </summary>
internal sealed class OwnedKind
{
    private OwnedKind(
        string kind,
        Func<IKubernetes, V1Patch, string, string, CancellationToken, Task> apply,
        Func<IKubernetes, string, string, CancellationToken, Task<IKubernetesObject<V1ObjectMeta>>> read,
        Func<IKubernetes, string, string, V1DeleteOptions, CancellationToken, Task> delete)
    {
        Kind = kind;
        ApplyCall = apply;
        ReadCall = read;
        DeleteCall = delete;
    }

    public string Kind { get; }

    private Func<IKubernetes, V1Patch, string, string, CancellationToken, Task> ApplyCall { get; }

    private Func<IKubernetes, string, string, CancellationToken, Task<IKubernetesObject<V1ObjectMeta>>> ReadCall { get; }

    private Func<IKubernetes, string, string, V1DeleteOptions, CancellationToken, Task> DeleteCall { get; }

    public static OwnedKind ConfigMap { get; } = new(
        V1ConfigMap.KubeKind,
        (c, patch, name, ns, ct) => c.CoreV1.PatchNamespacedConfigMapAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
        async (c, name, ns, ct) => await c.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: ct).ConfigureAwait(false),
        (c, name, ns, options, ct) => c.CustomObjects.DeleteNamespacedCustomObjectAsync(string.Empty, "v1", ns, "configmaps", name, options, cancellationToken: ct));

    public static OwnedKind Service { get; } = new(
        V1Service.KubeKind,
        (c, patch, name, ns, ct) => c.CoreV1.PatchNamespacedServiceAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
        async (c, name, ns, ct) => await c.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: ct).ConfigureAwait(false),
        (c, name, ns, options, ct) => c.CustomObjects.DeleteNamespacedCustomObjectAsync(string.Empty, "v1", ns, "services", name, options, cancellationToken: ct));

    public static OwnedKind PersistentVolumeClaim { get; } = new(
        V1PersistentVolumeClaim.KubeKind,
        (c, patch, name, ns, ct) => c.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
        async (c, name, ns, ct) => await c.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(name, ns, cancellationToken: ct).ConfigureAwait(false),
        (c, name, ns, options, ct) => c.CustomObjects.DeleteNamespacedCustomObjectAsync(string.Empty, "v1", ns, "persistentvolumeclaims", name, options, cancellationToken: ct));

    public static OwnedKind Deployment { get; } = new(
        V1Deployment.KubeKind,
        (c, patch, name, ns, ct) => c.AppsV1.PatchNamespacedDeploymentAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
        async (c, name, ns, ct) => await c.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: ct).ConfigureAwait(false),
        (c, name, ns, options, ct) => c.CustomObjects.DeleteNamespacedCustomObjectAsync("apps", "v1", ns, "deployments", name, options, cancellationToken: ct));

    public static OwnedKind StatefulSet { get; } = new(
        V1StatefulSet.KubeKind,
        (c, patch, name, ns, ct) => c.AppsV1.PatchNamespacedStatefulSetAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
        async (c, name, ns, ct) => await c.AppsV1.ReadNamespacedStatefulSetAsync(name, ns, cancellationToken: ct).ConfigureAwait(false),
        (c, name, ns, options, ct) => c.CustomObjects.DeleteNamespacedCustomObjectAsync("apps", "v1", ns, "statefulsets", name, options, cancellationToken: ct));

    public static OwnedKind PodDisruptionBudget { get; } = new(
        V1PodDisruptionBudget.KubeKind,
        (c, patch, name, ns, ct) => c.PolicyV1.PatchNamespacedPodDisruptionBudgetAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
        async (c, name, ns, ct) => await c.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync(name, ns, cancellationToken: ct).ConfigureAwait(false),
        (c, name, ns, options, ct) => c.CustomObjects.DeleteNamespacedCustomObjectAsync("policy", "v1", ns, "poddisruptionbudgets", name, options, cancellationToken: ct));

    public static OwnedKind Ingress { get; } = new(
        V1Ingress.KubeKind,
        (c, patch, name, ns, ct) => c.NetworkingV1.PatchNamespacedIngressAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
        async (c, name, ns, ct) => await c.NetworkingV1.ReadNamespacedIngressAsync(name, ns, cancellationToken: ct).ConfigureAwait(false),
        (c, name, ns, options, ct) => c.CustomObjects.DeleteNamespacedCustomObjectAsync("networking.k8s.io", "v1", ns, "ingresses", name, options, cancellationToken: ct));

    public static OwnedKind NetworkPolicy { get; } = new(
        V1NetworkPolicy.KubeKind,
        (c, patch, name, ns, ct) => c.NetworkingV1.PatchNamespacedNetworkPolicyAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
        async (c, name, ns, ct) => await c.NetworkingV1.ReadNamespacedNetworkPolicyAsync(name, ns, cancellationToken: ct).ConfigureAwait(false),
        (c, name, ns, options, ct) => c.CustomObjects.DeleteNamespacedCustomObjectAsync("networking.k8s.io", "v1", ns, "networkpolicies", name, options, cancellationToken: ct));

    public static OwnedKind HorizontalPodAutoscaler { get; } = new(
        V2HorizontalPodAutoscaler.KubeKind,
        (c, patch, name, ns, ct) => c.AutoscalingV2.PatchNamespacedHorizontalPodAutoscalerAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
        async (c, name, ns, ct) => await c.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync(name, ns, cancellationToken: ct).ConfigureAwait(false),
        (c, name, ns, options, ct) => c.CustomObjects.DeleteNamespacedCustomObjectAsync("autoscaling", "v2", ns, "horizontalpodautoscalers", name, options, cancellationToken: ct));

    /// <summary>A prometheus-operator kind: applied only while discovery shows the cluster serves it.</summary>
    public static OwnedKind ServiceMonitor { get; } = new(
        Builders.Monitoring.ServiceMonitor.KubeKind,
        (c, patch, name, ns, ct) => c.CustomObjects.PatchNamespacedCustomObjectAsync(patch, Builders.Monitoring.ServiceMonitor.KubeGroup, Builders.Monitoring.ServiceMonitor.KubeApiVersion,
            ns, Builders.Monitoring.ServiceMonitor.KubePluralName, name, fieldManager: FieldManager, force: true, cancellationToken: ct),
        async (c, name, ns, ct) => await c.CustomObjects.GetNamespacedCustomObjectAsync<Builders.Monitoring.ServiceMonitor>(Builders.Monitoring.ServiceMonitor.KubeGroup,
            Builders.Monitoring.ServiceMonitor.KubeApiVersion, ns, Builders.Monitoring.ServiceMonitor.KubePluralName, name, ct).ConfigureAwait(false),
        (c, name, ns, options, ct) => c.CustomObjects.DeleteNamespacedCustomObjectAsync(Builders.Monitoring.ServiceMonitor.KubeGroup, Builders.Monitoring.ServiceMonitor.KubeApiVersion,
            ns, Builders.Monitoring.ServiceMonitor.KubePluralName, name, options, cancellationToken: ct));

    /// <summary>The server-side apply field manager (DESIGN §3).</summary>
    public const string FieldManager = "proxy-operator";

    /// <summary>Server-side apply with force: the fields we send are ours, whoever set them last.</summary>
    public Task ApplyAsync(IKubernetes client, IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken) =>
        ApplyCall(client, new V1Patch(obj, V1Patch.PatchType.ApplyPatch), obj.Metadata.Name, obj.Metadata.NamespaceProperty, cancellationToken);

    /// <summary>The object, or null when it does not exist.</summary>
    public async Task<IKubernetesObject<V1ObjectMeta>?> ReadAsync(IKubernetes client, string name, string ns, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadCall(client, name, ns, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Deletes the object with exactly this UID (a precondition), so a newer object of the same name survives.</summary>
    public async Task DeleteAsync(IKubernetes client, string name, string ns, string uid, CancellationToken cancellationToken)
    {
        try
        {
            await DeleteCall(client, name, ns, new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = uid }, PropagationPolicy = "Background" }, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Conflict)
        {
            // Already gone, or replaced by another object of the same name: nothing of ours to delete.
        }
    }
}
