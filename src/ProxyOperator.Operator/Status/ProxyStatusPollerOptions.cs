namespace ProxyOperator.Operator.Status;

/// <summary>How the operator reads <c>GET /status</c> from the proxy pods of one GoModuleProxy.</summary>
public sealed class ProxyStatusPollerOptions
{
    /// <summary>
    /// The whole exchange with one pod, connect to last byte. Short: a status read waits on nothing slow in a healthy
    /// proxy, and a reconcile must not stall on a hung pod.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Pods of one resource asked at once; a poll takes about ceil(pods / this) × <see cref="Timeout"/> at worst.</summary>
    public int MaxConcurrency { get; set; } = 16;
}
