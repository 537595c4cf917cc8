using System.Globalization;
using System.Text.Json.Nodes;

namespace ProxyOperator.KubeSandbox.Storage;

/// <summary>
/// Every object of every resource, one global resourceVersion counter (like etcd's revision), and a bounded
/// history of changes per resource from which watches resume. All members must be called while holding <see cref="Gate"/>:
/// one lock keeps a write, its resourceVersion and its watch event in one order, which is what watchers rely on.
/// </summary>
internal sealed class ObjectStore(int historyPerResource)
{
    private readonly Dictionary<(string Group, string Resource), SortedDictionary<string, JsonObject>> _objects = [];
    private readonly Dictionary<(string Group, string Resource), History> _histories = [];
    private readonly List<WatchSubscription> _subscriptions = [];
    private long _resourceVersion = 1;
    private long _compactedAtLeast;

    public Lock Gate { get; } = new();

    public long CurrentResourceVersion => _resourceVersion;

    public static string Key(string? ns, string name) => (ns ?? string.Empty) + "/" + name;

    public JsonObject? Get(string group, string resource, string? ns, string name) =>
        _objects.TryGetValue((group, resource), out var objects) && objects.TryGetValue(Key(ns, name), out var found) ? found : null;

    /// <summary>Objects ordered by namespace then name (the order of etcd keys, which limit/continue pages through).</summary>
    public IEnumerable<KeyValuePair<string, JsonObject>> List(string group, string resource, string? ns)
    {
        if (!_objects.TryGetValue((group, resource), out var objects))
        {
            return [];
        }

        return ns is null ? objects : objects.Where(pair => pair.Key.StartsWith(ns + "/", StringComparison.Ordinal));
    }

    public IEnumerable<(string Group, string Resource, JsonObject Object)> Everything() =>
        _objects.SelectMany(byResource => byResource.Value.Values.Select(o => (byResource.Key.Group, byResource.Key.Resource, o)));

    /// <summary>Stores <paramref name="obj"/> (ADDED or MODIFIED) with the next resourceVersion and tells watchers.</summary>
    public JsonObject Put(string group, string resource, JsonObject obj, JsonObject? previous)
    {
        var rv = ++_resourceVersion;
        Meta.Metadata(obj)["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        if (!_objects.TryGetValue((group, resource), out var objects))
        {
            objects = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            _objects[(group, resource)] = objects;
        }

        objects[Key(Meta.Namespace(obj), Meta.Name(obj))] = obj;
        Record(group, resource, new StoredEvent(previous is null ? "ADDED" : "MODIFIED", obj, previous, rv));
        return obj;
    }

    /// <summary>
    /// Removes an object. Its DELETED event carries a new resourceVersion, as the API server's does, so that a watch
    /// resumed from the deletion does not see it again.
    /// </summary>
    public JsonObject Remove(string group, string resource, JsonObject obj)
    {
        var rv = ++_resourceVersion;
        if (_objects.TryGetValue((group, resource), out var objects))
        {
            objects.Remove(Key(Meta.Namespace(obj), Meta.Name(obj)));
        }

        var deleted = obj.DeepClone().AsObject();
        Meta.Metadata(deleted)["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        Record(group, resource, new StoredEvent("DELETED", deleted, obj, rv));
        return deleted;
    }

    /// <summary>Forgets every object of a resource (a deleted CustomResourceDefinition), telling watchers of each.</summary>
    public void RemoveAll(string group, string resource)
    {
        foreach (var obj in List(group, resource, null).Select(p => p.Value).ToList())
        {
            Remove(group, resource, obj);
        }

        foreach (var subscription in _subscriptions.Where(s => s.Group == group && s.Resource == resource).ToList())
        {
            subscription.Events.Writer.TryComplete();
        }
    }

    /// <summary>
    /// Starts a watch after <paramref name="fromResourceVersion"/>: returns the retained events after it, or null when
    /// they are no longer all retained (the caller answers 410 Expired, as etcd compaction makes the API server do).
    /// </summary>
    public IReadOnlyList<StoredEvent>? EventsSince(string group, string resource, long fromResourceVersion)
    {
        var history = HistoryOf(group, resource);
        if (fromResourceVersion < history.CompactedThrough)
        {
            return null;
        }

        return history.Events.Where(e => e.ResourceVersion > fromResourceVersion).ToList();
    }

    public WatchSubscription Subscribe(string group, string resource)
    {
        var subscription = new WatchSubscription(group, resource, this);
        _subscriptions.Add(subscription);
        return subscription;
    }

    public void Unsubscribe(WatchSubscription subscription)
    {
        _subscriptions.Remove(subscription);
        subscription.Events.Writer.TryComplete();
    }

    /// <summary>Drops all retained history: any watch resumed from a resourceVersion before now gets 410 Expired.</summary>
    public void Compact()
    {
        foreach (var history in _histories.Values)
        {
            history.Events.Clear();
            history.CompactedThrough = _resourceVersion;
        }

        // Resources never written have no history yet: compact them from the start too.
        _compactedAtLeast = _resourceVersion;
    }

    private History HistoryOf(string group, string resource)
    {
        if (!_histories.TryGetValue((group, resource), out var history))
        {
            history = new History { CompactedThrough = _compactedAtLeast };
            _histories[(group, resource)] = history;
        }

        return history;
    }

    private void Record(string group, string resource, StoredEvent storedEvent)
    {
        var history = HistoryOf(group, resource);
        history.Events.Enqueue(storedEvent);
        while (history.Events.Count > historyPerResource)
        {
            history.CompactedThrough = history.Events.Dequeue().ResourceVersion;
        }

        foreach (var subscription in _subscriptions)
        {
            if (subscription.Group == group && subscription.Resource == resource)
            {
                subscription.Events.Writer.TryWrite(storedEvent);
            }
        }
    }

    private sealed class History
    {
        public Queue<StoredEvent> Events { get; } = new();

        public long CompactedThrough { get; set; }
    }
}
