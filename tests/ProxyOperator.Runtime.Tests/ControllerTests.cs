using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ProxyOperator.Runtime.Tests;

public sealed class ControllerTests
{
    [Fact]
    public async Task Every_existing_object_is_reconciled_once_the_caches_have_synced()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateConfigMapAsync("a");
        await cluster.CreateConfigMapAsync("b");
        var reconciled = new ConcurrentDictionary<ObjectKey, int>();
        var controller = new Controller<V1ConfigMap>(cluster.ConfigMapInformer(), (request, _) =>
        {
            reconciled.AddOrUpdate(request.Key, 1, (_, n) => n + 1);
            return Task.FromResult(ReconcileResult.Done);
        });
        await using var running = Running.Start(controller.RunAsync);

        await Cluster.EventuallyAsync(() => reconciled.Count == 2);
        await cluster.CreateConfigMapAsync("c");
        await Cluster.EventuallyAsync(() => reconciled.ContainsKey(new ObjectKey("default", "c")));
    }

    [Fact]
    public async Task Status_only_updates_of_the_primary_do_not_reconcile_it_but_spec_label_and_deletion_changes_do()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateDeploymentAsync("web");
        var reconciles = 0;
        var controller = new Controller<V1Deployment>(cluster.DeploymentInformer(), (_, _) =>
        {
            Interlocked.Increment(ref reconciles);
            return Task.FromResult(ReconcileResult.Done);
        });
        await using var running = Running.Start(controller.RunAsync);
        await Cluster.EventuallyAsync(() => Volatile.Read(ref reconciles) == 1);

        // What a reconciler writing its own status does: with each write requeuing, it would never stop.
        for (var i = 1; i <= 3; i++)
        {
            var current = await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "default");
            current.Status = new V1DeploymentStatus { ObservedGeneration = current.Metadata.Generation, Replicas = i };
            await cluster.Client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(current, "web", "default");
        }

        await Task.Delay(500);
        Assert.Equal(1, Volatile.Read(ref reconciles));

        await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("{\"spec\":{\"replicas\":4}}", V1Patch.PatchType.MergePatch), "web", "default");
        await Cluster.EventuallyAsync(() => Volatile.Read(ref reconciles) == 2);
        await cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("{\"metadata\":{\"labels\":{\"tier\":\"web\"}}}", V1Patch.PatchType.MergePatch), "web", "default");
        await Cluster.EventuallyAsync(() => Volatile.Read(ref reconciles) == 3);
    }

    [Fact]
    public async Task A_change_to_an_owned_object_reconciles_its_controlling_owner()
    {
        await using var cluster = await Cluster.StartAsync();
        var deployment = await cluster.CreateDeploymentAsync("web");
        await cluster.CreateDeploymentAsync("other");
        var reconciled = new ConcurrentQueue<ObjectKey>();
        var controller = new Controller<V1Deployment>(cluster.DeploymentInformer(), (request, _) =>
        {
            reconciled.Enqueue(request.Key);
            return Task.FromResult(ReconcileResult.Done);
        });
        controller.Owns(cluster.ConfigMapInformer(), "apps/v1", "Deployment");
        await using var running = Running.Start(controller.RunAsync);
        await Cluster.EventuallyAsync(() => reconciled.Count == 2);
        reconciled.Clear();

        await cluster.CreateConfigMapAsync("web-config", owner: Owner("apps/v1", "Deployment", "web", deployment.Metadata.Uid, controller: true));

        // Not owned as controller, or owned by another kind: no reconcile of anyone.
        await cluster.CreateConfigMapAsync("referencing", owner: Owner("apps/v1", "Deployment", "other", "uid-1", controller: false));
        await cluster.CreateConfigMapAsync("foreign", owner: Owner("v1", "Service", "other", "uid-2", controller: true));

        await Cluster.EventuallyAsync(() => reconciled.Contains(new ObjectKey("default", "web")));
        await Task.Delay(300);
        Assert.Equal([new ObjectKey("default", "web")], reconciled.Distinct());
    }

    [Fact]
    public async Task A_reconcile_that_throws_is_retried_with_backoff_until_it_succeeds()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateConfigMapAsync("flaky");
        var attempts = 0;
        var succeeded = new TaskCompletionSource();
        var controller = new Controller<V1ConfigMap>(cluster.ConfigMapInformer(), (_, _) =>
        {
            if (Interlocked.Increment(ref attempts) < 4)
            {
                throw new InvalidOperationException("not yet");
            }

            succeeded.TrySetResult();
            return Task.FromResult(ReconcileResult.Done);
        });
        await using var running = Running.Start(controller.RunAsync);

        await succeeded.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(4, attempts);
        Assert.Equal(3, controller.Queue.Retries);
        await Cluster.EventuallyAsync(() => controller.Queue.NumRequeues(new ObjectKey("default", "flaky")) == 0, what: "forgotten after success");
    }

    [Fact]
    public async Task A_successful_reconcile_comes_back_after_the_requested_delay_and_the_resync_period()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateConfigMapAsync("polled");
        await cluster.CreateConfigMapAsync("resynced");
        var counts = new ConcurrentDictionary<string, int>();
        var controller = new Controller<V1ConfigMap>(
            cluster.ConfigMapInformer(),
            (request, _) =>
            {
                counts.AddOrUpdate(request.Name, 1, (_, n) => n + 1);
                return Task.FromResult(request.Name == "polled" ? ReconcileResult.After(TimeSpan.FromMilliseconds(100)) : ReconcileResult.Done);
            },
            new ControllerOptions { ResyncPeriod = TimeSpan.FromMilliseconds(300) });
        await using var running = Running.Start(controller.RunAsync);

        await Cluster.EventuallyAsync(() => counts.GetValueOrDefault("polled") >= 5 && counts.GetValueOrDefault("resynced") >= 3);
        await cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("resynced", "default");
        await Task.Delay(100);
        var afterDelete = counts["resynced"];
        await Task.Delay(700);

        // A deleted object is reconciled once for its delete, then no longer resynced.
        Assert.InRange(counts["resynced"], afterDelete, afterDelete + 1);
    }

    [Fact]
    public async Task Under_random_500s_409s_and_dropped_watches_the_controller_still_reconciles_every_object()
    {
        await using var cluster = await Cluster.StartAsync();
        const int count = 30;
        for (var i = 0; i < count; i++)
        {
            await cluster.CreateConfigMapAsync("cm" + i, new Dictionary<string, string> { ["want"] = "v" + i });
        }

        using var errors = cluster.Faults.FailRequests(500, share: 0.15);
        using var conflicts = cluster.Faults.FailRequests(409, verb: "update", share: 0.3);
        cluster.Faults.CloseWatchesAfterEvents(3);
        cluster.Faults.CloseWatchesAfter(TimeSpan.FromMilliseconds(500));
        var client = cluster.Client;

        // The reconciler copies data["want"] to an annotation: a read and an update, each of which may fail.
        var metrics = new RecordingMetrics();
        var informer = new Informer<V1ConfigMap>(new KubernetesResourceClient<V1ConfigMap>(client, string.Empty, "v1", "configmaps", "default"), Cluster.FastInformer, metrics: metrics);
        var controller = new Controller<V1ConfigMap>(
            informer,
            async (request, cancellationToken) =>
            {
                V1ConfigMap current;
                try
                {
                    current = await client.CoreV1.ReadNamespacedConfigMapAsync(request.Name, request.Namespace, cancellationToken: cancellationToken);
                }
                catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
                {
                    return ReconcileResult.Done;
                }

                var want = current.Data["want"];
                if (current.GetAnnotation("reconciled") != want)
                {
                    current.SetAnnotation("reconciled", want);
                    await client.CoreV1.ReplaceNamespacedConfigMapAsync(current, request.Name, request.Namespace, cancellationToken: cancellationToken);
                }

                return ReconcileResult.Done;
            },
            new ControllerOptions { Name = "faulty", Workers = 4 },
            metrics: metrics);
        await using var running = Running.Start(controller.RunAsync);

        // Half-way, the wanted value changes for every object: the changes must arrive through the faulty watches.
        await Cluster.EventuallyAsync(() => Reconciled(controller, count, i => "v" + i), TimeSpan.FromSeconds(20), "first round");
        for (var i = 0; i < count; i++)
        {
            await RetryAsync(() => client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch($$$"""{"data":{"want":"w{{{i}}}"}}""", V1Patch.PatchType.MergePatch), "cm" + i, "default"));
        }

        await Cluster.EventuallyAsync(() => Reconciled(controller, count, i => "w" + i), TimeSpan.FromSeconds(20), "second round");
        Assert.True(controller.Queue.Retries > 0, "some reconciles failed and were retried");

        // What the host exports: backoff and watch restarts are visible.
        Assert.Equal(controller.Queue.Retries, metrics.Retries);
        Assert.True(metrics.Errors > 0 && metrics.Successes >= 2 * count, $"errors {metrics.Errors}, successes {metrics.Successes}");
        Assert.True(metrics.WatchRestarts > 0);
        Assert.False(running.Task.IsCompleted, "the controller is still running");
    }

    private static V1OwnerReference Owner(string apiVersion, string kind, string name, string uid, bool controller) => new()
    {
        ApiVersion = apiVersion,
        Kind = kind,
        Name = name,
        Uid = uid,
        Controller = controller,
        BlockOwnerDeletion = controller,
    };

    private static bool Reconciled(Controller<V1ConfigMap> controller, int count, Func<int, string> want)
    {
        // The controller's own cache is what the test reads: it must also have seen every update.
        var informer = controller.Informer;
        return Enumerable.Range(0, count).All(i => informer.Get(new ObjectKey("default", "cm" + i)) is { } cm && cm.Data["want"] == want(i) && cm.GetAnnotation("reconciled") == want(i));
    }

    private static async Task RetryAsync(Func<Task> call)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await call();
                return;
            }
            catch (HttpOperationException) when (attempt < 20)
            {
                // An injected 500 (the test's own write): try again.
            }
        }
    }

    private sealed class RecordingMetrics : IControllerMetrics
    {
        private long _retries;
        private long _errors;
        private long _successes;
        private long _watchRestarts;

        public long Retries => Interlocked.Read(ref _retries);

        public long Errors => Interlocked.Read(ref _errors);

        public long Successes => Interlocked.Read(ref _successes);

        public long WatchRestarts => Interlocked.Read(ref _watchRestarts);

        public void WatchRestarted(string resource, WatchRestartReason reason) => Interlocked.Increment(ref _watchRestarts);

        public void Relisted(string resource)
        {
        }

        public void QueueDepthChanged(string controller, int depth)
        {
        }

        public void Retried(string controller) => Interlocked.Increment(ref _retries);

        public void Reconciled(string controller, ReconcileOutcome outcome, TimeSpan duration) =>
            Interlocked.Increment(ref outcome == ReconcileOutcome.Error ? ref _errors : ref _successes);
    }
}
