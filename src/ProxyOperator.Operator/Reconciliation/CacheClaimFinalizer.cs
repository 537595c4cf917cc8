using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Builders;
using ProxyOperator.Operator.Hosting;

namespace ProxyOperator.Operator.Reconciliation;

/// <summary>
/// The finalizer that deletes a StatefulSet's per-replica cache claims with the GoModuleProxy (retain policy Delete):
/// the claims come from a claim template, are owned by nothing, and so outlive the resource otherwise. Added and
/// removed with a merge patch that carries the resourceVersion, never by replacing the object (DESIGN §3).
/// </summary>
internal sealed class CacheClaimFinalizer(IKubernetes client, ILogger logger)
{
    public const string Name = "proxyoperator.io/finalizer";

    public static bool IsOn(GoModuleProxy proxy) => proxy.Metadata.Finalizers?.Contains(Name) == true;

    public Task AddAsync(GoModuleProxy proxy, CancellationToken cancellationToken) =>
        SetAsync(proxy, [.. proxy.Metadata.Finalizers ?? [], Name], cancellationToken);

    public Task RemoveAsync(GoModuleProxy proxy, CancellationToken cancellationToken) =>
        SetAsync(proxy, [.. (proxy.Metadata.Finalizers ?? []).Where(f => f != Name)], cancellationToken);

    /// <returns>How many claims were deleted.</returns>
    /// <remarks>
    /// The StatefulSet and its pods may still run at this point (they go by garbage collection after the resource):
    /// safe, because the kubernetes.io/pvc-protection finalizer keeps a claim until no pod uses it.
    /// </remarks>
    public async Task<int> DeletePerReplicaClaimsAsync(GoModuleProxy proxy, CancellationToken cancellationToken)
    {
        var name = proxy.Metadata.Name;
        var ns = proxy.Metadata.NamespaceProperty;
        // The StatefulSet controller names each claim <template>-<statefulset>-<ordinal> and labels it with the selector.
        var prefix = $"{Names.CacheVolume}-{Names.Workload(name)}-";
        var claims = await client.CoreV1.ListNamespacedPersistentVolumeClaimAsync(ns, labelSelector: Labels.SelectorString(name), cancellationToken: cancellationToken).ConfigureAwait(false);
        var deleted = 0;
        foreach (var claim in claims.Items)
        {
            var claimName = claim.Metadata.Name;
            if (claimName.Length == prefix.Length || !claimName.StartsWith(prefix, StringComparison.Ordinal) || !claimName[prefix.Length..].All(char.IsAsciiDigit))
            {
                continue;
            }

            await OwnedKind.PersistentVolumeClaim.DeleteAsync(client, claimName, ns, claim.Metadata.Uid, cancellationToken).ConfigureAwait(false);
            OperatorLog.CacheClaimDeleted(logger, ns + "/" + name, claimName);
            deleted++;
        }

        return deleted;
    }

    private async Task SetAsync(GoModuleProxy proxy, string[] finalizers, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                // A 409 when someone else changed the list meanwhile: the reconcile fails and runs again on fresh data.
                ["resourceVersion"] = proxy.Metadata.ResourceVersion,
                ["finalizers"] = finalizers.Length == 0 ? null : new JsonArray([.. finalizers.Select(f => (JsonNode)JsonValue.Create(f))]),
            },
        };
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            GoModuleProxy.KubeGroup, GoModuleProxy.KubeApiVersion, proxy.Metadata.NamespaceProperty, GoModuleProxy.KubePluralName, proxy.Metadata.Name,
            fieldManager: OwnedKind.FieldManager, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
