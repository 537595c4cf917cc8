using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Builders;
using ProxyOperator.Operator.Hosting;
using ProxyOperator.Operator.Status;
using ProxyOperator.Runtime;

namespace ProxyOperator.Operator.Reconciliation;

/// <summary>
/// Brings one GoModuleProxy to its desired state: validate, build every owned object with the builders, apply them
/// with server-side apply, delete the owned objects the spec no longer asks for, then write the status. Level
/// triggered and idempotent: it computes everything from the spec on every call.
/// </summary>
public sealed class GoModuleProxyReconciler
{
    private readonly IKubernetes _client;
    private readonly ProxyImage? _image;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly StatusWriter _status;
    private readonly EventRecorder _events;
    private readonly CacheClaimFinalizer _finalizer;

    public GoModuleProxyReconciler(IKubernetes client, ReconcilerOptions options, ILogger logger, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _image = options.ParsedProxyImage();
        _logger = logger;
        _clock = clock ?? TimeProvider.System;
        _status = new StatusWriter(client, logger);
        _events = new EventRecorder(client, logger, _clock);
        _finalizer = new CacheClaimFinalizer(client, logger);
    }

    public async Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        var key = request.Key.ToString();
        var proxy = await _status.ReadAsync(request.Namespace, request.Name, cancellationToken).ConfigureAwait(false);
        if (proxy is null)
        {
            OperatorLog.Gone(_logger, key);
            return ReconcileResult.Done;
        }

        if (proxy.Metadata.DeletionTimestamp is not null)
        {
            // Going: the API server's garbage collector removes what we own; the finalizer, what nothing owns.
            await FinalizeAsync(proxy, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        // Before validation: a spec made invalid after its StatefulSet made claims still has claims to clean up.
        if (EffectiveSpec.NeedsFinalizer(proxy.Spec) != CacheClaimFinalizer.IsOn(proxy))
        {
            await (CacheClaimFinalizer.IsOn(proxy) ? _finalizer.RemoveAsync(proxy, cancellationToken) : _finalizer.AddAsync(proxy, cancellationToken)).ConfigureAwait(false);
        }

        if (await RejectionAsync(proxy, cancellationToken).ConfigureAwait(false) is { } rejection)
        {
            OperatorLog.SpecRejected(_logger, key, rejection.Reason, rejection.Message);
            var written = await WriteStatusAsync(request, null, rejection, cancellationToken).ConfigureAwait(false);
            if (written is { } result && !SameReady(result.Previous, result.Written))
            {
                await _events.RecordAsync(proxy, EventRecorder.Warning, rejection.Reason, rejection.Message, cancellationToken).ConfigureAwait(false);
            }

            // No requeue: fixing the spec (or creating the Secret, seen at the periodic resync) brings it back.
            return ReconcileResult.Done;
        }

        var desired = DesiredChildren.For(proxy, _image);
        var changed = false;

        // Deletions first: when storage switches the workload kind, the old pods go before the new ones come.
        foreach (var child in desired.Children.Where(child => child.Object is null))
        {
            changed |= await DeleteIfOursAsync(proxy, child, cancellationToken).ConfigureAwait(false);
        }

        foreach (var child in desired.Children)
        {
            if (child.Object is { } obj)
            {
                await child.Kind.ApplyAsync(_client, obj, cancellationToken).ConfigureAwait(false);
            }
        }

        var workload = await ReadWorkloadAsync(proxy, cancellationToken).ConfigureAwait(false);
        var trouble = workload is { RolledOut: false } ? await FindPodTroubleAsync(proxy, cancellationToken).ConfigureAwait(false) : null;
        var outcome = await WriteStatusAsync(request, workload, null, cancellationToken, trouble).ConfigureAwait(false);
        if (outcome is { } degraded && DegradedReason(degraded.Written) is { } reason && reason != DegradedReason(degraded.Previous) && trouble?.Reason == reason)
        {
            await _events.RecordAsync(proxy, EventRecorder.Warning, reason, trouble.Message, cancellationToken).ConfigureAwait(false);
        }

        if (outcome is { } wrote && (wrote.Previous?.ObservedGeneration != wrote.Written.ObservedGeneration || changed))
        {
            OperatorLog.Applied(_logger, key, GoModuleProxy.KubeKind, $"generation {proxy.Metadata.Generation}");
            await _events.RecordAsync(proxy, EventRecorder.Normal, "Reconciled", $"applied generation {proxy.Metadata.Generation}", cancellationToken).ConfigureAwait(false);
        }

        return ReconcileResult.Done;
    }

    private async Task FinalizeAsync(GoModuleProxy proxy, CancellationToken cancellationToken)
    {
        if (!CacheClaimFinalizer.IsOn(proxy))
        {
            OperatorLog.Gone(_logger, proxy.Metadata.NamespaceProperty + "/" + proxy.Metadata.Name);
            return;
        }

        // The policy as it stands at deletion: a user who switched to Retain first keeps the claims.
        if (EffectiveSpec.NeedsFinalizer(proxy.Spec))
        {
            var deleted = await _finalizer.DeletePerReplicaClaimsAsync(proxy, cancellationToken).ConfigureAwait(false);
            if (deleted > 0)
            {
                await _events.RecordAsync(proxy, EventRecorder.Normal, "CacheDeleted",
                    $"deleted {deleted} per-replica cache claim{(deleted == 1 ? "" : "s")} (storage.retainPolicy Delete)", cancellationToken).ConfigureAwait(false);
            }
        }

        await _finalizer.RemoveAsync(proxy, cancellationToken).ConfigureAwait(false);
    }

    private Task<(GoModuleProxyStatus Written, GoModuleProxyStatus? Previous)?> WriteStatusAsync(
        ReconcileRequest request, WorkloadRollout? workload, SpecRejection? rejection, CancellationToken cancellationToken, PodTrouble? trouble = null)
    {
        // Seconds: the precision the API server keeps (RFC 3339), so an unchanged condition reads back equal.
        var now = _clock.GetUtcNow().UtcDateTime;
        now = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        return _status.WriteAsync(request.Namespace, request.Name, current => StatusCalculator.Compute(current, workload, rejection, now, trouble), cancellationToken);
    }

    private static string? DegradedReason(GoModuleProxyStatus? status) =>
        status?.Conditions?.FirstOrDefault(c => c is { Type: ConditionTypes.Degraded, Status: "True" })?.Reason;

    /// <summary>Pods are not watched: a rollout that stalls shows in the workload's status, which is, and the periodic resync re-reads them.</summary>
    private async Task<PodTrouble?> FindPodTroubleAsync(GoModuleProxy proxy, CancellationToken cancellationToken)
    {
        var pods = await _client.CoreV1.ListNamespacedPodAsync(proxy.Metadata.NamespaceProperty, labelSelector: Labels.SelectorString(proxy.Metadata.Name), cancellationToken: cancellationToken).ConfigureAwait(false);
        return PodTrouble.Find(pods.Items);
    }

    private static bool SameReady(GoModuleProxyStatus? previous, GoModuleProxyStatus next)
    {
        var before = previous?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready);
        var after = next.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready);
        return before?.Status == after?.Status && before?.Reason == after?.Reason && before?.Message == after?.Message;
    }

    /// <summary>Why the spec cannot be reconciled, or null: the schema rules the API server may not check, then the Secrets it names.</summary>
    private async Task<SpecRejection?> RejectionAsync(GoModuleProxy proxy, CancellationToken cancellationToken)
    {
        var problems = GoModuleProxySpecValidator.Validate(proxy.Spec);
        if (problems.Count > 0)
        {
            return new SpecRejection(ConditionReasons.InvalidSpec, string.Join("; ", problems));
        }

        var missing = new List<string>();
        foreach (var secret in SecretsNamedIn(proxy.Spec).Distinct(StringComparer.Ordinal))
        {
            try
            {
                await _client.CoreV1.ReadNamespacedSecretAsync(secret, proxy.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                missing.Add(secret);
            }
        }

        return missing.Count == 0
            ? null
            : new SpecRejection(ConditionReasons.SecretNotFound,
                $"Secret{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(s => "\"" + s + "\""))} not found in namespace {proxy.Metadata.NamespaceProperty}");
    }

    /// <summary>The Secrets the proxy pods mount; image pull secrets are the kubelet's and show up as pod trouble instead.</summary>
    internal static IEnumerable<string> SecretsNamedIn(GoModuleProxySpec spec)
    {
        if (spec.Storage?.S3?.CredentialsSecret is { Length: > 0 } s3)
        {
            yield return s3;
        }

        foreach (var module in spec.PrivateModules ?? [])
        {
            if (module.CredentialsSecret is { Length: > 0 } credentials)
            {
                yield return credentials;
            }
        }

        if (spec.Auth?.SecretRef?.Name is { Length: > 0 } auth)
        {
            yield return auth;
        }

        if (spec.Tls?.SecretName is { Length: > 0 } tls)
        {
            yield return tls;
        }
    }

    private async Task<bool> DeleteIfOursAsync(GoModuleProxy proxy, DesiredChild child, CancellationToken cancellationToken)
    {
        var ns = proxy.Metadata.NamespaceProperty;
        var existing = await child.Kind.ReadAsync(_client, child.Name, ns, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            return false;
        }

        var ours = existing.Metadata.OwnerReferences?.Any(owner => owner.Controller == true && owner.Uid == proxy.Metadata.Uid) == true;
        if (!ours)
        {
            return false;
        }

        await child.Kind.DeleteAsync(_client, child.Name, ns, existing.Metadata.Uid, cancellationToken).ConfigureAwait(false);
        OperatorLog.Deleted(_logger, ns + "/" + proxy.Metadata.Name, child.Kind.Kind, child.Name);
        return true;
    }

    private async Task<WorkloadRollout?> ReadWorkloadAsync(GoModuleProxy proxy, CancellationToken cancellationToken)
    {
        var ns = proxy.Metadata.NamespaceProperty;
        var name = Names.Workload(proxy.Metadata.Name);
        return WorkloadBuilder.KindFor(proxy.Spec) == WorkloadKind.StatefulSet
            ? await OwnedKind.StatefulSet.ReadAsync(_client, name, ns, cancellationToken).ConfigureAwait(false) is V1StatefulSet statefulSet ? WorkloadRollout.Of(statefulSet) : null
            : await OwnedKind.Deployment.ReadAsync(_client, name, ns, cancellationToken).ConfigureAwait(false) is V1Deployment deployment ? WorkloadRollout.Of(deployment) : null;
    }
}
