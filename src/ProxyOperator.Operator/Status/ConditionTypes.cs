namespace ProxyOperator.Operator.Status;

/// <summary>The condition types and reasons the operator writes, in one place (reasons are CamelCase by convention).</summary>
public static class ConditionTypes
{
    public const string Ready = "Ready";

    public const string Progressing = "Progressing";

    public const string Degraded = "Degraded";

    /// <summary>Every proxy that answered GET /status can reach its upstream.</summary>
    public const string UpstreamReachable = "UpstreamReachable";

    /// <summary>Every proxy that answered GET /status can write to its store.</summary>
    public const string StorageReady = "StorageReady";

    /// <summary>Present only while spec.monitoring.serviceMonitor.enabled: whether the ServiceMonitor could be made.</summary>
    public const string ServiceMonitorReady = "ServiceMonitorReady";
}

public static class ConditionReasons
{
    public const string InvalidSpec = "InvalidSpec";

    public const string SecretNotFound = "SecretNotFound";

    public const string RolledOut = "RolledOut";

    public const string RollingOut = "RollingOut";

    public const string WorkloadMissing = "WorkloadMissing";

    public const string Unavailable = "Unavailable";

    public const string AsExpected = "AsExpected";

    public const string ScaledToZero = "ScaledToZero";

    public const string Reachable = "Reachable";

    public const string Unreachable = "Unreachable";

    /// <summary>UpstreamReachable when every answering proxy runs in Offline mode and never asks an upstream.</summary>
    public const string Offline = "Offline";

    public const string Writable = "Writable";

    public const string NotWritable = "NotWritable";

    /// <summary>Why UpstreamReachable and StorageReady are Unknown: no proxy gave a readable GET /status.</summary>
    public const string NoProxyAnswered = "NoProxyAnswered";

    /// <summary>A ready proxy pod did not answer GET /status, or answered that it is not healthy.</summary>
    public const string ProxiesUnhealthy = "ProxiesUnhealthy";

    public const string Applied = "Applied";

    public const string ApiNotServed = "APINotServed";
}
