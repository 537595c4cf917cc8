using ProxyOperator.KubeSandbox.Faults;

namespace ProxyOperator.KubeSandbox;

/// <summary>
/// Faults a real cluster produces, on demand: error answers to a share or a count of matching requests, watches
/// that end early, resourceVersions that expire. Lets controllers be tested under conflicts, throttling and re-lists.
/// Random choices come from one seeded generator (<see cref="KubeApiServerOptions.FaultSeed"/>) so runs repeat.
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<FaultRule> _rules = [];
    private readonly Random _random;
    private readonly Action _expire;
    private int? _closeWatchesAfterEvents;
    private TimeSpan? _closeWatchesAfter;

    internal FaultInjector(int seed, Action expire)
    {
        // Deterministic on purpose: a seeded generator makes a failing fault test repeat exactly.
        _random = new Random(seed);
        _expire = expire;
    }

    /// <summary>
    /// Answers <paramref name="statusCode"/> (a Kubernetes Status; 429 with Retry-After) to requests with the given verb
    /// (get, list, watch, create, update, patch, delete, deletecollection; null for any) on the given resource
    /// (plural, e.g. "deployments"; null for any): to a <paramref name="share"/> of them, at most <paramref name="count"/> times.
    /// Dispose the result to stop.
    /// </summary>
    public IDisposable FailRequests(int statusCode, string? verb = null, string? resource = null, double share = 1.0, int? count = null, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(share, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(share, 1.0);
        var rule = new FaultRule(statusCode, verb, resource, share, count, retryAfter ?? TimeSpan.FromSeconds(1), this);
        lock (_gate)
        {
            _rules.Add(rule);
        }

        return rule;
    }

    /// <summary>Ends every watch stream after it has sent this many events (null: never).</summary>
    public void CloseWatchesAfterEvents(int? events)
    {
        lock (_gate)
        {
            _closeWatchesAfterEvents = events;
        }
    }

    /// <summary>Ends every watch stream this long after it started (null: never).</summary>
    public void CloseWatchesAfter(TimeSpan? duration)
    {
        lock (_gate)
        {
            _closeWatchesAfter = duration;
        }
    }

    /// <summary>Compacts the event history: watches resumed from any resourceVersion until now get 410 Expired.</summary>
    public void ExpireResourceVersions() => _expire();

    /// <summary>Removes every fault.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _rules.Clear();
            _closeWatchesAfterEvents = null;
            _closeWatchesAfter = null;
        }
    }

    internal (int? Events, TimeSpan? Duration) WatchLimits()
    {
        lock (_gate)
        {
            return (_closeWatchesAfterEvents, _closeWatchesAfter);
        }
    }

    /// <summary>The fault to answer a request with, if any.</summary>
    internal FaultRule? Match(string verb, string resource)
    {
        lock (_gate)
        {
            foreach (var rule in _rules)
            {
                if ((rule.Verb is null || rule.Verb == verb) && (rule.Resource is null || rule.Resource == resource) && rule.Remaining is null or > 0)
                {
                    if (rule.Share < 1.0 && _random.NextDouble() >= rule.Share)
                    {
                        continue;
                    }

                    if (rule.Remaining is not null)
                    {
                        rule.Remaining--;
                    }

                    return rule;
                }
            }

            return null;
        }
    }

    internal void Remove(FaultRule rule)
    {
        lock (_gate)
        {
            _rules.Remove(rule);
        }
    }
}
