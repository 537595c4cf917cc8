using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ProxyOperator.KubeSandbox.Http;
using ProxyOperator.KubeSandbox.Storage;
using ProxyOperator.KubeSandbox.Tables;

namespace ProxyOperator.KubeSandbox.Watch;

/// <summary>
/// Serves one watch: a chunked stream of JSON lines <c>{"type":..., "object":...}</c>
/// (https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes).
/// Starting from resourceVersion "" or "0" it first sends the current objects as ADDED; from any other version it
/// replays the retained history after it, or sends one ERROR event with a 410 Expired Status when that is gone.
/// </summary>
internal sealed class WatchStream(ObjectStore store, FaultInjector faults, TimeSpan bookmarkInterval, TimeProvider clock)
{
    public async Task ServeAsync(HttpContext context, WatchRequest request)
    {
        var definition = request.Definition;
        List<(string Type, JsonObject Object)> initial;
        WatchSubscription? subscription = null;
        JsonObject? expired = null;
        long snapshot;
        lock (store.Gate)
        {
            snapshot = store.CurrentResourceVersion;
            if (request.SendInitialEvents || request.ResourceVersion is null or "" or "0")
            {
                initial = store.List(definition.Group, definition.Plural, request.Namespace)
                    .Select(p => p.Value)
                    .Where(o => InScope(request, o))
                    .Select(o => ("ADDED", o))
                    .ToList();
            }
            else
            {
                var since = long.TryParse(request.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var rv)
                    ? store.EventsSince(definition.Group, definition.Plural, rv)
                    : throw new ApiException(Statuses.BadRequest($"invalid resource version \"{request.ResourceVersion}\""));
                initial = since?.Select(e => Filter(request, e)).OfType<(string, JsonObject)>().ToList() ?? [];
                if (since is null)
                {
                    expired = Statuses.Expired($"too old resource version: {request.ResourceVersion} ({store.CurrentResourceVersion})");
                }
            }

            if (expired is null)
            {
                subscription = store.Subscribe(definition.Group, definition.Plural);
            }
        }

        if (subscription is null)
        {
            // A real API server accepts the watch and then reports the compaction in-stream.
            context.Response.ContentType = "application/json";
            await WriteEventAsync(context, "ERROR", expired!);
            return;
        }

        using (subscription)
        {
            await StreamAsync(context, request, initial, subscription, snapshot);
        }
    }

    private async Task StreamAsync(HttpContext context, WatchRequest request, List<(string Type, JsonObject Object)> initial, WatchSubscription subscription, long snapshot)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-cache, private";
        await context.Response.StartAsync(context.RequestAborted);

        var (maxEvents, maxDuration) = faults.WatchLimits();
        var started = clock.GetUtcNow();
        var deadline = started + Min(request.Timeout, maxDuration, TimeSpan.FromMinutes(30));
        var nextBookmark = started + bookmarkInterval;
        var sent = 0;

        // Bookmarks carry the version of the last event this stream has taken from its queue, never a newer one:
        // a client resuming from a bookmark must not skip events still queued here.
        var seenThrough = snapshot;
        var aborted = context.RequestAborted;

        foreach (var (type, obj) in initial)
        {
            await WriteEventAsync(context, type, Present(request, obj, sent));
            if (++sent >= maxEvents)
            {
                return;
            }
        }

        if (request.SendInitialEvents)
        {
            // The streaming-list protocol: a bookmark annotated k8s.io/initial-events-end closes the initial state
            // (https://kubernetes.io/docs/reference/using-api/api-concepts/#streaming-lists).
            var end = Bookmark(request, snapshot);
            end["metadata"]!["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
            await WriteEventAsync(context, "BOOKMARK", end);
        }

        await context.Response.Body.FlushAsync(aborted);
        Task<bool>? pending = null;
        var reader = subscription.Events.Reader;
        while (!aborted.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            if (now >= deadline)
            {
                return;
            }

            if (request.Bookmarks && now >= nextBookmark)
            {
                await WriteEventAsync(context, "BOOKMARK", Bookmark(request, seenThrough));
                await context.Response.Body.FlushAsync(aborted);
                nextBookmark = now + bookmarkInterval;
            }

            pending ??= reader.WaitToReadAsync(aborted).AsTask();
            var wake = request.Bookmarks && nextBookmark < deadline ? nextBookmark : deadline;
            var delay = wake - now;
            using var delayCancel = CancellationTokenSource.CreateLinkedTokenSource(aborted);
            var finished = await Task.WhenAny(pending, Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, clock, delayCancel.Token));
            await delayCancel.CancelAsync();
            if (finished != pending)
            {
                continue;
            }

            if (!await SafeAsync(pending))
            {
                return;
            }

            pending = null;
            while (reader.TryRead(out var storedEvent))
            {
                seenThrough = storedEvent.ResourceVersion;
                if (Filter(request, storedEvent) is not { } selected)
                {
                    continue;
                }

                await WriteEventAsync(context, selected.Type, Present(request, selected.Object, sent));
                if (++sent >= maxEvents)
                {
                    return;
                }
            }

            await context.Response.Body.FlushAsync(aborted);
        }
    }

    private static async Task<bool> SafeAsync(Task<bool> pending)
    {
        try
        {
            return await pending;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static TimeSpan Min(params TimeSpan?[] spans) => spans.OfType<TimeSpan>().Min();

    private static bool InScope(WatchRequest request, JsonObject? obj) =>
        obj is not null
        && (request.Namespace is null || Meta.Namespace(obj) == request.Namespace)
        && request.Labels.Matches(Meta.Labels(obj))
        && request.Fields.Matches(obj);

    /// <summary>
    /// What a watcher with selectors sees of a change: an object moving into the selection is ADDED, one moving out is
    /// DELETED, as the API server's watch cache reports them.
    /// </summary>
    private static (string Type, JsonObject Object)? Filter(WatchRequest request, StoredEvent storedEvent)
    {
        switch (storedEvent.Type)
        {
            case "ADDED":
                return InScope(request, storedEvent.Object) ? ("ADDED", storedEvent.Object) : null;
            case "DELETED":
                return InScope(request, storedEvent.Previous ?? storedEvent.Object) ? ("DELETED", storedEvent.Object) : null;
            default:
                var was = InScope(request, storedEvent.Previous);
                var @is = InScope(request, storedEvent.Object);
                return (was, @is) switch
                {
                    (true, true) => ("MODIFIED", storedEvent.Object),
                    (false, true) => ("ADDED", storedEvent.Object),
                    (true, false) => ("DELETED", storedEvent.Object),
                    _ => null,
                };
        }
    }

    /// <summary>An event's object; as Tables, only the stream's first event carries the column definitions, as on a cluster.</summary>
    private JsonObject Present(WatchRequest request, JsonObject obj, int sentBefore)
    {
        var presented = Presentation.Present(request.Definition, request.Version, obj);
        if (!request.AsTable)
        {
            return presented;
        }

        var table = TableConverter.Convert(request.Definition, request.Version, [presented], Meta.ResourceVersion(obj), null, request.IncludeObject, clock.GetUtcNow());
        if (sentBefore > 0)
        {
            table["columnDefinitions"] = null;
        }

        return table;
    }

    private static JsonObject Bookmark(WatchRequest request, long resourceVersion)
    {
        var rv = resourceVersion.ToString(CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["kind"] = request.Definition.Kind,
            ["apiVersion"] = request.Definition.ApiVersion(request.Version),
            ["metadata"] = new JsonObject { ["resourceVersion"] = rv },
        };
    }

    private static async Task WriteEventAsync(HttpContext context, string type, JsonObject obj)
    {
        var line = new JsonObject { ["type"] = type, ["object"] = obj }.ToJsonString(Presentation.JsonOptions) + "\n";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), context.RequestAborted);
    }
}
