using System.Net;
using System.Threading.Channels;
using k8s;
using k8s.Models;

namespace ProxyOperator.KubeSandbox.Tests;

public sealed class WatchTests
{
    private static V1ConfigMap ConfigMap(string name, string? tier = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = tier is null ? null : new Dictionary<string, string> { ["tier"] = tier } },
    };

    private static async Task<List<(WatchEventType Type, string Name)>> TakeAsync(IAsyncEnumerable<(WatchEventType, V1ConfigMap)> events, int count)
    {
        var seen = new List<(WatchEventType, string)>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await foreach (var (type, item) in events.WithCancellation(timeout.Token))
        {
            seen.Add((type, item.Metadata.Name));
            if (seen.Count == count)
            {
                break;
            }
        }

        return seen;
    }

    [Fact]
    public async Task A_watch_from_zero_sends_current_objects_then_changes()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var core = sandbox.Client.CoreV1;
        await core.CreateNamespacedConfigMapAsync(ConfigMap("old"), "default");

        var events = core.WatchListNamespacedConfigMapAsync("default", resourceVersion: "0", timeoutSeconds: 10);
        var taking = TakeAsync(events, 4);
        await Task.Delay(200);
        var created = await core.CreateNamespacedConfigMapAsync(ConfigMap("new"), "default");
        created.Data = new Dictionary<string, string> { ["a"] = "b" };
        await core.ReplaceNamespacedConfigMapAsync(created, "new", "default");
        await core.DeleteNamespacedConfigMapAsync("new", "default");

        Assert.Equal(
            [(WatchEventType.Added, "old"), (WatchEventType.Added, "new"), (WatchEventType.Modified, "new"), (WatchEventType.Deleted, "new")],
            await taking);
    }

    [Fact]
    public async Task A_watch_resumes_after_a_resource_version_without_repeating_or_losing_events()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var core = sandbox.Client.CoreV1;
        await core.CreateNamespacedConfigMapAsync(ConfigMap("before"), "default");
        var list = await core.ListNamespacedConfigMapAsync("default");
        await core.CreateNamespacedConfigMapAsync(ConfigMap("missed-1"), "default");
        await core.CreateNamespacedConfigMapAsync(ConfigMap("missed-2"), "default");

        var events = core.WatchListNamespacedConfigMapAsync("default", resourceVersion: list.Metadata.ResourceVersion, timeoutSeconds: 10);

        Assert.Equal([(WatchEventType.Added, "missed-1"), (WatchEventType.Added, "missed-2")], await TakeAsync(events, 2));
    }

    [Fact]
    public async Task A_watch_from_an_expired_resource_version_gets_410_gone_through_on_error()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var core = sandbox.Client.CoreV1;
        await core.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");
        var list = await core.ListNamespacedConfigMapAsync("default");
        await core.CreateNamespacedConfigMapAsync(ConfigMap("b"), "default");
        sandbox.Server.Faults.ExpireResourceVersions();

        var errors = Channel.CreateUnbounded<Exception>();
        var events = core.WatchListNamespacedConfigMapAsync("default", resourceVersion: list.Metadata.ResourceVersion, timeoutSeconds: 10, onError: e => errors.Writer.TryWrite(e));
        Assert.Empty(await TakeAsync(events, 1));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var error = await errors.Reader.ReadAsync(timeout.Token);

        var status = Assert.IsType<k8s.KubernetesException>(error).Status;
        Assert.Equal(410, status.Code);
        Assert.Equal("Expired", status.Reason);
    }

    [Fact]
    public async Task A_watch_with_a_label_selector_sees_objects_leaving_the_selection_as_deleted()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var core = sandbox.Client.CoreV1;
        var events = core.WatchListNamespacedConfigMapAsync("default", labelSelector: "tier=web", timeoutSeconds: 10);
        var taking = TakeAsync(events, 3);
        await Task.Delay(200);

        await core.CreateNamespacedConfigMapAsync(ConfigMap("ignored", "db"), "default");
        var web = await core.CreateNamespacedConfigMapAsync(ConfigMap("web", "web"), "default");
        web.Metadata.Labels["tier"] = "db";
        var moved = await core.ReplaceNamespacedConfigMapAsync(web, "web", "default");
        moved.Metadata.Labels["tier"] = "web";
        await core.ReplaceNamespacedConfigMapAsync(moved, "web", "default");

        Assert.Equal([(WatchEventType.Added, "web"), (WatchEventType.Deleted, "web"), (WatchEventType.Added, "web")], await taking);
    }

    [Fact]
    public async Task A_watch_asking_for_bookmarks_gets_them_with_the_current_resource_version()
    {
        await using var sandbox = await Sandbox.StartAsync(new KubeApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(100) });
        var list = await sandbox.Client.CoreV1.ListNamespacedConfigMapAsync("default");
        var events = sandbox.Client.CoreV1.WatchListNamespacedConfigMapAsync("default", allowWatchBookmarks: true, resourceVersion: list.Metadata.ResourceVersion, timeoutSeconds: 10);

        var first = await TakeAsync(events, 1);

        Assert.Equal(WatchEventType.Bookmark, first[0].Type);
    }

    [Fact]
    public async Task A_streaming_list_sends_the_current_state_then_a_bookmark_marking_its_end()
    {
        await using var sandbox = await Sandbox.StartAsync();
        await sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");

        using var response = await sandbox.Http.GetAsync(
            new Uri("api/v1/namespaces/default/configmaps?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1", UriKind.Relative));
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!).ToList();

        Assert.Equal("ADDED", (string?)lines[0]["type"]);
        Assert.Equal("BOOKMARK", (string?)lines[1]["type"]);
        Assert.Equal("true", (string?)lines[1]["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]);
    }

    [Fact]
    public async Task A_watch_ends_when_its_timeout_passes()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var started = DateTime.UtcNow;

        // Raw HTTP: KubernetesClient reports a watch that ends without any event as an HttpRequestException.
        using var response = await sandbox.Http.GetAsync(new Uri("api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1", UriKind.Relative));
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());

        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task Resuming_from_a_version_older_than_the_retained_history_is_expired()
    {
        await using var sandbox = await Sandbox.StartAsync(new KubeApiServerOptions { WatchHistoryPerResource = 2 });
        var core = sandbox.Client.CoreV1;
        var list = await core.ListNamespacedConfigMapAsync("default");
        for (var i = 0; i < 4; i++)
        {
            await core.CreateNamespacedConfigMapAsync(ConfigMap("c" + i), "default");
        }

        using var response = await sandbox.Http.GetAsync(new Uri($"api/v1/namespaces/default/configmaps?watch=1&resourceVersion={list.Metadata.ResourceVersion}", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"type\":\"ERROR\"", body, StringComparison.Ordinal);
        Assert.Contains("\"code\":410", body, StringComparison.Ordinal);
        Assert.Contains("too old resource version", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_watch_closed_by_a_fault_ends_after_the_given_number_of_events()
    {
        await using var sandbox = await Sandbox.StartAsync();
        sandbox.Server.Faults.CloseWatchesAfterEvents(1);
        await sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");
        await sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b"), "default");

        var seen = new List<string>();
        await foreach (var (_, item) in sandbox.Client.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: "0", timeoutSeconds: 10))
        {
            seen.Add(item.Metadata.Name);
        }

        Assert.Equal(["a"], seen);
    }
}
