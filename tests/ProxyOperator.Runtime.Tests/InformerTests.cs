using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace ProxyOperator.Runtime.Tests;

public sealed class InformerTests
{
    private static ConcurrentQueue<(ResourceEventType Type, string Name)> Record(Informer<V1ConfigMap> informer)
    {
        var seen = new ConcurrentQueue<(ResourceEventType, string)>();
        informer.Subscribe(change => seen.Enqueue((change.Type, change.Current.Metadata.Name)));
        return seen;
    }

    [Fact]
    public async Task An_informer_caches_and_reports_adds_updates_and_deletes()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateConfigMapAsync("before");
        var informer = cluster.ConfigMapInformer();
        var seen = Record(informer);
        await using var running = Running.Start(informer.RunAsync);
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(informer.HasSynced);

        var created = await cluster.CreateConfigMapAsync("web");
        created.Data = new Dictionary<string, string> { ["k"] = "v" };
        await cluster.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "web", "default");
        await Cluster.EventuallyAsync(() => informer.Get(new ObjectKey("default", "web"))?.Data?.ContainsKey("k") == true);
        await cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("before", "default");
        await Cluster.EventuallyAsync(() => informer.Get(new ObjectKey("default", "before")) is null);

        Assert.Equal(
            [(ResourceEventType.Added, "before"), (ResourceEventType.Added, "web"), (ResourceEventType.Updated, "web"), (ResourceEventType.Deleted, "before")],
            seen);
        Assert.Equal(["web"], informer.List().Select(c => c.Metadata.Name));
    }

    [Fact]
    public async Task An_informer_caches_and_reports_objects_as_its_transform_leaves_them()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateConfigMapAsync("listed");
        var options = new InformerOptions
        {
            InitialRetryDelay = TimeSpan.FromMilliseconds(10),
            Transform = obj =>
            {
                ((V1ConfigMap)obj).Metadata.ManagedFields = null;
                return obj;
            },
        };
        var informer = cluster.ConfigMapInformer(options);
        var handed = new ConcurrentQueue<V1ConfigMap>();
        informer.Subscribe(change => handed.Enqueue(change.Current));
        await using var running = Running.Start(informer.RunAsync);
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        // Server-side apply, so that the API server records the manager in managedFields.
        await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"watched\"},\"data\":{\"k\":\"v\"}}", V1Patch.PatchType.ApplyPatch),
            "watched", "default", fieldManager: "test");
        await Cluster.EventuallyAsync(() => informer.Get(new ObjectKey("default", "watched")) is not null);

        // The API server records who wrote each object; neither the cache nor the handlers keep it.
        Assert.NotEmpty((await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("watched", "default")).Metadata.ManagedFields);
        Assert.All(informer.List(), c => Assert.Null(c.Metadata.ManagedFields));
        Assert.Equal(["listed", "watched"], handed.Select(c => c.Metadata.Name));
        Assert.All(handed, c => Assert.Null(c.Metadata.ManagedFields));
    }

    [Fact]
    public async Task An_informer_with_a_label_selector_sees_only_matching_objects()
    {
        await using var cluster = await Cluster.StartAsync();
        var informer = cluster.ConfigMapInformer(labelSelector: "tier=web");
        await using var running = Running.Start(informer.RunAsync);
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "db", Labels = new Dictionary<string, string> { ["tier"] = "db" } } }, "default");
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "web", Labels = new Dictionary<string, string> { ["tier"] = "web" } } }, "default");

        await Cluster.EventuallyAsync(() => informer.Get(new ObjectKey("default", "web")) is not null);
        Assert.Null(informer.Get(new ObjectKey("default", "db")));
    }

    [Fact]
    public async Task An_informer_resumes_closed_watches_without_missing_or_repeating_events()
    {
        await using var cluster = await Cluster.StartAsync();
        var informer = cluster.ConfigMapInformer();
        var seen = Record(informer);

        // Every watch stream ends after two events (or 300 ms): the informer must resume from the last version it
        // applied. The limits apply to watches started after they are set, so before the informer starts.
        cluster.Faults.CloseWatchesAfterEvents(2);
        cluster.Faults.CloseWatchesAfter(TimeSpan.FromMilliseconds(300));
        await using var running = Running.Start(informer.RunAsync);
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 20; i++)
        {
            await cluster.CreateConfigMapAsync("c" + i);
        }

        await Cluster.EventuallyAsync(() => informer.List().Count == 20, what: "all 20 objects cached");
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (ResourceEventType.Added, "c" + i)), seen);
        Assert.True(informer.WatchRestarts >= 5, $"watch restarts: {informer.WatchRestarts}");
        Assert.Equal(0, informer.Relists);
    }

    [Fact]
    public async Task An_informer_relists_on_410_gone_and_reports_the_delete_it_missed()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateConfigMapAsync("kept");
        await cluster.CreateConfigMapAsync("removed");
        var informer = cluster.ConfigMapInformer();
        var seen = Record(informer);

        // The watch is down from the start (every watch request answers 500); the list still works.
        var watchDown = cluster.Faults.FailRequests(500, verb: "watch", resource: "configmaps");
        await using var running = Running.Start(informer.RunAsync);
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("removed", "default");
        await cluster.CreateConfigMapAsync("added");
        cluster.Faults.ExpireResourceVersions();
        watchDown.Dispose();

        await Cluster.EventuallyAsync(() => informer.Get(new ObjectKey("default", "removed")) is null && informer.Get(new ObjectKey("default", "added")) is not null);
        Assert.Equal(1, informer.Relists);
        Assert.Contains((ResourceEventType.Deleted, "removed"), seen);
        Assert.Contains((ResourceEventType.Added, "added"), seen);
        Assert.Equal(["added", "kept"], informer.List().Select(c => c.Metadata.Name).Order());
    }

    [Fact]
    public async Task An_informer_resumes_a_watch_that_goes_silent_after_its_idle_timeout()
    {
        await using var cluster = await Cluster.StartAsync(new KubeSandbox.KubeApiServerOptions { BookmarkInterval = TimeSpan.FromMinutes(10) });
        var options = Cluster.FastInformer;
        options.IdleTimeout = TimeSpan.FromMilliseconds(400);
        var informer = cluster.ConfigMapInformer(options);
        await using var running = Running.Start(informer.RunAsync);
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        await Cluster.EventuallyAsync(() => informer.WatchRestarts >= 2, what: "idle watches abandoned");
        await cluster.CreateConfigMapAsync("after-idle");

        await Cluster.EventuallyAsync(() => informer.Get(new ObjectKey("default", "after-idle")) is not null);
    }

    [Fact]
    public async Task An_informer_retries_a_failing_list_with_backoff_and_then_syncs()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateConfigMapAsync("a");
        using var listDown = cluster.Faults.FailRequests(500, verb: "list", resource: "configmaps", count: 3);
        var informer = cluster.ConfigMapInformer();
        await using var running = Running.Start(informer.RunAsync);

        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.NotNull(informer.Get(new ObjectKey("default", "a")));
        Assert.Equal(0, informer.Relists);
    }

    [Fact]
    public async Task An_informer_over_all_namespaces_keys_objects_by_namespace_and_name()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team" } });
        await cluster.CreateConfigMapAsync("same");
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "same" } }, "team");
        var informer = new Informer<V1ConfigMap>(new KubernetesResourceClient<V1ConfigMap>(cluster.Client, string.Empty, "v1", "configmaps"), Cluster.FastInformer);
        await using var running = Running.Start(informer.RunAsync);
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "later" } }, "team");

        await Cluster.EventuallyAsync(() => informer.Get(new ObjectKey("team", "later")) is not null);
        Assert.NotNull(informer.Get(new ObjectKey("default", "same")));
        Assert.NotNull(informer.Get(new ObjectKey("team", "same")));
        Assert.Equal("team/later", new ObjectKey("team", "later").ToString());
    }

    [Fact]
    public async Task Stopping_an_informer_closes_its_watch_connection()
    {
        var cluster = await Cluster.StartAsync();
        var informer = cluster.ConfigMapInformer();
        var running = Running.Start(informer.RunAsync);
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await cluster.CreateConfigMapAsync("seen");
        await Cluster.EventuallyAsync(() => informer.List().Count == 1);

        await running.DisposeAsync();

        // The server waits up to 2 s for open requests when it stops: a watch left open would use all of it.
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await cluster.DisposeAsync();
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(1.5), $"the server took {stopping.Elapsed} to stop");
    }
}
