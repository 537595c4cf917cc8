namespace ProxyOperator.GoProxy.Observability;

/// <summary>How a request was answered, for logs and metrics.</summary>
public enum CacheResult
{
    /// <summary>Not a cacheable request (health, errors before lookup, pass-through queries).</summary>
    None,

    /// <summary>Served from storage without contacting an upstream.</summary>
    Hit,

    /// <summary>Fetched from an upstream (by this request or one it waited for).</summary>
    Miss,

    /// <summary>Served from storage past its TTL because every upstream failed.</summary>
    Stale,
}

public static class CacheResultLabels
{
    public static string ToLabel(this CacheResult result) => result switch
    {
        CacheResult.Hit => "hit",
        CacheResult.Miss => "miss",
        CacheResult.Stale => "stale",
        _ => "none",
    };
}
