using System.Text.Json;
using System.Text.Json.Serialization;
using ProxyOperator.GoProxy.Filters;

namespace ProxyOperator.GoProxy.Health;

/// <summary>
/// <c>GET /status</c>: what the operator copies into <c>status.proxies[]</c>. Field names are a contract with the
/// operator (DESIGN §2); add fields, do not rename them.
/// </summary>
public sealed record StatusReport(
    string Version,
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    bool Ready,
    string Mode,
    StorageStatus Storage,
    CacheStatus Cache,
    UpstreamStatusReport Upstream,
    LockStatus Lock,
    FilterStatus? Filters = null);

public sealed record StorageStatus(string Kind, bool Ready, string? Error);

/// <summary>The cross-replica fetch lock: kind <c>none</c> or <c>redis</c>; <c>reachable</c> is false only for a backend that does not answer.</summary>
public sealed record LockStatus(string Kind, bool Reachable, string? Error);

/// <summary>
/// <c>maxBytes</c> is storage.maxSize in bytes (null without a bound); <c>evictions</c> counts versions evicted since
/// start.
/// </summary>
public sealed record CacheStatus(long Hits, long Misses, double HitRatio, long Artifacts, long Bytes, long? MaxBytes, long Evictions);

public sealed record UpstreamStatusReport(
    bool Reachable,
    IReadOnlyList<string> Proxies,
    DateTimeOffset? LastSuccess,
    DateTimeOffset? LastFailure,
    string? LastError,
    long Errors);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StatusReport))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
