using Microsoft.Extensions.Logging;

namespace ProxyOperator.Runtime;

/// <summary>Every log line of the runtime, with stable event ids (1000-1099).</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(1000, LogLevel.Debug, "Listed {Resource}: {Count} objects at resourceVersion {ResourceVersion}")]
    public static partial void Listed(ILogger logger, string resource, int count, string resourceVersion);

    [LoggerMessage(1001, LogLevel.Warning, "Listing {Resource} failed; retrying with backoff")]
    public static partial void ListFailed(ILogger logger, string resource, Exception exception);

    [LoggerMessage(1002, LogLevel.Warning, "Watch of {Resource} failed; resuming with backoff")]
    public static partial void WatchFailed(ILogger logger, string resource, Exception? exception);

    [LoggerMessage(1003, LogLevel.Debug, "Watch of {Resource} ended ({Reason}); resuming")]
    public static partial void WatchRestarting(ILogger logger, string resource, WatchRestartReason reason);

    [LoggerMessage(1010, LogLevel.Information, "Controller {Controller} started with {Workers} workers")]
    public static partial void ControllerStarted(ILogger logger, string controller, int workers);

    [LoggerMessage(1011, LogLevel.Information, "Controller {Controller} stopped")]
    public static partial void ControllerStopped(ILogger logger, string controller);

    [LoggerMessage(1012, LogLevel.Error, "Controller {Controller} failed to reconcile {Key} (failure {Failures}); retrying with backoff")]
    public static partial void ReconcileFailed(ILogger logger, string controller, string key, int failures, Exception exception);

    [LoggerMessage(1020, LogLevel.Information, "{Identity} became the leader on Lease {Namespace}/{Lease}")]
    public static partial void LeadershipAcquired(ILogger logger, string identity, string @namespace, string lease);

    [LoggerMessage(1021, LogLevel.Information, "Lease {Lease} is held by {Leader}")]
    public static partial void NewLeader(ILogger logger, string lease, string leader);

    [LoggerMessage(1022, LogLevel.Warning, "Leader election on Lease {Lease} failed to read or write it")]
    public static partial void LeaderElectionError(ILogger logger, string lease, Exception exception);

    [LoggerMessage(1023, LogLevel.Error, "{Identity} lost leadership of Lease {Lease}; stopping")]
    public static partial void LeadershipLost(ILogger logger, string identity, string lease);
}
