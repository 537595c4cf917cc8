using ProxyOperator.Operator.Api;

namespace ProxyOperator.Operator.Status;

/// <summary>What the reconciler saw of the cluster, from which the status is computed.</summary>
/// <param name="Workload">The Deployment's or StatefulSet's rollout; null when it does not exist (yet).</param>
/// <param name="Trouble">The first proxy pod that cannot run, and why.</param>
/// <param name="Monitoring">What became of the ServiceMonitor; null or not requested: no condition.</param>
/// <param name="Health">What the proxy pods reported on GET /status; null: not asked (the status keeps what it had).</param>
internal sealed record Observations(WorkloadRollout? Workload, PodTrouble? Trouble, MonitoringState? Monitoring, ProxiesHealth? Health = null);

/// <summary>Each pod's report, and what they add up to.</summary>
internal sealed record ProxiesHealth(IReadOnlyList<ProxyReport> Reports, FleetHealth Fleet);

internal enum MonitoringState
{
    NotRequested,

    /// <summary>Not asked for, but the API exists: a ServiceMonitor left from before is deleted.</summary>
    NotRequestedButServed,

    Applied,

    ApiNotServed,
}
