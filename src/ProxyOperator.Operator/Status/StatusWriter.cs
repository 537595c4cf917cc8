using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Hosting;

namespace ProxyOperator.Operator.Status;

/// <summary>
/// Writes a GoModuleProxy's status through the status subresource: re-reads the resource, computes the status, skips
/// the write when nothing changed, and retries when another writer got there first (the patch carries the
/// resourceVersion it was computed from, so the API server answers 409 instead of losing an update).
/// </summary>
internal sealed class StatusWriter(IKubernetes client, ILogger logger)
{
    private const int Attempts = 5;

    /// <returns>The status as written (or found unchanged), and the resource's previous status; null when the resource is gone.</returns>
    public async Task<(GoModuleProxyStatus Written, GoModuleProxyStatus? Previous)?> WriteAsync(
        string ns, string name, Func<GoModuleProxy, GoModuleProxyStatus> compute, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var proxy = await ReadAsync(ns, name, cancellationToken).ConfigureAwait(false);
            if (proxy is null)
            {
                return null;
            }

            var previous = proxy.Status;
            var status = compute(proxy);
            if (Same(previous, status))
            {
                OperatorLog.StatusUnchanged(logger, ns + "/" + name);
                return (status, previous);
            }

            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject { ["resourceVersion"] = proxy.Metadata.ResourceVersion },
                ["status"] = WithRemovals(previous, status),
            };
            try
            {
                await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
                    new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
                    GoModuleProxy.KubeGroup, GoModuleProxy.KubeApiVersion, ns, GoModuleProxy.KubePluralName, name,
                    fieldManager: Reconciliation.OwnedKind.FieldManager,
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                return (status, previous);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict && attempt < Attempts)
            {
                OperatorLog.StatusConflict(logger, ns + "/" + name);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }
    }

    public async Task<GoModuleProxy?> ReadAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.CustomObjects.GetNamespacedCustomObjectAsync<GoModuleProxy>(
                GoModuleProxy.KubeGroup, GoModuleProxy.KubeApiVersion, ns, GoModuleProxy.KubePluralName, name, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// The status as a merge patch: KubernetesJson leaves null fields out, and a merge patch keeps what it does not
    /// mention, so a field that was set and is now unset (status.proxies once the last pod is gone) is sent as an
    /// explicit null, which removes it.
    /// </summary>
    internal static JsonNode WithRemovals(GoModuleProxyStatus? previous, GoModuleProxyStatus next)
    {
        var patch = JsonNode.Parse(KubernetesJson.Serialize(next))!;
        if (previous is not null && JsonNode.Parse(KubernetesJson.Serialize(previous)) is JsonObject before && patch is JsonObject after)
        {
            AddNulls(before, after);
        }

        return patch;
    }

    private static void AddNulls(JsonObject before, JsonObject after)
    {
        foreach (var (key, old) in before)
        {
            if (!after.ContainsKey(key))
            {
                after[key] = null;
            }
            else if (old is JsonObject oldObject && after[key] is JsonObject newObject)
            {
                AddNulls(oldObject, newObject);
            }
        }
    }

    private static bool Same(GoModuleProxyStatus? previous, GoModuleProxyStatus next) =>
        previous is not null && JsonNode.DeepEquals(JsonNode.Parse(KubernetesJson.Serialize(previous)), JsonNode.Parse(KubernetesJson.Serialize(next)));
}
