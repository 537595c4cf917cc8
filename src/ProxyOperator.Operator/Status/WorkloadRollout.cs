using k8s.Models;

namespace ProxyOperator.Operator.Status;

/// <summary>What the status needs from the Deployment or StatefulSet: its generation and its replica counts.</summary>
internal sealed record WorkloadRollout(
    string Kind,
    int DesiredReplicas,
    long Generation,
    long ObservedGeneration,
    int Replicas,
    int ReadyReplicas,
    int UpdatedReplicas,
    int AvailableReplicas,
    string? FailureReason = null,
    string? FailureMessage = null)
{
    public static WorkloadRollout Of(V1Deployment deployment) => new(
        V1Deployment.KubeKind,
        deployment.Spec?.Replicas ?? 1,
        deployment.Metadata?.Generation ?? 0,
        deployment.Status?.ObservedGeneration ?? 0,
        deployment.Status?.Replicas ?? 0,
        deployment.Status?.ReadyReplicas ?? 0,
        deployment.Status?.UpdatedReplicas ?? 0,
        deployment.Status?.AvailableReplicas ?? 0,
        Failure(deployment)?.Reason,
        Failure(deployment)?.Message);

    public static WorkloadRollout Of(V1StatefulSet statefulSet) => new(
        V1StatefulSet.KubeKind,
        statefulSet.Spec?.Replicas ?? 1,
        statefulSet.Metadata?.Generation ?? 0,
        statefulSet.Status?.ObservedGeneration ?? 0,
        statefulSet.Status?.Replicas ?? 0,
        statefulSet.Status?.ReadyReplicas ?? 0,
        statefulSet.Status?.UpdatedReplicas ?? 0,
        statefulSet.Status?.AvailableReplicas ?? 0);

    /// <summary>
    /// What the Deployment controller itself calls failure: no progress within progressDeadlineSeconds, or pods it could
    /// not create (a quota, an admission webhook).
    /// </summary>
    private static V1DeploymentCondition? Failure(V1Deployment deployment) =>
        deployment.Status?.Conditions?.FirstOrDefault(c => c is { Type: "ReplicaFailure", Status: "True" })
        ?? deployment.Status?.Conditions?.FirstOrDefault(c => c is { Type: "Progressing", Status: "False", Reason: "ProgressDeadlineExceeded" });

    /// <summary>
    /// The controller has seen the current spec, every pod runs it and is available, and no old pod is left
    /// (kubectl rollout status's test for Deployments).
    /// </summary>
    public bool RolledOut =>
        ObservedGeneration >= Generation
        && UpdatedReplicas >= DesiredReplicas
        && Replicas <= UpdatedReplicas
        && AvailableReplicas >= DesiredReplicas;
}
