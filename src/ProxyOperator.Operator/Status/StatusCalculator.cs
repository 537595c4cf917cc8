using k8s.Models;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Builders;

namespace ProxyOperator.Operator.Status;

/// <summary>
/// The status a GoModuleProxy should show, from its spec and its workload's rollout: a pure function. Conditions keep
/// their lastTransitionTime while their status stays the same (metav1.Condition's contract).
/// </summary>
internal static class StatusCalculator
{
    // The order conditions are written in, whatever order they were computed in: the status is written only when it
    // changes, so the order must not.
    private static readonly string[] Order =
    [
        ConditionTypes.Ready, ConditionTypes.Progressing, ConditionTypes.Degraded,
        ConditionTypes.UpstreamReachable, ConditionTypes.StorageReady, ConditionTypes.ServiceMonitorReady,
    ];

    public static GoModuleProxyStatus Compute(GoModuleProxy proxy, Observations observed, SpecRejection? rejection, DateTime now)
    {
        var status = ComputeUnordered(proxy, observed, rejection, now);
        status.Conditions = [.. status.Conditions!.OrderBy(c => Array.IndexOf(Order, c.Type) is var i && i >= 0 ? i : Order.Length)];
        return status;
    }

    private static GoModuleProxyStatus ComputeUnordered(GoModuleProxy proxy, Observations observed, SpecRejection? rejection, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        ArgumentNullException.ThrowIfNull(observed);
        var workload = observed.Workload;
        var trouble = observed.Trouble;
        var name = proxy.Metadata.Name;
        var ns = proxy.Metadata.NamespaceProperty;
        var generation = proxy.Metadata.Generation ?? 0;
        var previous = proxy.Status;
        var endpoint = $"http://{Names.Service(name)}.{ns}.svc:{EffectiveSpec.ServicePort(proxy.Spec)}";
        var status = new GoModuleProxyStatus
        {
            ObservedGeneration = generation,
            Replicas = workload?.Replicas ?? 0,
            ReadyReplicas = workload?.ReadyReplicas ?? 0,
            Selector = Labels.SelectorString(name),
            Endpoint = endpoint,
            Url = proxy.Spec.Ingress is { Enabled: true, Host: { Length: > 0 } host } ingress
                ? $"{(ingress.Tls?.SecretName is { Length: > 0 } ? "https" : "http")}://{host}"
                : endpoint,
            // Not asked this time (a rejected spec): what the pods said last stays.
            Proxies = observed.Health is { } asked ? (asked.Reports.Count == 0 ? null : [.. asked.Reports]) : previous?.Proxies,
            Cache = observed.Health?.Fleet.Cache ?? previous?.Cache,
            Conditions = previous?.Conditions is { } existing ? [.. existing] : [],
        };

        var conditions = status.Conditions;
        SetMonitoring(conditions, observed.Monitoring, generation, now);
        if (observed.Health?.Fleet is { } fleet)
        {
            foreach (var condition in new[] { fleet.UpstreamReachable, fleet.StorageReady })
            {
                Set(conditions, condition.Type, condition.Status, condition.Reason, condition.Message, generation, now);
            }
        }

        if (rejection is not null)
        {
            Set(conditions, ConditionTypes.Ready, false, rejection.Reason, rejection.Message, generation, now);
            Set(conditions, ConditionTypes.Progressing, false, rejection.Reason, "the spec cannot be reconciled until it is fixed", generation, now);
            Set(conditions, ConditionTypes.Degraded, true, rejection.Reason, rejection.Message, generation, now);
            return status;
        }

        if (workload is null)
        {
            const string Missing = "the proxy workload does not exist yet";
            Set(conditions, ConditionTypes.Ready, false, ConditionReasons.WorkloadMissing, Missing, generation, now);
            Set(conditions, ConditionTypes.Progressing, true, ConditionReasons.WorkloadMissing, Missing, generation, now);
            Set(conditions, ConditionTypes.Degraded, false, ConditionReasons.AsExpected, "no problem found", generation, now);
            return status;
        }

        var counts = $"{workload.ReadyReplicas}/{workload.DesiredReplicas} ready, {workload.UpdatedReplicas} updated, {workload.AvailableReplicas} available";
        if (workload.RolledOut)
        {
            var scaledToZero = workload.DesiredReplicas == 0;
            // Rolled out is not enough: every ready pod must also say, on GET /status, that it is healthy.
            if (!scaledToZero && observed.Health?.Fleet is { AllHealthy: false } sick)
            {
                Set(conditions, ConditionTypes.Ready, false, ConditionReasons.ProxiesUnhealthy, sick.HealthMessage, generation, now);
            }
            else
            {
                Set(conditions, ConditionTypes.Ready, !scaledToZero, scaledToZero ? ConditionReasons.ScaledToZero : ConditionReasons.RolledOut,
                    $"{workload.Kind} rolled out: {counts}" + (observed.Health?.Fleet is { AllHealthy: true } well ? "; " + well.HealthMessage : ""), generation, now);
            }

            Set(conditions, ConditionTypes.Progressing, false, ConditionReasons.RolledOut, $"{workload.Kind} rolled out", generation, now);
        }
        else
        {
            Set(conditions, ConditionTypes.Ready, false, ConditionReasons.RollingOut, $"{workload.Kind} rolling out: {counts}", generation, now);
            Set(conditions, ConditionTypes.Progressing, true, ConditionReasons.RollingOut, $"{workload.Kind} rolling out: {counts}", generation, now);
        }

        // Degraded, most specific first: a pod that cannot run says why; then the controller's own verdict; then fewer
        // pods available than asked for once the controller has caught up with the spec.
        if (trouble is not null)
        {
            Set(conditions, ConditionTypes.Degraded, true, trouble.Reason, trouble.Message, generation, now);
        }
        else if (workload.FailureReason is { } failure)
        {
            Set(conditions, ConditionTypes.Degraded, true, failure, $"{workload.Kind}: {workload.FailureMessage}", generation, now);
        }
        else if (observed.Health?.Fleet is { AllHealthy: false } unwell && observed.Health.Reports.Any(r => r.Ready == true))
        {
            // Pods the kubelet calls ready that do not answer /status, or say they are not: the Service still sends
            // them traffic.
            Set(conditions, ConditionTypes.Degraded, true, ConditionReasons.ProxiesUnhealthy, unwell.HealthMessage, generation, now);
        }
        else
        {
            var degraded = workload.ObservedGeneration >= workload.Generation && workload.AvailableReplicas < workload.DesiredReplicas && workload.UpdatedReplicas >= workload.DesiredReplicas;
            Set(conditions, ConditionTypes.Degraded, degraded, degraded ? ConditionReasons.Unavailable : ConditionReasons.AsExpected,
                degraded ? $"{workload.Kind}: {counts}" : "no problem found", generation, now);
        }

        return status;
    }

    private static void SetMonitoring(IList<V1Condition> conditions, MonitoringState? monitoring, long generation, DateTime now)
    {
        switch (monitoring)
        {
            case MonitoringState.Applied:
                Set(conditions, ConditionTypes.ServiceMonitorReady, true, ConditionReasons.Applied, "the ServiceMonitor is applied", generation, now);
                break;
            case MonitoringState.ApiNotServed:
                Set(conditions, ConditionTypes.ServiceMonitorReady, false, ConditionReasons.ApiNotServed,
                    "the cluster does not serve monitoring.coreos.com/v1 ServiceMonitors (install the Prometheus Operator's CRDs); everything else is reconciled",
                    generation, now);
                break;
            case MonitoringState.NotRequested or MonitoringState.NotRequestedButServed:
                Remove(conditions, ConditionTypes.ServiceMonitorReady);
                break;
            default:
                // Not looked at (a rejected spec): the condition stays as it was.
                break;
        }
    }

    private static void Remove(IList<V1Condition> conditions, string type)
    {
        for (var i = conditions.Count - 1; i >= 0; i--)
        {
            if (conditions[i].Type == type)
            {
                conditions.RemoveAt(i);
            }
        }
    }

    /// <summary>Sets one condition; its lastTransitionTime changes only when its status does.</summary>
    internal static void Set(IList<V1Condition> conditions, string type, bool value, string reason, string message, long generation, DateTime now) =>
        Set(conditions, type, value ? "True" : "False", reason, message, generation, now);

    /// <param name="status">"True", "False" or "Unknown".</param>
    internal static void Set(IList<V1Condition> conditions, string type, string status, string reason, string message, long generation, DateTime now)
    {
        var index = -1;
        for (var i = 0; i < conditions.Count; i++)
        {
            if (conditions[i].Type == type)
            {
                index = i;
                break;
            }
        }

        var transition = index >= 0 && conditions[index].Status == status ? conditions[index].LastTransitionTime : now;
        var condition = new V1Condition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            ObservedGeneration = generation,
            LastTransitionTime = transition,
        };
        if (index >= 0)
        {
            conditions[index] = condition;
        }
        else
        {
            conditions.Add(condition);
        }
    }
}
