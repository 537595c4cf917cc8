namespace ProxyOperator.GoProxy.Caching.Locks;

/// <summary>
/// Coordinates the upstream fetch of one immutable artifact across replicas that share storage, so that concurrent
/// misses cost one upstream fetch for the whole fleet (DESIGN §4). Within a replica, <see cref="Singleflight{T}"/>
/// has already reduced the misses to one flight; this decides which replica's flight fetches.
/// </summary>
/// <remarks>
/// Only info, mod and zip go through it. A list or <c>@latest</c> answer is small, changes, and is stored again on
/// every refresh, so a duplicate costs one small request per replica per TTL, while a lock would add a round trip to
/// every refresh and could not tell a waiter "done" by the mere presence of a (possibly stale) stored answer.
/// </remarks>
public interface IFetchLock
{
    /// <summary>A short name for status: <c>none</c>, <c>redis</c>.</summary>
    string Kind { get; }

    /// <summary>
    /// Runs <paramref name="fetch"/> on this replica, or waits for another replica's run and answers its result.
    /// A waiter answers only what <paramref name="isStored"/> sees committed (never a partial artifact) or the failure
    /// the holder reported; it takes over when the holder stops renewing its lock. Never fails because the lock
    /// backend is down: then the fetch runs here, without coordination.
    /// </summary>
    /// <param name="artifact">The artifact, as <c>module@version.ext</c>.</param>
    /// <param name="isStored">True once the artifact is committed to the shared store.</param>
    /// <param name="fetch">Fetches and stores the artifact; must itself look in storage first.</param>
    Task<FetchOutcome> RunAsync(
        string artifact,
        Func<CancellationToken, Task<bool>> isStored,
        Func<CancellationToken, Task<FetchOutcome>> fetch,
        CancellationToken cancellationToken);

    /// <summary>Checks the backend with a tight timeout, for <c>/status</c>.</summary>
    Task<LockBackendState> ProbeAsync(CancellationToken cancellationToken);
}

/// <summary>Whether the lock backend answers; <see cref="Error"/> says why not.</summary>
public sealed record LockBackendState(bool Reachable, string? Error);
