using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ProxyOperator.Runtime;

/// <summary>
/// List + watch of one resource into an in-memory cache keyed by <see cref="ObjectKey"/>, with change notifications:
/// client-go's reflector and shared informer in one loop (k8s.io/client-go/tools/cache/reflector.go).
/// Watches resume from the last resourceVersion seen; a 410 Gone re-lists and synthesizes the deletes of objects that
/// disappeared meanwhile. Handlers run on the informer's loop, one at a time, and must be quick (enqueue a key).
/// </summary>
public sealed class Informer<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IResourceClient<T> _client;
    private readonly InformerOptions _options;
    private readonly ILogger _logger;
    private readonly IControllerMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<ObjectKey, T> _cache = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _handlersGate = new();
    private Action<ResourceEvent<T>>[] _handlers = [];
    private long _watchRestarts;
    private long _relists;
    private int _started;

    public Informer(IResourceClient<T> client, InformerOptions? options = null, ILogger? logger = null, IControllerMetrics? metrics = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _options = options ?? new InformerOptions();
        _logger = logger ?? NullLogger.Instance;
        _metrics = metrics ?? NullControllerMetrics.Instance;
        _clock = clock ?? TimeProvider.System;
    }

    public string Resource => _client.Resource;

    /// <summary>True once the first list has been stored (client-go's <c>HasSynced</c>).</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>Watches started again after the first, for any <see cref="WatchRestartReason"/>.</summary>
    public long WatchRestarts => Interlocked.Read(ref _watchRestarts);

    /// <summary>Lists after the first one (410 Gone).</summary>
    public long Relists => Interlocked.Read(ref _relists);

    public T? Get(ObjectKey key) => _cache.GetValueOrDefault(key);

    public IReadOnlyList<T> List() => [.. _cache.Values];

    /// <summary>Adds a handler of cache changes; add them before <see cref="RunAsync"/> so none misses the first list.</summary>
    public void Subscribe(Action<ResourceEvent<T>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_handlersGate)
        {
            _handlers = [.. _handlers, handler];
        }
    }

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>Lists and watches until <paramref name="cancellationToken"/> is cancelled, then returns.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException($"the informer of {Resource} is already running");
        }

        string? resourceVersion = null;
        var failures = 0;
        var lists = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    var list = await _client.ListAsync(cancellationToken).ConfigureAwait(false);
                    Replace(list.Items);
                    resourceVersion = list.ResourceVersion;
                    if (lists++ > 0)
                    {
                        Interlocked.Increment(ref _relists);
                        _metrics.Relisted(Resource);
                    }

                    RuntimeLog.Listed(_logger, Resource, list.Items.Count, resourceVersion);
                    _synced.TrySetResult();
                }

                var end = await WatchOnceAsync(resourceVersion, cancellationToken).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                resourceVersion = end.Reason == WatchRestartReason.Expired ? null : end.ResourceVersion;
                Interlocked.Increment(ref _watchRestarts);
                _metrics.WatchRestarted(Resource, end.Reason);
                if (end.Reason == WatchRestartReason.Failed)
                {
                    RuntimeLog.WatchFailed(_logger, Resource, end.Error);
                    await DelayAfterFailureAsync(++failures, cancellationToken).ConfigureAwait(false);
                }
                else if (end.Reason == WatchRestartReason.Closed && !end.Delivered)
                {
                    // Not even a bookmark: a server (or proxy) that ends watches at once must not make this a hot loop.
                    RuntimeLog.WatchRestarting(_logger, Resource, end.Reason);
                    await DelayAfterFailureAsync(++failures, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    RuntimeLog.WatchRestarting(_logger, Resource, end.Reason);
                    failures = 0;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (ApiFailure.IsRetriable(e))
            {
                // A failed list: the cache keeps its last state; try again after the backoff.
                RuntimeLog.ListFailed(_logger, Resource, e);
                await DelayAfterFailureAsync(++failures, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<WatchEnd> WatchOnceAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        var state = new WatchState(_clock);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var idleTimeout = _options.IdleTimeout ?? _options.WatchTimeout + TimeSpan.FromSeconds(30);
        var check = idleTimeout / 4;
        using var watchdog = _clock.CreateTimer(
            _ =>
            {
                if (state.IdleFor() >= idleTimeout)
                {
                    state.Idle = true;
                    try
                    {
                        stop.Cancel();
                    }
                    catch (ObjectDisposedException)
                    {
                        // A tick racing the end of the watch: it is over already.
                    }
                }
            },
            null,
            check,
            check);

        // KubernetesClient reports an ERROR event (410 Expired) and an event it cannot read only through onError and
        // then carries on with the next line (Watcher.CreateWatchEventEnumerator). Applying later events would lose
        // the dropped one, so the first error ends this watch and the next resumes from the last applied version.
        void OnError(Exception error)
        {
            state.Fail(error);
            stop.Cancel();
        }

        var timeoutSeconds = (int)Math.Ceiling(_options.WatchTimeout.TotalSeconds);
        var rv = resourceVersion;
        try
        {
            await foreach (var (type, obj) in _client.WatchAsync(resourceVersion, timeoutSeconds, OnError, stop.Token).WithCancellation(stop.Token).ConfigureAwait(false))
            {
                state.Touch();
                if (state.Error is not null)
                {
                    break;
                }

                switch (type)
                {
                    case WatchEventType.Added or WatchEventType.Modified:
                        Upsert(obj);
                        break;
                    case WatchEventType.Deleted:
                        Remove(obj);
                        break;
                }

                rv = obj.Metadata?.ResourceVersion is { Length: > 0 } version ? version : rv;
                state.Delivered = true;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Stopped by OnError or the idle watchdog; which one is in the state.
        }
        catch (Exception e) when (ApiFailure.IsRetriable(e))
        {
            state.Fail(e);
        }

        var reason = state.Error switch
        {
            { } error when ApiFailure.IsGone(error) => WatchRestartReason.Expired,
            not null => WatchRestartReason.Failed,
            _ when state.Idle => WatchRestartReason.Idle,
            _ => WatchRestartReason.Closed,
        };
        return new WatchEnd(reason, rv, state.Delivered, state.Error);
    }

    private async Task DelayAfterFailureAsync(int failures, CancellationToken cancellationToken)
    {
        // A cancelled delay just ends early: the loop sees the cancellation and returns.
        var delay = ExponentialBackoff.Delay(_options.InitialRetryDelay, _options.MaxRetryDelay, failures - 1);
        await Task.Delay(delay, _clock, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Stores a full list: adds and updates what changed, synthesizes deletes for what is gone.</summary>
    private void Replace(IReadOnlyList<T> items)
    {
        var seen = new HashSet<ObjectKey>();
        foreach (var item in items)
        {
            seen.Add(ObjectKey.Of(item));
            Upsert(item, onlyIfChanged: true);
        }

        foreach (var (key, old) in _cache)
        {
            if (!seen.Contains(key) && _cache.TryRemove(key, out _))
            {
                Raise(new ResourceEvent<T>(ResourceEventType.Deleted, old, old));
            }
        }
    }

    private T Transformed(T obj) => _options.Transform is { } transform ? (T)transform(obj) : obj;

    private void Upsert(T obj, bool onlyIfChanged = false)
    {
        obj = Transformed(obj);
        var key = ObjectKey.Of(obj);
        if (_cache.TryGetValue(key, out var old))
        {
            if (onlyIfChanged && old.Metadata?.ResourceVersion == obj.Metadata?.ResourceVersion)
            {
                return;
            }

            _cache[key] = obj;
            Raise(new ResourceEvent<T>(ResourceEventType.Updated, obj, old));
        }
        else
        {
            _cache[key] = obj;
            Raise(new ResourceEvent<T>(ResourceEventType.Added, obj));
        }
    }

    private void Remove(T obj)
    {
        obj = Transformed(obj);
        _cache.TryRemove(ObjectKey.Of(obj), out var old);
        Raise(new ResourceEvent<T>(ResourceEventType.Deleted, obj, old));
    }

    private void Raise(ResourceEvent<T> change)
    {
        foreach (var handler in Volatile.Read(ref _handlers))
        {
            handler(change);
        }
    }

    private sealed record WatchEnd(WatchRestartReason Reason, string ResourceVersion, bool Delivered, Exception? Error);

    private sealed class WatchState(TimeProvider clock)
    {
        private long _lastActivity = clock.GetTimestamp();
        private Exception? _error;

        public Exception? Error => Volatile.Read(ref _error);

        public volatile bool Idle;

        public bool Delivered;

        public void Touch() => Volatile.Write(ref _lastActivity, clock.GetTimestamp());

        public TimeSpan IdleFor() => clock.GetElapsedTime(Volatile.Read(ref _lastActivity));

        public void Fail(Exception error) => Interlocked.CompareExchange(ref _error, error, null);
    }
}
