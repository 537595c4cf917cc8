using Microsoft.Extensions.Logging;

namespace ProxyOperator.Operator.Hosting;

/// <summary>Every log event of the operator, with stable ids (the runtime's own are in RuntimeLog).</summary>
internal static partial class OperatorLog
{
    [LoggerMessage(5000, LogLevel.Information, "proxy-operator {Version} watching {Scope} with {Workers} workers, leader election {LeaderElection}, API server {Server}")]
    public static partial void Started(ILogger logger, string version, string scope, int workers, string leaderElection, string server);

    [LoggerMessage(5001, LogLevel.Warning, "leadership lost: stopping so that a fresh process campaigns again")]
    public static partial void StoppingAfterLostLeadership(ILogger logger);

    [LoggerMessage(5100, LogLevel.Information, "{Key}: applied {Kind} {Name}")]
    public static partial void Applied(ILogger logger, string key, string kind, string name);

    [LoggerMessage(5101, LogLevel.Information, "{Key}: deleted {Kind} {Name}, which the spec no longer asks for")]
    public static partial void Deleted(ILogger logger, string key, string kind, string name);

    [LoggerMessage(5102, LogLevel.Warning, "{Key}: not reconciled: {Reason}: {Message}")]
    public static partial void SpecRejected(ILogger logger, string key, string reason, string message);

    [LoggerMessage(5103, LogLevel.Debug, "{Key}: gone")]
    public static partial void Gone(ILogger logger, string key);

    [LoggerMessage(5104, LogLevel.Debug, "{Key}: status unchanged")]
    public static partial void StatusUnchanged(ILogger logger, string key);

    [LoggerMessage(5105, LogLevel.Debug, "{Key}: status conflict, retrying")]
    public static partial void StatusConflict(ILogger logger, string key);

    [LoggerMessage(5106, LogLevel.Warning, "{Key}: could not record event {Reason}: {Failure}")]
    public static partial void EventFailed(ILogger logger, string key, string reason, string failure);

    [LoggerMessage(5108, LogLevel.Information, "{Key}: deleted per-replica cache claim {Name} with the resource (storage.retainPolicy Delete)")]
    public static partial void CacheClaimDeleted(ILogger logger, string key, string name);

    [LoggerMessage(5107, LogLevel.Warning, "{Key}: {Kind} {Name} belongs to another controller; left alone")]
    public static partial void NotOurs(ILogger logger, string key, string kind, string name);
}
