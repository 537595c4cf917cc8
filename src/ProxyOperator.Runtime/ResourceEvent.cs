namespace ProxyOperator.Runtime;

/// <summary>
/// A change an <see cref="Informer{T}"/> applied to its cache. <see cref="Previous"/> is the cached object an update
/// replaced (or a delete removed). A delete synthesized after a re-list carries the last object the cache saw (client-go's
/// <c>DeletedFinalStateUnknown</c>).
/// </summary>
public sealed record ResourceEvent<T>(ResourceEventType Type, T Current, T? Previous = default);
