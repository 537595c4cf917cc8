namespace ProxyOperator.KubeSandbox.Observation;

/// <summary>
/// One request to a resource URL, as an authorizer sees it (https://kubernetes.io/docs/reference/access-authn-authz/authorization/#determine-the-request-verb):
/// verb, API group, resource and subresource, namespace and name; with the client's user agent and the status code
/// answered (a server-side apply answered 201 created the object, which RBAC checks as create too).
/// </summary>
public sealed record RequestRecord(
    string Verb,
    string Group,
    string Version,
    string Resource,
    string? Subresource,
    string? Namespace,
    string? Name,
    string UserAgent,
    int StatusCode);
