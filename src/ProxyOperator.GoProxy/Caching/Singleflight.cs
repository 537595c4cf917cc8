using System.Collections.Concurrent;

namespace ProxyOperator.GoProxy.Caching;

/// <summary>
/// Runs one piece of work per key at a time; callers that arrive while it runs share its result.
/// The work runs on its own token so that the first caller's disconnect cannot cancel it for the others.
/// </summary>
public sealed class Singleflight<T>
{
    private readonly ConcurrentDictionary<string, Lazy<Task<T>>> _flights = new(StringComparer.Ordinal);

    /// <summary>Flights running now (for tests and metrics).</summary>
    public int InFlight => _flights.Count;

    public Task<T> RunAsync(string key, Func<Task<T>> work)
    {
        var flight = new Lazy<Task<T>>(() => StartAsync(key, work), LazyThreadSafetyMode.ExecutionAndPublication);
        return _flights.GetOrAdd(key, flight).Value;
    }

    private async Task<T> StartAsync(string key, Func<Task<T>> work)
    {
        try
        {
            // Yield so that GetOrAdd has published this flight before the work can finish and remove it.
            await Task.Yield();
            return await work().ConfigureAwait(false);
        }
        finally
        {
            _flights.TryRemove(key, out _);
        }
    }
}
