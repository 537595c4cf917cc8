namespace ProxyOperator.Runtime;

/// <summary>
/// Where the coordination.k8s.io/v1 Lease lives and its timing; the defaults are client-go's and controller-runtime's
/// (15 s lease, 10 s renew deadline, 2 s retry period).
/// </summary>
public sealed class LeaderElectionOptions
{
    public string Namespace { get; set; } = "default";

    public string LeaseName { get; set; } = "proxy-operator-leader";

    /// <summary>This candidate's holder identity; see <see cref="LeaderElectedRunner.DefaultIdentity"/>.</summary>
    public string Identity { get; set; } = LeaderElectedRunner.DefaultIdentity();

    /// <summary>How long followers wait after the last renewal before taking over.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before giving up leadership.</summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause between attempts to acquire or renew.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);
}
