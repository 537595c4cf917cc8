using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace ProxyOperator.Runtime;

/// <summary>
/// client-go's rate-limited delaying work queue (k8s.io/client-go/util/workqueue): a key added many times before a
/// worker takes it is processed once; a key added while it is being processed is queued again once
/// <see cref="Done"/> is called, so no key is ever processed by two workers at once. Failures back off per key
/// exponentially (<see cref="WorkQueueOptions.BaseRetryDelay"/> doubling up to <see cref="WorkQueueOptions.MaxRetryDelay"/>,
/// controller-runtime's default 5 ms to 1000 s) until <see cref="Forget"/>.
/// </summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "client-go's name for it; it is a queue.")]
public sealed class WorkQueue : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Channel<ObjectKey> _ready = Channel.CreateUnbounded<ObjectKey>();
    private readonly HashSet<ObjectKey> _dirty = [];
    private readonly HashSet<ObjectKey> _processing = [];
    private readonly Dictionary<ObjectKey, Delayed> _waiting = [];
    private readonly Dictionary<ObjectKey, int> _failures = [];
    private readonly WorkQueueOptions _options;
    private readonly TimeProvider _clock;
    private readonly Action<int> _depthChanged;
    private bool _shuttingDown;
    private long _retries;

    public WorkQueue(WorkQueueOptions? options = null, TimeProvider? clock = null, Action<int>? depthChanged = null)
    {
        _options = options ?? new WorkQueueOptions();
        _clock = clock ?? TimeProvider.System;
        _depthChanged = depthChanged ?? (_ => { });
    }

    /// <summary>Keys ready for a worker (not those waiting for a delay, nor those being processed).</summary>
    public int Depth => _ready.Reader.Count;

    /// <summary>Keys put back with failure backoff, in total.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    public bool IsShuttingDown
    {
        get
        {
            lock (_gate)
            {
                return _shuttingDown;
            }
        }
    }

    public void Add(ObjectKey key)
    {
        lock (_gate)
        {
            if (_shuttingDown || !_dirty.Add(key) || _processing.Contains(key))
            {
                return;
            }

            _ready.Writer.TryWrite(key);
        }

        _depthChanged(Depth);
    }

    /// <summary>Adds <paramref name="key"/> once <paramref name="delay"/> has passed; an earlier pending time wins.</summary>
    public void AddAfter(ObjectKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (_gate)
        {
            if (_shuttingDown)
            {
                return;
            }

            var readyAt = _clock.GetUtcNow() + delay;
            if (_waiting.TryGetValue(key, out var pending))
            {
                if (pending.ReadyAt <= readyAt)
                {
                    return;
                }

                pending.Timer?.Dispose();
            }

            var delayed = new Delayed(readyAt);
            _waiting[key] = delayed;
            delayed.Timer = _clock.CreateTimer(_ => Fire(key, delayed), null, delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Adds <paramref name="key"/> after its next failure backoff (client-go's <c>AddRateLimited</c>).</summary>
    public void AddRateLimited(ObjectKey key)
    {
        TimeSpan delay;
        lock (_gate)
        {
            var failures = _failures.GetValueOrDefault(key);
            _failures[key] = failures + 1;
            delay = ExponentialBackoff.Delay(_options.BaseRetryDelay, _options.MaxRetryDelay, failures);
        }

        Interlocked.Increment(ref _retries);
        AddAfter(key, delay);
    }

    /// <summary>Clears the failure count of <paramref name="key"/>: its next failure backs off from the start again.</summary>
    public void Forget(ObjectKey key)
    {
        lock (_gate)
        {
            _failures.Remove(key);
        }
    }

    /// <summary>Failures of <paramref name="key"/> since it was last forgotten.</summary>
    public int NumRequeues(ObjectKey key)
    {
        lock (_gate)
        {
            return _failures.GetValueOrDefault(key);
        }
    }

    /// <summary>
    /// The next key to process, or null once the queue is shut down and drained. The caller must call
    /// <see cref="Done"/> with it.
    /// </summary>
    public async Task<ObjectKey?> GetAsync(CancellationToken cancellationToken)
    {
        while (await _ready.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_ready.Reader.TryRead(out var key))
            {
                lock (_gate)
                {
                    _processing.Add(key);
                    _dirty.Remove(key);
                }

                _depthChanged(Depth);
                return key;
            }
        }

        return null;
    }

    /// <summary>Marks <paramref name="key"/> processed; if it was added meanwhile, it is queued again now.</summary>
    public void Done(ObjectKey key)
    {
        lock (_gate)
        {
            _processing.Remove(key);
            if (_dirty.Contains(key))
            {
                _ready.Writer.TryWrite(key);
            }
        }

        _depthChanged(Depth);
    }

    /// <summary>Stops accepting keys and drops delayed ones; workers get the keys already queued, then null.</summary>
    public void ShutDown()
    {
        lock (_gate)
        {
            _shuttingDown = true;
            foreach (var (_, pending) in _waiting)
            {
                pending.Timer?.Dispose();
            }

            _waiting.Clear();

            // Readers still get the keys already queued (client-go's ShutDown drains too); Done can no longer re-queue.
            _ready.Writer.TryComplete();
        }
    }

    public void Dispose() => ShutDown();

    private void Fire(ObjectKey key, Delayed delayed)
    {
        lock (_gate)
        {
            // A timer replaced by an earlier one may still fire once: only the current entry counts.
            if (!_waiting.TryGetValue(key, out var current) || current != delayed)
            {
                return;
            }

            _waiting.Remove(key);
            delayed.Timer?.Dispose();
        }

        Add(key);
    }

    private sealed class Delayed(DateTimeOffset readyAt)
    {
        public DateTimeOffset ReadyAt { get; } = readyAt;

        public ITimer? Timer { get; set; }
    }
}
