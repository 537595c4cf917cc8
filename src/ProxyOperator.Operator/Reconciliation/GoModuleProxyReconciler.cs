using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Builders;
using ProxyOperator.Operator.Builders.Monitoring;
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
    private readonly ApiDiscovery _discovery;
    private readonly string? _operatorNamespace;

    private readonly ProxyStatusPoller _poller;

    /// <param name="poller">Reads each proxy pod's /status; null: one with default options, owned by the caller's process.</param>
    public GoModuleProxyReconciler(IKubernetes client, ReconcilerOptions options, ILogger logger, TimeProvider? clock = null, ProxyStatusPoller? poller = null)
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
        _discovery = new ApiDiscovery(client, options.DiscoveryInterval, _clock);
        _operatorNamespace = options.OperatorNamespace;
        _poller = poller ?? new ProxyStatusPoller(new ProxyStatusPollerOptions(), _clock);
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

        var (rejection, secretVersions) = await CheckAsync(proxy, cancellationToken).ConfigureAwait(false);
        if (rejection is not null)
        {
            OperatorLog.SpecRejected(_logger, key, rejection.Reason, rejection.Message);
            var written = await WriteStatusAsync(request, new Observations(null, null, null, null), rejection, cancellationToken).ConfigureAwait(false);
            if (written is { } result && !SameReady(result.Previous, result.Written))
            {
                await _events.RecordAsync(proxy, EventRecorder.Warning, rejection.Reason, rejection.Message, cancellationToken).ConfigureAwait(false);
            }

            // No requeue: fixing the spec (or creating the Secret, seen at the periodic resync) brings it back.
            return ReconcileResult.Done;
        }

        var monitoring = await MonitoringAsync(proxy, cancellationToken).ConfigureAwait(false);
        var desired = DesiredChildren.For(proxy, _image, secretVersions, monitoring is MonitoringState.Applied or MonitoringState.NotRequestedButServed, _operatorNamespace);
        var before = await ReadWorkloadAsync(proxy, cancellationToken).ConfigureAwait(false);
        if (EffectiveSpec.Autoscaled(proxy.Spec) && before is { OperatorOwnsReplicas: true })
        {
            await HandReplicasOverAsync(proxy, before, cancellationToken).ConfigureAwait(false);
        }

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
        await RecordWorkloadChangesAsync(proxy, before, workload, cancellationToken).ConfigureAwait(false);
        var pods = await ListPodsAsync(proxy, cancellationToken).ConfigureAwait(false);
        var trouble = workload?.Rollout is { RolledOut: false } ? PodTrouble.Find(pods) : null;
        var polled = await _poller.PollAsync(pods, proxy.Status?.Proxies, cancellationToken).ConfigureAwait(false);
        var health = new ProxiesHealth([.. polled.Select(p => p.Report)], ProxyHealth.Summarize(polled, EffectiveSpec.SharesOneStore(proxy.Spec)));
        var outcome = await WriteStatusAsync(request, new Observations(workload?.Rollout, trouble, monitoring, health), null, cancellationToken).ConfigureAwait(false);
        if (outcome is { } wrote)
        {
            await RecordStatusChangesAsync(proxy, wrote.Previous, wrote.Written, trouble, cancellationToken).ConfigureAwait(false);
            if (wrote.Previous?.ObservedGeneration != wrote.Written.ObservedGeneration || changed)
            {
                OperatorLog.Applied(_logger, key, GoModuleProxy.KubeKind, $"generation {proxy.Metadata.Generation}");
                await _events.RecordAsync(proxy, EventRecorder.Normal, "Reconciled", $"applied generation {proxy.Metadata.Generation}", cancellationToken).ConfigureAwait(false);
            }
        }

        return ReconcileResult.Done;
    }

    private async Task<MonitoringState> MonitoringAsync(GoModuleProxy proxy, CancellationToken cancellationToken)
    {
        if (proxy.Spec.Monitoring?.ServiceMonitor?.Enabled != true)
        {
            // A ServiceMonitor left from when it was enabled is deleted, if the API still exists to delete it through.
            return await ServesServiceMonitorsAsync(cancellationToken).ConfigureAwait(false) ? MonitoringState.NotRequestedButServed : MonitoringState.NotRequested;
        }

        return await ServesServiceMonitorsAsync(cancellationToken).ConfigureAwait(false) ? MonitoringState.Applied : MonitoringState.ApiNotServed;
    }

    private Task<bool> ServesServiceMonitorsAsync(CancellationToken cancellationToken) =>
        _discovery.ServesAsync(ServiceMonitor.KubeGroup, ServiceMonitor.KubeApiVersion, ServiceMonitor.KubePluralName, cancellationToken);

    /// <summary>Events for what users otherwise only see by diffing the workload: scaling and rollouts.</summary>
    private async Task RecordWorkloadChangesAsync(GoModuleProxy proxy, WorkloadSnapshot? before, WorkloadSnapshot? after, CancellationToken cancellationToken)
    {
        if (before is null || after is null || before.Rollout.Kind != after.Rollout.Kind)
        {
            return;
        }

        if (before.Rollout.DesiredReplicas != after.Rollout.DesiredReplicas)
        {
            await _events.RecordAsync(proxy, EventRecorder.Normal, "Scaled",
                $"scaled {after.Rollout.Kind} from {before.Rollout.DesiredReplicas} to {after.Rollout.DesiredReplicas} replicas", cancellationToken).ConfigureAwait(false);
        }

        var why = new List<string>();
        if (before.ConfigHash != after.ConfigHash)
        {
            why.Add("the proxy configuration changed");
        }

        if (before.SecretsHash != after.SecretsHash)
        {
            why.Add("a mounted Secret changed");
        }

        if (why.Count > 0)
        {
            await _events.RecordAsync(proxy, EventRecorder.Normal, "RollingOut", $"{string.Join(" and ", why)}: rolling the pods", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Events for transitions of the conditions users act on; unchanged conditions record nothing.</summary>
    private async Task RecordStatusChangesAsync(GoModuleProxy proxy, GoModuleProxyStatus? previous, GoModuleProxyStatus written, PodTrouble? trouble, CancellationToken cancellationToken)
    {
        if (DegradedReason(written) is { } reason && reason != DegradedReason(previous) && trouble?.Reason == reason)
        {
            await _events.RecordAsync(proxy, EventRecorder.Warning, reason, trouble.Message, cancellationToken).ConfigureAwait(false);
        }

        var wasRolledOut = Condition(previous, ConditionTypes.Progressing) is { Status: "False", Reason: ConditionReasons.RolledOut };
        if (Condition(written, ConditionTypes.Progressing) is { Status: "False", Reason: ConditionReasons.RolledOut } rolledOut && !wasRolledOut && previous is not null)
        {
            await _events.RecordAsync(proxy, EventRecorder.Normal, ConditionReasons.RolledOut, rolledOut.Message, cancellationToken).ConfigureAwait(false);
        }

        foreach (var type in new[] { ConditionTypes.UpstreamReachable, ConditionTypes.StorageReady })
        {
            if (Condition(written, type) is { Status: "False" } bad && Condition(previous, type)?.Status != "False")
            {
                await _events.RecordAsync(proxy, EventRecorder.Warning, bad.Reason, bad.Message, cancellationToken).ConfigureAwait(false);
            }
        }

        if (Condition(written, ConditionTypes.Ready) is { Reason: ConditionReasons.ProxiesUnhealthy } unhealthy
            && Condition(previous, ConditionTypes.Ready) is not { Reason: ConditionReasons.ProxiesUnhealthy })
        {
            await _events.RecordAsync(proxy, EventRecorder.Warning, unhealthy.Reason, unhealthy.Message, cancellationToken).ConfigureAwait(false);
        }

        if (Condition(written, ConditionTypes.ServiceMonitorReady) is { Status: "False" } monitor
            && Condition(previous, ConditionTypes.ServiceMonitorReady)?.Status != "False")
        {
            await _events.RecordAsync(proxy, EventRecorder.Warning, monitor.Reason, monitor.Message, cancellationToken).ConfigureAwait(false);
        }
    }

    private static V1Condition? Condition(GoModuleProxyStatus? status, string type) => status?.Conditions?.FirstOrDefault(c => c.Type == type);

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
        ReconcileRequest request, Observations observed, SpecRejection? rejection, CancellationToken cancellationToken)
    {
        // Seconds: the precision the API server keeps (RFC 3339), so an unchanged condition reads back equal.
        var now = _clock.GetUtcNow().UtcDateTime;
        now = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        return _status.WriteAsync(request.Namespace, request.Name, current => StatusCalculator.Compute(current, observed, rejection, now), cancellationToken);
    }

    private static string? DegradedReason(GoModuleProxyStatus? status) =>
        status?.Conditions?.FirstOrDefault(c => c is { Type: ConditionTypes.Degraded, Status: "True" })?.Reason;

    /// <summary>
    /// Pods are not watched (a cache of every proxy pod would cost more than a list per reconcile): a rollout that
    /// stalls shows in the workload's status, which is watched, and the periodic resync re-reads them.
    /// </summary>
    private async Task<IReadOnlyList<V1Pod>> ListPodsAsync(GoModuleProxy proxy, CancellationToken cancellationToken)
    {
        var pods = await _client.CoreV1.ListNamespacedPodAsync(proxy.Metadata.NamespaceProperty, labelSelector: Labels.SelectorString(proxy.Metadata.Name), cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. pods.Items];
    }

    private static bool SameReady(GoModuleProxyStatus? previous, GoModuleProxyStatus next)
    {
        var before = previous?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready);
        var after = next.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready);
        return before?.Status == after?.Status && before?.Reason == after?.Reason && before?.Message == after?.Message;
    }

    /// <summary>
    /// Why the spec cannot be reconciled (the schema rules the API server may not check, then the Secrets the pods
    /// mount), or null; and the resourceVersions of those Secrets, which roll the pods when they change.
    /// </summary>
    private async Task<(SpecRejection? Rejection, Dictionary<string, string> SecretVersions)> CheckAsync(GoModuleProxy proxy, CancellationToken cancellationToken)
    {
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = GoModuleProxySpecValidator.Validate(proxy.Spec);
        if (problems.Count > 0)
        {
            return (new SpecRejection(ConditionReasons.InvalidSpec, string.Join("; ", problems)), versions);
        }

        var missing = new List<string>();
        foreach (var secret in SecretMounts.SecretNames(proxy.Spec))
        {
            try
            {
                // The metadata only would do, but a PartialObjectMetadata read needs an Accept header the typed client does not send.
                var found = await _client.CoreV1.ReadNamespacedSecretAsync(secret, proxy.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
                versions[secret] = found.Metadata.ResourceVersion;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                missing.Add(secret);
            }
        }

        return missing.Count == 0
            ? (null, versions)
            : (new SpecRejection(ConditionReasons.SecretNotFound,
                $"Secret{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(s => "\"" + s + "\""))} not found in namespace {proxy.Metadata.NamespaceProperty}"), versions);
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

    private async Task<WorkloadSnapshot?> ReadWorkloadAsync(GoModuleProxy proxy, CancellationToken cancellationToken)
    {
        var ns = proxy.Metadata.NamespaceProperty;
        var name = Names.Workload(proxy.Metadata.Name);
        return WorkloadBuilder.KindFor(proxy.Spec) == WorkloadKind.StatefulSet
            ? await OwnedKind.StatefulSet.ReadAsync(_client, name, ns, cancellationToken).ConfigureAwait(false) is V1StatefulSet statefulSet
                ? new WorkloadSnapshot(WorkloadRollout.Of(statefulSet), statefulSet.Spec?.Template?.Metadata?.Annotations, statefulSet.Metadata.ManagedFields)
                : null
            : await OwnedKind.Deployment.ReadAsync(_client, name, ns, cancellationToken).ConfigureAwait(false) is V1Deployment deployment
                ? new WorkloadSnapshot(WorkloadRollout.Of(deployment), deployment.Spec?.Template?.Metadata?.Annotations, deployment.Metadata.ManagedFields)
                : null;
    }

    /// <summary>
    /// Before the first apply without spec.replicas (autoscaling just turned on): server-side apply removes a field
    /// whose only manager stops sending it, and defaulting would then make the fleet one pod until the HPA reacts. So
    /// a second manager first applies the current count, sharing the field; once we stop sending it, it stays, and the
    /// HPA's own writes take it over (Kubernetes' documented hand-over of replicas to an autoscaler).
    /// </summary>
    private async Task HandReplicasOverAsync(GoModuleProxy proxy, WorkloadSnapshot workload, CancellationToken cancellationToken)
    {
        var ns = proxy.Metadata.NamespaceProperty;
        var name = Names.Workload(proxy.Metadata.Name);
        var body = new System.Text.Json.Nodes.JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = workload.Rollout.Kind,
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = new System.Text.Json.Nodes.JsonObject { ["replicas"] = workload.Rollout.DesiredReplicas },
        };
        var patch = new V1Patch(body.ToJsonString(), V1Patch.PatchType.ApplyPatch);
        if (workload.Rollout.Kind == V1StatefulSet.KubeKind)
        {
            await _client.AppsV1.PatchNamespacedStatefulSetAsync(patch, name, ns, fieldManager: HandOverManager, force: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _client.AppsV1.PatchNamespacedDeploymentAsync(patch, name, ns, fieldManager: HandOverManager, force: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The field manager that keeps spec.replicas while it passes from us to the HPA.</summary>
    internal const string HandOverManager = "proxy-operator-handover";

    /// <summary>The workload's rollout figures and the pod-template hashes that tell why it rolls.</summary>
    private sealed record WorkloadSnapshot(WorkloadRollout Rollout, IDictionary<string, string>? TemplateAnnotations, IList<V1ManagedFieldsEntry>? ManagedFields = null)
    {
        /// <summary>Whether our server-side apply still owns spec.replicas.</summary>
        public bool OperatorOwnsReplicas => ManagedFields?.Any(f => f.Manager == OwnedKind.FieldManager && f.Operation == "Apply"
            && System.Text.Json.Nodes.JsonNode.Parse(KubernetesJson.Serialize(f.FieldsV1))?["f:spec"]?["f:replicas"] is not null) == true;

        public string? ConfigHash => TemplateAnnotations?.TryGetValue(ProxyConfig.HashAnnotation, out var hash) == true ? hash : null;

        public string? SecretsHash => TemplateAnnotations?.TryGetValue(SecretMounts.HashAnnotation, out var hash) == true ? hash : null;
    }
}
