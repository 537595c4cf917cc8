namespace ProxyOperator.Operator.Builders;

/// <summary>The kind of workload that runs the proxy pods; storage decides it (DESIGN §2).</summary>
public enum WorkloadKind
{
    /// <summary>One store for all replicas: S3, a ReadWriteMany disk, or none worth keeping (Ephemeral).</summary>
    Deployment,

    /// <summary>A ReadWriteOnce disk: a volume per replica from a claim template.</summary>
    StatefulSet,
}
