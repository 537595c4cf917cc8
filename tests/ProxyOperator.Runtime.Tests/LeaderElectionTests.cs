using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace ProxyOperator.Runtime.Tests;

public sealed class LeaderElectionTests
{
    private static LeaderElectionOptions Lease(string identity) => new()
    {
        Namespace = "default",
        LeaseName = "runtime-tests",
        Identity = identity,
        LeaseDuration = TimeSpan.FromSeconds(2),
        RenewDeadline = TimeSpan.FromSeconds(1),
        RetryPeriod = TimeSpan.FromMilliseconds(200),
    };

    /// <summary>One operator instance: a leader-elected controller that records who reconciled.</summary>
    private sealed class Instance
    {
        public Instance(Cluster cluster, string identity, ConcurrentQueue<string> reconciledBy)
        {
            var controller = new Controller<V1ConfigMap>(
                cluster.ConfigMapInformer(),
                (_, _) =>
                {
                    reconciledBy.Enqueue(identity);
                    return Task.FromResult(ReconcileResult.Done);
                },
                new ControllerOptions { ResyncPeriod = TimeSpan.FromMilliseconds(100) });
            Runner = new LeaderElectedRunner(cluster.Client, Lease(identity));
            Runner.LeadershipLost += (_, _) => Interlocked.Increment(ref LostCount);
            Running = Running.Start(token => Runner.RunAsync(controller.RunAsync, token));
        }

        public LeaderElectedRunner Runner { get; }

        public Running Running { get; }

        public int LostCount;
    }

    [Fact]
    public async Task Of_two_instances_on_one_lease_only_the_leader_reconciles_and_the_other_takes_over_when_it_stops()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateConfigMapAsync("work");
        var reconciledBy = new ConcurrentQueue<string>();
        var a = new Instance(cluster, "a", reconciledBy);
        var b = new Instance(cluster, "b", reconciledBy);
        await using var runningA = a.Running;
        await using var runningB = b.Running;

        await Cluster.EventuallyAsync(() => reconciledBy.Count >= 3, what: "the leader reconciles");
        await Task.Delay(500);
        var leader = Assert.Single(reconciledBy.Distinct());
        var (leading, following) = leader == "a" ? (a, b) : (b, a);
        Assert.True(leading.Runner.IsLeader);
        Assert.False(following.Runner.IsLeader);

        // The leader stops without giving the Lease back; the follower waits out the lease duration.
        await leading.Running.StopAsync();
        reconciledBy.Clear();
        await Cluster.EventuallyAsync(() => reconciledBy.Contains(following.Runner.Identity), TimeSpan.FromSeconds(10), "fail-over");

        Assert.Equal([following.Runner.Identity], reconciledBy.Distinct());
        Assert.Equal(0, leading.LostCount);
        var lease = await cluster.Client.CoordinationV1.ReadNamespacedLeaseAsync("runtime-tests", "default");
        Assert.Equal(following.Runner.Identity, lease.Spec.HolderIdentity);
    }

    [Fact]
    public async Task A_leader_that_cannot_renew_its_lease_stops_its_work_and_signals_the_host()
    {
        await using var cluster = await Cluster.StartAsync();
        var runner = new LeaderElectedRunner(cluster.Client, Lease("only"));
        var lost = new TaskCompletionSource();
        runner.LeadershipLost += (_, _) => lost.TrySetResult();
        var workStopped = new TaskCompletionSource();
        await using var running = Running.Start(token => runner.RunAsync(
            async leading =>
            {
                await Task.Delay(Timeout.Infinite, leading).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                workStopped.TrySetResult();
            },
            token));
        await Cluster.EventuallyAsync(() => runner.IsLeader, what: "leading");

        using var leasesDown = cluster.Faults.FailRequests(500, resource: "leases");

        await lost.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(workStopped.Task.IsCompleted);
        Assert.False(runner.IsLeader);
        await running.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void The_default_identity_is_the_host_name_with_a_random_suffix()
    {
        var first = LeaderElectedRunner.DefaultIdentity();
        var second = LeaderElectedRunner.DefaultIdentity();

        Assert.StartsWith(Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } pod ? pod : Environment.MachineName, first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
    }
}
