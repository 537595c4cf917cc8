using ProxyOperator.GoProxy.Observability;

namespace ProxyOperator.GoProxy.Protocol;

/// <summary>What a handler tells the request log and metrics about its answer.</summary>
public sealed class RequestOutcome
{
    /// <summary>The endpoint label; null for requests that are not part of the protocol (probes, metrics).</summary>
    public string? Endpoint { get; set; }

    public CacheResult Cache { get; set; }

    public long BodyBytes { get; set; }
}
