using System.Collections.Concurrent;

namespace ProxyOperator.GoProxy.Caching;

/// <summary>
/// Remembers "no upstream has this" briefly, so that the go command's probes of path prefixes (example.com/@v/list)
/// do not each cost an upstream round trip. Only 404/410 answers are remembered, never errors.
/// </summary>
public sealed class NotFoundCache(TimeProvider time)
{
    private const int PruneAbove = 50_000;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public bool TryGet(string key, out string reason)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            if (entry.Expires > time.GetUtcNow())
            {
                reason = entry.Reason;
                return true;
            }

            _entries.TryRemove(KeyValuePair.Create(key, entry));
        }

        reason = "";
        return false;
    }

    public void Add(string key, string reason, TimeSpan ttl)
    {
        if (ttl <= TimeSpan.Zero)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (_entries.Count > PruneAbove)
        {
            foreach (var (k, e) in _entries)
            {
                if (e.Expires <= now)
                {
                    _entries.TryRemove(k, out _);
                }
            }
        }

        _entries[key] = new Entry(now + ttl, reason);
    }

    public void Remove(string key) => _entries.TryRemove(key, out _);

    private readonly record struct Entry(DateTimeOffset Expires, string Reason);
}
