using System.Security.Cryptography;
using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ProxyOperator.Runtime;

/// <summary>
/// Runs work only while this process holds a coordination.k8s.io/v1 Lease, through KubernetesClient's
/// <see cref="LeaderElector"/> and <see cref="LeaseLock"/>. LeaderElector cannot give the Lease back, so a candidate
/// that loses leadership does not campaign again half-stopped: it stops the work, raises
/// <see cref="LeadershipLost"/> and returns, and the host exits and is restarted, as cert-manager and
/// controller-runtime (<c>OnStoppedLeading</c> → exit) do.
/// </summary>
public sealed class LeaderElectedRunner
{
    private readonly IKubernetes _client;
    private readonly LeaderElectionOptions _options;
    private readonly ILogger _logger;
    private volatile bool _leading;

    public LeaderElectedRunner(IKubernetes client, LeaderElectionOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Raised once when leadership is lost while not stopping: the host should stop the application.</summary>
    public event EventHandler? LeadershipLost;

    public string Identity => _options.Identity;

    public bool IsLeader => _leading;

    /// <summary>
    /// The pod's name (the POD_NAME variable, set from the downward API) or the host name, with a random suffix so a
    /// restarted container never mistakes its predecessor's Lease for its own (client-go's examples use a UUID).
    /// </summary>
    public static string DefaultIdentity()
    {
        var name = Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } pod ? pod : Environment.MachineName;
        return name + "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    }

    /// <summary>
    /// Campaigns for the Lease; once acquired, runs <paramref name="whileLeading"/> with a token cancelled when
    /// leadership is lost or <paramref name="cancellationToken"/> is cancelled. Returns after the work has stopped
    /// (raising <see cref="LeadershipLost"/> unless it was cancelled); throws what the work failed with.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> whileLeading, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(whileLeading);

        // LeaderElector's acquire loop gives up on the first failure that is not an HTTP error answer (a refused
        // connection); client-go keeps campaigning. So a campaign that fails before winning starts over.
        while (!await CampaignAsync(whileLeading, cancellationToken).ConfigureAwait(false))
        {
            await Task.Delay(_options.RetryPeriod, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One campaign; false when it failed before winning and should be tried again.</summary>
    private async Task<bool> CampaignAsync(Func<CancellationToken, Task> whileLeading, CancellationToken cancellationToken)
    {
        var config = new LeaderElectionConfig(new LeaseLock(_client, _options.Namespace, _options.LeaseName, _options.Identity))
        {
            LeaseDuration = _options.LeaseDuration,
            RenewDeadline = _options.RenewDeadline,
            RetryPeriod = _options.RetryPeriod,
        };
        using var elector = new LeaderElector(config);
        using var leadership = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = new TaskCompletionSource<Task>(TaskCreationOptions.RunContinuationsAsynchronously);
        elector.OnStartedLeading += () =>
        {
            _leading = true;
            RuntimeLog.LeadershipAcquired(_logger, _options.Identity, _options.Namespace, _options.LeaseName);
            work.TrySetResult(Task.Run(() => whileLeading(leadership.Token), CancellationToken.None));
        };
        elector.OnStoppedLeading += () => _leading = false;
        elector.OnNewLeader += leader => RuntimeLog.NewLeader(_logger, _options.LeaseName, leader);
        elector.OnError += error => RuntimeLog.LeaderElectionError(_logger, _options.LeaseName, error);

        var electing = elector.RunUntilLeadershipLostAsync(leadership.Token);
        try
        {
            // Either the election ends (leadership lost, or cancelled before winning), or the work ends first.
            var first = await Task.WhenAny(electing, work.Task).ConfigureAwait(false);
            if (first == work.Task)
            {
                var running = await work.Task.ConfigureAwait(false);
                await Task.WhenAny(electing, running).ConfigureAwait(false);
            }
        }
        finally
        {
            _leading = false;
            await leadership.CancelAsync().ConfigureAwait(false);
            await electing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (!work.Task.IsCompleted)
        {
            // Never led: cancelled, or the campaign failed.
            if (electing.Exception?.InnerException is { } failure && !cancellationToken.IsCancellationRequested)
            {
                if (!ApiFailure.IsRetriable(failure))
                {
                    await electing.ConfigureAwait(false);
                }

                RuntimeLog.LeaderElectionError(_logger, _options.LeaseName, failure);
                return false;
            }

            return true;
        }

        var ran = await work.Task.ConfigureAwait(false);
        try
        {
            await ran.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (leadership.IsCancellationRequested)
        {
            // The work stopped because leadership ended or the host is stopping.
        }

        if (!cancellationToken.IsCancellationRequested)
        {
            RuntimeLog.LeadershipLost(_logger, _options.Identity, _options.LeaseName);
            LeadershipLost?.Invoke(this, EventArgs.Empty);
        }

        return true;
    }
}
