using Microsoft.Extensions.Logging;

namespace ProxyOperator.GoProxy.SumDb;

/// <summary>Log events of the checksum database proxy and of ingest verification (event ids 9000-9099).</summary>
internal static partial class SumDbLog
{
    [LoggerMessage(9000, LogLevel.Warning, "checksum mismatch, refused {Artifact}: {Reason}")]
    public static partial void ChecksumMismatch(ILogger logger, string artifact, string reason);

    [LoggerMessage(9001, LogLevel.Warning, "could not verify {Artifact}: {Reason}")]
    public static partial void Unverifiable(ILogger logger, string artifact, string reason);

    [LoggerMessage(9002, LogLevel.Warning, "stored {Artifact} unverified (sumdb.allowUnverified): {Reason}")]
    public static partial void StoredUnverified(ILogger logger, string artifact, string reason);

    [LoggerMessage(9003, LogLevel.Warning, "{Reason}")]
    public static partial void DatabaseUnreachable(ILogger logger, string reason);
}
