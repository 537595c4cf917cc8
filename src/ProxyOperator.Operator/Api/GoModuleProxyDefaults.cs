namespace ProxyOperator.Operator.Api;

/// <summary>
/// The schema defaults, in one place: the API server fills them in on every write, and code that builds a spec
/// itself (or reads one written before a default existed) falls back to the same values.
/// </summary>
public static class GoModuleProxyDefaults
{
    public const int Replicas = 1;

    public const string Upstream = "https://proxy.golang.org";

    public const string SumDbName = "sum.golang.org";

    public const string SumDbUrl = "https://sum.golang.org";

    public const string DiskSize = "10Gi";

    /// <summary>The proxy container's requests when spec.resources is unset.</summary>
    public const string CpuRequest = "100m";

    public const string MemoryRequest = "128Mi";

    public const string ListTtl = "5m";

    public const string NotFoundTtl = "1m";

    public const int ServicePort = 80;

    public const string ServiceMonitorInterval = "30s";

    public const int PdbMaxUnavailable = 1;

    public const int AutoscalingMinReplicas = 1;

    public const int TargetCpuUtilizationPercentage = 80;
}
