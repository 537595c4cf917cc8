using ProxyOperator.GoProxy.Upstream;

namespace ProxyOperator.GoProxy.Caching;

/// <summary>The shared result of one flight: stored (or fetched content), not found, or failed.</summary>
public sealed record FetchOutcome(UpstreamStatus Status, byte[]? Body, string Reason, bool TimedOut, int? StatusCode = null)
{
    public static FetchOutcome Stored { get; } = new(UpstreamStatus.Found, null, "", false);

    public static FetchOutcome Content(byte[] body) => new(UpstreamStatus.Found, body, "", false);

    public static FetchOutcome From<T>(UpstreamResult<T> result) => new(result.Status, null, result.Reason, result.TimedOut, result.StatusCode);

    public ProxyAnswer ToFailure() => Status == UpstreamStatus.NotFound
        ? ProxyAnswer.NotFound(Reason, Observability.CacheResult.Miss)
        : ProxyAnswer.Failure(StatusCode ?? (TimedOut ? 504 : 502), Reason);
}
