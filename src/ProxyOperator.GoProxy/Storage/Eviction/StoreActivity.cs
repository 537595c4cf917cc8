using ProxyOperator.Modules;

namespace ProxyOperator.GoProxy.Storage.Eviction;

/// <summary>
/// What the serving path tells eviction: which versions are in use now (pins), which were just served (access
/// times, for least-recently-used order) and that a commit may have pushed usage over the bound.
/// </summary>
/// <remarks>
/// Pins are how "eviction never removes an artifact that is being served or written" holds: a request pins its
/// version from the storage lookup until the last byte is sent, and a fetch pins it from the upstream request until
/// the commit. Eviction claims a version before deleting it, and only an unpinned one; a request arriving during the
/// delete waits for it (a few file operations) and then finds the version gone and fetches it again. So a version
/// cannot disappear between its commit and the read that serves it.
/// The set is per replica. Deleting a file another replica is reading is still safe on a local filesystem (an open
/// stream of an unlinked file keeps reading) and on S3 (a GET in progress completes); at worst the other replica
/// fetches the version again. An admin purge does not wait for pins: an operator who asks to remove a version means
/// it, and readers are safe anyway.
/// </remarks>
public sealed class StoreActivity(IModuleStore store) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(ModulePath Module, string Version), Entry> _entries = [];
    private readonly IStoreMaintenance? _maintenance = store as IStoreMaintenance;
    private readonly SemaphoreSlim _committed = new(0, 1);

    /// <summary>Versions pinned or being evicted now; for tests and diagnostics.</summary>
    public int ActiveVersions
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>
    /// Pins a version until the returned handle is disposed; pins nest. Waits while eviction is deleting that version.
    /// </summary>
    public async ValueTask<IDisposable> PinAsync(ModulePath module, string version, CancellationToken cancellationToken)
    {
        var key = (module, version);
        while (true)
        {
            Task evicting;
            lock (_gate)
            {
                if (!_entries.TryGetValue(key, out var entry))
                {
                    _entries[key] = new Entry { Pins = 1 };
                    return new Pin(this, key);
                }

                if (entry.Evicting is null)
                {
                    entry.Pins++;
                    return new Pin(this, key);
                }

                evicting = entry.Evicting.Task;
            }

            await evicting.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public bool IsPinned(ModulePath module, string version)
    {
        lock (_gate)
        {
            return _entries.TryGetValue((module, version), out var entry) && entry.Pins > 0;
        }
    }

    /// <summary>
    /// Claims an unpinned version for deletion: until the claim is disposed, <see cref="PinAsync"/> for it waits.
    /// Null when the version is pinned (or already claimed), so eviction must leave it.
    /// </summary>
    public IDisposable? TryClaimForEviction(ModulePath module, string version)
    {
        var key = (module, version);
        lock (_gate)
        {
            if (_entries.ContainsKey(key))
            {
                return null;
            }

            var entry = new Entry { Evicting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
            _entries[key] = entry;
            return new Claim(this, key, entry.Evicting);
        }
    }

    /// <summary>A cache hit: moves the version to the recent end of the LRU order. A store without maintenance ignores it.</summary>
    public ValueTask RecordAccessAsync(ArtifactKey key, CancellationToken cancellationToken) =>
        _maintenance?.RecordAccessAsync(key, cancellationToken) ?? ValueTask.CompletedTask;

    /// <summary>An immutable artifact was committed; wakes the evictor, which checks usage against the bound.</summary>
    public void Committed()
    {
        // One pending signal is enough: the evictor reads the usage when it wakes, whatever the number of commits.
        try
        {
            if (_committed.CurrentCount == 0)
            {
                _committed.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Another commit signalled between the check and the release.
        }
        catch (ObjectDisposedException)
        {
            // A flight finishing while the host shuts down.
        }
    }

    public void Dispose() => _committed.Dispose();

    /// <summary>Waits for a commit signal, or <paramref name="timeout"/>; true when signalled.</summary>
    internal Task<bool> WaitForCommitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _committed.WaitAsync(timeout, cancellationToken);

    private void Unpin((ModulePath, string) key)
    {
        lock (_gate)
        {
            var entry = _entries[key];
            if (--entry.Pins == 0)
            {
                _entries.Remove(key);
            }
        }
    }

    private void EndClaim((ModulePath, string) key, TaskCompletionSource evicting)
    {
        lock (_gate)
        {
            _entries.Remove(key);
        }

        evicting.SetResult();
    }

    private sealed class Entry
    {
        public int Pins { get; set; }

        public TaskCompletionSource? Evicting { get; init; }
    }

    private sealed class Pin(StoreActivity owner, (ModulePath, string) key) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unpin(key);
            }
        }
    }

    private sealed class Claim(StoreActivity owner, (ModulePath, string) key, TaskCompletionSource evicting) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.EndClaim(key, evicting);
            }
        }
    }
}
