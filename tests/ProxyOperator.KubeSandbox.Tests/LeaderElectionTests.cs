using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;

namespace ProxyOperator.KubeSandbox.Tests;

public sealed class LeaderElectionTests
{
    private sealed class Candidate : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly LeaderElector _elector;
        private readonly Task _running;

        public Candidate(IKubernetes client, string identity)
        {
            _elector = new LeaderElector(new LeaderElectionConfig(new LeaseLock(client, "default", "operator-leader", identity))
            {
                LeaseDuration = TimeSpan.FromSeconds(2),
                RenewDeadline = TimeSpan.FromSeconds(1),
                RetryPeriod = TimeSpan.FromMilliseconds(200),
            });
            _running = Task.Run(() => _elector.RunAndTryToHoldLeadershipForeverAsync(_stop.Token));
        }

        public bool IsLeader => _elector.IsLeader();

        /// <summary>Stops renewing without releasing the Lease, as a crashed process would.</summary>
        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _running;
            }
            catch (OperationCanceledException)
            {
                // Cancelled on purpose.
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _elector.Dispose();
            _stop.Dispose();
        }
    }

    [Fact]
    public async Task Two_electors_on_one_lease_have_one_leader_at_a_time_and_fail_over_when_it_stops()
    {
        await using var sandbox = await Sandbox.StartAsync();
        using var a = new Candidate(sandbox.Client, "a");
        using var b = new Candidate(sandbox.Client, "b");

        await Sandbox.EventuallyAsync(() => Task.FromResult(a.IsLeader || b.IsLeader));
        for (var i = 0; i < 10; i++)
        {
            Assert.False(a.IsLeader && b.IsLeader);
            await Task.Delay(100);
        }

        var (leader, follower) = a.IsLeader ? (a, b) : (b, a);
        await leader.StopAsync();

        await Sandbox.EventuallyAsync(() => Task.FromResult(follower.IsLeader), TimeSpan.FromSeconds(8));
        var lease = await sandbox.Client.CoordinationV1.ReadNamespacedLeaseAsync("operator-leader", "default");
        Assert.Equal(follower == a ? "a" : "b", lease.Spec.HolderIdentity);
    }
}
