namespace ProxyOperator.KubeSandbox.Http;

/// <summary>
/// A resource URL split into its parts: <c>/api/v1/...</c> or <c>/apis/{group}/{version}/...</c>, then
/// <c>[namespaces/{ns}/]{resource}[/{name}[/{subresource}]]</c>
/// (https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-uris).
/// </summary>
internal sealed record ApiPath(string Group, string Version, string? Namespace, string? Resource, string? Name, string? Subresource)
{
    /// <summary>Null when the path is not under /api/{version} or /apis/{group}/{version}, or has too many segments.</summary>
    public static ApiPath? Parse(string[] segments)
    {
        string group;
        string version;
        string[] rest;
        switch (segments)
        {
            case ["api", var v, ..]:
                (group, version, rest) = (string.Empty, v, segments[2..]);
                break;
            case ["apis", var g, var v, ..]:
                (group, version, rest) = (g, v, segments[3..]);
                break;
            default:
                return null;
        }

        // "namespaces/{ns}/status" and "namespaces/{ns}/finalize" are subresources of a Namespace, not namespaced resources.
        if (rest is ["namespaces", var ns, var resource, ..] && resource is not ("status" or "finalize"))
        {
            return rest.Length > 5 ? null : new ApiPath(group, version, ns, resource, rest.ElementAtOrDefault(3), rest.ElementAtOrDefault(4));
        }

        return rest.Length > 3 ? null : new ApiPath(group, version, null, rest.ElementAtOrDefault(0), rest.ElementAtOrDefault(1), rest.ElementAtOrDefault(2));
    }
}
