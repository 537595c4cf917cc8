using Microsoft.Extensions.Logging;

namespace ProxyOperator.GoProxy.Storage.Eviction;

/// <summary>Eviction and admin events; ids 8000-8099.</summary>
internal static partial class EvictionLog
{
    [LoggerMessage(8000, LogLevel.Information, "evicted {Count} module versions ({Bytes} bytes): store was {UsedBytes} bytes, over storage.maxSize {MaxBytes}")]
    public static partial void Evicted(ILogger logger, int count, long bytes, long usedBytes, long maxBytes);

    [LoggerMessage(8001, LogLevel.Debug, "evicted {Module}@{Version} ({Bytes} bytes, last used {LastAccess:o})")]
    public static partial void EvictedVersion(ILogger logger, string module, string version, long bytes, DateTimeOffset lastAccess);

    [LoggerMessage(8002, LogLevel.Warning, "store is {UsedBytes} bytes, over storage.maxSize {MaxBytes}, and nothing more can be evicted: {Pinned} versions are being served or written")]
    public static partial void StillOver(ILogger logger, long usedBytes, long maxBytes, int pinned);

    [LoggerMessage(8003, LogLevel.Error, "eviction pass failed: {Reason}")]
    public static partial void PassFailed(ILogger logger, string reason);

    [LoggerMessage(8010, LogLevel.Information, "admin purge of {Module}@{Version}: {Bytes} bytes removed")]
    public static partial void PurgedVersion(ILogger logger, string module, string version, long bytes);

    [LoggerMessage(8011, LogLevel.Information, "admin purge of module {Module}: {Bytes} bytes removed")]
    public static partial void PurgedModule(ILogger logger, string module, long bytes);

    [LoggerMessage(8012, LogLevel.Warning, "admin request {Method} {Path} refused: {Reason}")]
    public static partial void AdminRefused(ILogger logger, string method, string path, string reason);
}
