using ProxyOperator.KubeSandbox.Resources;
using ProxyOperator.KubeSandbox.Selectors;

namespace ProxyOperator.KubeSandbox.Watch;

/// <summary>What a <c>?watch=true</c> list request asked for.</summary>
internal sealed record WatchRequest(
    ResourceDefinition Definition,
    string Version,
    string? Namespace,
    LabelSelector Labels,
    FieldSelector Fields,
    string? ResourceVersion,
    TimeSpan? Timeout,
    bool Bookmarks,
    bool AsTable,
    string? IncludeObject,
    bool SendInitialEvents = false);
