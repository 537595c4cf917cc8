using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProxyOperator.Operator.Status;

/// <summary>
/// The fields of a proxy's <c>GET /status</c> the operator reads. The proxy writes them from
/// src/ProxyOperator.GoProxy/Health/StatusReport.cs with the web defaults (camelCase); the operator declares its own
/// copy rather than referencing the proxy's assembly, and ignores fields it does not know, so either side can add
/// fields without breaking the other (DESIGN §2: add fields, do not rename them).
/// </summary>
public sealed record ProxyStatusAnswer(string? Version, bool Ready, string? Mode, StorageAnswer? Storage, CacheAnswer? Cache, UpstreamAnswer? Upstream)
{
    /// <summary>An offline proxy never contacts an upstream, and reports it unreachable for that reason alone.</summary>
    public bool Offline => string.Equals(Mode, "offline", StringComparison.Ordinal);
}

public sealed record StorageAnswer(bool Ready, string? Error, string? Kind = null);

public sealed record CacheAnswer(long Hits, long Misses, double HitRatio, long Artifacts, long Bytes);

public sealed record UpstreamAnswer(bool Reachable, string? LastError, long Errors);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ProxyStatusAnswer))]
internal sealed partial class ProxyStatusJsonContext : JsonSerializerContext;
