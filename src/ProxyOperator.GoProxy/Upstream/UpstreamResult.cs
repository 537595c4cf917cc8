namespace ProxyOperator.GoProxy.Upstream;

public enum UpstreamStatus
{
    Found,

    /// <summary>Every proxy reached answered 404 or 410.</summary>
    NotFound,

    /// <summary>A failure the chain could not fall through (or the last proxy failed).</summary>
    Failed,
}

/// <summary>What the chain produced: a consumed answer, "not here", or a one-line failure.</summary>
/// <remarks><c>StatusCode</c>, when set, is the status to answer the client with (a private module's 403).</remarks>
public sealed record UpstreamResult<T>(UpstreamStatus Status, T? Value, string Reason, bool TimedOut, int? StatusCode = null);

public static class UpstreamResult
{
    public static UpstreamResult<T> Found<T>(T value) => new(UpstreamStatus.Found, value, "", false);

    public static UpstreamResult<T> NotFound<T>(string reason) => new(UpstreamStatus.NotFound, default, reason, false);

    public static UpstreamResult<T> Failed<T>(string reason, bool timedOut) => new(UpstreamStatus.Failed, default, reason, timedOut);
}

/// <summary>An upstream answered 200 with content we must not store (a truncated zip, info for another version).</summary>
public sealed class InvalidUpstreamContentException(string message) : Exception(message);
