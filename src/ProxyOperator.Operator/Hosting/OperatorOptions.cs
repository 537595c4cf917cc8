namespace ProxyOperator.Operator.Hosting;

/// <summary>The operator's settings, bound from flags (<c>--workers 4</c>) and <c>PROXY_OPERATOR_</c> variables.</summary>
public sealed class OperatorOptions
{
    /// <summary>Path of a kubeconfig; null: $KUBECONFIG, ~/.kube/config, then the in-cluster service account.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>The one namespace to watch; null or empty: all namespaces.</summary>
    public string? Namespace { get; set; }

    public int Workers { get; set; } = 2;

    public bool LeaderElect { get; set; } = true;

    /// <summary>Where the leader Lease lives; null: the pod's namespace (POD_NAMESPACE), else <c>default</c>.</summary>
    public string? LeaseNamespace { get; set; }

    /// <summary>The proxy image of resources that name none; null: the builders' default (this operator's version).</summary>
    public string? ProxyImage { get; set; }

    /// <summary>host:port of /metrics, /healthz and /readyz.</summary>
    public string Listen { get; set; } = "0.0.0.0:8081";

    /// <summary>How often every resource is reconciled again to refresh its status.</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an answer of API discovery (is the ServiceMonitor API served?) is trusted.</summary>
    public TimeSpan DiscoveryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the operator waits for one proxy pod's GET /status.</summary>
    public TimeSpan ProxyStatusTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many proxy pods of one resource are asked for their /status at once.</summary>
    public int ProxyStatusConcurrency { get; set; } = 16;

    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    internal string EffectiveLeaseNamespace =>
        LeaseNamespace is { Length: > 0 } ns ? ns
        : Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } pod ? pod
        : "default";

    internal string? WatchedNamespace => Namespace is { Length: > 0 } ns ? ns : null;
}
