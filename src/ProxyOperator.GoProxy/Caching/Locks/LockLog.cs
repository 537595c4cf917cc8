using Microsoft.Extensions.Logging;

namespace ProxyOperator.GoProxy.Caching.Locks;

/// <summary>Log events of the cross-replica fetch lock (ids 7000-7099, beside <c>Observability.Log</c>'s).</summary>
internal static partial class LockLog
{
    [LoggerMessage(7000, LogLevel.Warning, "lock backend {Backend} unreachable, fetching without cross-replica coordination until it answers: {Reason}")]
    public static partial void BackendUnreachable(ILogger logger, string backend, string reason);

    [LoggerMessage(7001, LogLevel.Information, "lock backend {Backend} reachable again")]
    public static partial void BackendRecovered(ILogger logger, string backend);

    [LoggerMessage(7002, LogLevel.Debug, "{Artifact}: fetching without the lock: {Reason}")]
    public static partial void FetchingWithoutLock(ILogger logger, string artifact, string reason);

    [LoggerMessage(7003, LogLevel.Debug, "{Artifact}: another replica holds the fetch lock; waiting for its result")]
    public static partial void Waiting(ILogger logger, string artifact);

    [LoggerMessage(7004, LogLevel.Information, "{Artifact}: took over the fetch lock after {WaitedMs:0}ms: the holder gave no result")]
    public static partial void TookOver(ILogger logger, string artifact, double waitedMs);

    [LoggerMessage(7005, LogLevel.Warning, "{Artifact}: the fetch lock expired while this replica held it; another replica may fetch too (storage keeps the first commit)")]
    public static partial void LockLost(ILogger logger, string artifact);
}
