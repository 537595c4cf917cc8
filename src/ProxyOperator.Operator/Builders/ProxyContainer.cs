namespace ProxyOperator.Operator.Builders;

/// <summary>
/// What the operator knows about the proxy process (src/ProxyOperator.GoProxy and its Dockerfile target): where it
/// listens, what it serves and where it keeps things. The pod, the Service and the configuration all read from here.
/// </summary>
public static class ProxyContainer
{
    public const string Name = "goproxy";

    /// <summary>The proxy's default port, also EXPOSEd by its image.</summary>
    public const int Port = 3000;

    public const string PortName = "http";

    public const string HealthPath = "/healthz";

    public const string ReadyPath = "/readyz";

    public const string MetricsPath = "/metrics";

    public const string StatusPath = "/status";

    /// <summary>Where the ConfigMap is mounted.</summary>
    public const string ConfigDirectory = "/etc/goproxy";

    public const string ConfigPath = ConfigDirectory + "/" + ProxyConfig.FileName;

    /// <summary>The store; the image creates it owned by its non-root user.</summary>
    public const string StoreDirectory = "/var/cache/goproxy";

    /// <summary>The only other writable place: the root filesystem is read-only.</summary>
    public const string TempDirectory = "/tmp";
}
