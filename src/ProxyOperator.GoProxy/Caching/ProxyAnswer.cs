using ProxyOperator.GoProxy.Observability;
using ProxyOperator.GoProxy.Storage;

namespace ProxyOperator.GoProxy.Caching;

/// <summary>What the proxy answers a protocol request with: a stored artifact, small generated content, or a failure.</summary>
public sealed class ProxyAnswer
{
    private ProxyAnswer(int statusCode, StoredArtifact? artifact, byte[]? body, string reason, CacheResult cache)
    {
        StatusCode = statusCode;
        Artifact = artifact;
        Body = body;
        Reason = reason;
        Cache = cache;
    }

    public int StatusCode { get; }

    /// <summary>Set for stored artifacts; the receiver disposes it.</summary>
    public StoredArtifact? Artifact { get; }

    /// <summary>Set for list, latest and query answers.</summary>
    public byte[]? Body { get; }

    /// <summary>One line for the client when the answer is a failure.</summary>
    public string Reason { get; }

    public CacheResult Cache { get; }

    public static ProxyAnswer Stored(StoredArtifact artifact, CacheResult cache) => new(200, artifact, null, "", cache);

    public static ProxyAnswer Content(byte[] body, CacheResult cache) => new(200, null, body, "", cache);

    public static ProxyAnswer NotFound(string reason, CacheResult cache = CacheResult.None) => new(404, null, null, reason, cache);

    public static ProxyAnswer Failure(int statusCode, string reason) => new(statusCode, null, null, reason, CacheResult.Miss);
}
