namespace ProxyOperator.GoProxy.Caching.Locks;

/// <summary>
/// Lock type <c>none</c>: each replica fetches for itself, so a miss costs at most one upstream fetch per replica
/// (the replica's own singleflight). Right for one replica, or replicas with storage of their own.
/// </summary>
public sealed class LocalFetchLock : IFetchLock
{
    private static readonly Task<LockBackendState> Reachable = Task.FromResult(new LockBackendState(true, null));

    public string Kind => "none";

    public Task<FetchOutcome> RunAsync(
        string artifact,
        Func<CancellationToken, Task<bool>> isStored,
        Func<CancellationToken, Task<FetchOutcome>> fetch,
        CancellationToken cancellationToken) => fetch(cancellationToken);

    public Task<LockBackendState> ProbeAsync(CancellationToken cancellationToken) => Reachable;
}
