using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ProxyOperator.KubeSandbox.Discovery;
using ProxyOperator.KubeSandbox.Operations;
using ProxyOperator.KubeSandbox.Resources;
using ProxyOperator.KubeSandbox.Selectors;
using ProxyOperator.KubeSandbox.Storage;
using ProxyOperator.KubeSandbox.Tables;
using ProxyOperator.KubeSandbox.Watch;

namespace ProxyOperator.KubeSandbox.Http;

/// <summary>
/// Routes every request: discovery documents, then the verbs on resource URLs
/// (https://kubernetes.io/docs/reference/using-api/api-concepts/#api-verbs). Work on the store happens under its lock;
/// writing the answer happens outside it.
/// </summary>
internal sealed class ApiRequestHandler(ResourceOperations operations, WatchStream watches, FaultInjector faults, TimeProvider clock)
{
    private static readonly JsonObject ResourceNotFound = Statuses.Failure(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    private ObjectStore Store => operations.Store;

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            await RouteAsync(context);
        }
        catch (ApiException e)
        {
            await WriteAsync(context, e.Code, e.Status);
        }
    }

    private async Task RouteAsync(HttpContext context)
    {
        var request = context.Request;
        var segments = (request.Path.Value ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var accept = request.Headers.Accept.ToString();
        switch (segments)
        {
            case ["version"]:
                await WriteAsync(context, 200, DiscoveryDocuments.Version());
                return;
            case ["healthz" or "livez" or "readyz"]:
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("ok");
                return;
            case ["api"]:
                await WriteDiscoveryAsync(context, accept, core: true);
                return;
            case ["apis"]:
                await WriteDiscoveryAsync(context, accept, core: false);
                return;
            case ["openapi", "v3", ..]:
                await WriteOpenApiAsync(context, segments[2..]);
                return;
            case ["openapi", ..]:
                // No OpenAPI v2: kubectl asks for it only as protobuf, and with v3 present it does not need it.
                await WriteAsync(context, 404, ResourceNotFound);
                return;
            case ["apis", var group]:
                JsonObject? groupDocument;
                lock (Store.Gate)
                {
                    groupDocument = DiscoveryDocuments.Group(operations.Registry, group);
                }

                await WriteAsync(context, groupDocument is null ? 404 : 200, groupDocument ?? ResourceNotFound);
                return;
            case ["api", var coreVersion]:
                await WriteResourceListAsync(context, string.Empty, coreVersion);
                return;
            case ["apis", var listGroup, var listVersion]:
                await WriteResourceListAsync(context, listGroup, listVersion);
                return;
        }

        var path = ApiPath.Parse(segments);
        if (path?.Resource is null)
        {
            await WriteAsync(context, 404, ResourceNotFound);
            return;
        }

        ResourceDefinition? definition;
        lock (Store.Gate)
        {
            definition = operations.Registry.Find(path.Group, path.Version, path.Resource);
        }

        if (definition is null
            || (path.Namespace is not null && !definition.Namespaced)
            || (path.Subresource is not null && path.Subresource != "status" && !(path.Subresource == "scale" && definition.Scale is not null))
            || (path.Subresource == "status" && !definition.HasStatus))
        {
            await WriteAsync(context, 404, ResourceNotFound);
            return;
        }

        var verb = Verb(request, path);
        if (faults.Match(verb, definition.Plural) is { } fault)
        {
            var retryAfter = (int)Math.Ceiling(fault.RetryAfter.TotalSeconds);
            if (fault.StatusCode == 429)
            {
                context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            }

            var status = fault.StatusCode == 429
                ? Statuses.TooManyRequests(retryAfter)
                : Statuses.ForCode(fault.StatusCode, $"injected fault for {verb} {definition.GroupResource}");
            await WriteAsync(context, fault.StatusCode, status);
            return;
        }

        await ServeAsync(context, definition, path, verb);
    }

    private async Task ServeAsync(HttpContext context, ResourceDefinition definition, ApiPath path, string verb)
    {
        var query = context.Request.Query;
        var ns = definition.Namespaced ? path.Namespace : null;
        var name = path.Name;
        if (definition.Namespaced && ns is null && name is not null)
        {
            await WriteAsync(context, 404, ResourceNotFound);
            return;
        }

        if (verb == "watch")
        {
            await watches.ServeAsync(context, WatchRequestOf(context, definition, path, ns));
            return;
        }

        var options = new WriteOptions(FieldManager(context), query["dryRun"].Count > 0, IsTrue(query["force"]), query["fieldValidation"]);
        var body = verb is "create" or "update" or "patch" or "delete" or "deletecollection" ? await ReadBodyAsync(context.Request) : string.Empty;
        var (code, result) = Execute(context, definition, path, verb, ns, name!, body, options);
        foreach (var warning in options.Warnings)
        {
            // The API server's warning format (RFC 7234 warn-code 299 with agent "-"), which client-go prints.
            context.Response.Headers.Append("Warning", $"299 - \"{warning.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }

        await WriteAsync(context, code, result);
    }

    private (int Code, JsonObject Result) Execute(HttpContext context, ResourceDefinition definition, ApiPath path, string verb, string? ns, string name, string body, WriteOptions options)
    {
        var version = path.Version;
        var query = context.Request.Query;
        var accept = context.Request.Headers.Accept.ToString();
        lock (Store.Gate)
        {
            JsonObject Present(JsonObject obj) => Presentation.Present(definition, version, obj);
            var scale = path.Subresource == "scale";
            var status = path.Subresource == "status";
            switch (verb)
            {
                case "get" when scale:
                    return (200, operations.GetScale(definition, ns, name));
                case "get":
                    var found = Present(operations.Get(definition, ns, name));
                    return (200, TableConverter.WantsTable(accept)
                        ? TableConverter.Convert(definition, version, [found], Meta.ResourceVersion(found), null, query["includeObject"], clock.GetUtcNow())
                        : found);
                case "list":
                    return (200, List(definition, version, ns, query, accept));
                case "create":
                    return (201, Present(operations.Create(definition, version, ns, ParseObject(body), options)));
                case "update" when scale:
                    return (200, operations.UpdateScale(definition, version, ns, name, ParseObject(body), options));
                case "update":
                    return (200, Present(operations.Update(definition, version, ns, name, ParseObject(body), status, options)));
                case "patch" when scale:
                    return (200, operations.PatchScale(definition, version, ns, name, context.Request.ContentType ?? string.Empty, body, options));
                case "patch":
                    var existed = Store.Get(definition.Group, definition.Plural, ns, name) is not null;
                    var patched = Present(operations.Patch(definition, version, ns, name, context.Request.ContentType ?? string.Empty, body, status, options));
                    return (existed ? 200 : 201, patched);
                case "delete":
                    var deletedObject = operations.Delete(definition, ns, name, DeleteOptionsOf(query, body));
                    return (200, Store.Get(definition.Group, definition.Plural, ns, name) is not null || definition.IsCustom || definition.Plural == "pods"
                        ? Present(deletedObject)
                        : DeletedStatus(definition, deletedObject));
                case "deletecollection":
                    var deleted = operations.DeleteCollection(definition, ns, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]), DeleteOptionsOf(query, body));
                    return (200, ListOf(definition, version, deleted.Select(Present), null, null));
                default:
                    return (405, Statuses.MethodNotAllowed($"the server does not allow this method on the requested resource"));
            }
        }
    }

    /// <summary>
    /// What most built-in kinds answer to a delete that removed the object at once: a Success Status naming it
    /// (custom resources and pods return the object itself, as do deletes that only mark the object).
    /// </summary>
    private static JsonObject DeletedStatus(ResourceDefinition definition, JsonObject deleted)
    {
        var status = Statuses.Success(Meta.Name(deleted), definition.Group, definition.Plural);
        status["details"]!["uid"] = Meta.Uid(deleted);
        return status;
    }

    /// <summary>
    /// A list, in key order, one page at a time when <c>limit</c> is set: <c>continue</c> carries the last key
    /// returned (https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks).
    /// </summary>
    private JsonObject List(ResourceDefinition definition, string version, string? ns, IQueryCollection query, string accept)
    {
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(query["fieldSelector"]);
        var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0 ? l : int.MaxValue;
        var after = DecodeContinue(query["continue"]);
        var matching = Store.List(definition.Group, definition.Plural, ns)
            .Where(p => after is null || string.CompareOrdinal(p.Key, after) > 0)
            .Where(p => labels.Matches(Meta.Labels(p.Value)) && fields.Matches(p.Value))
            .ToList();
        var page = matching.Take(limit).ToList();
        string? continueToken = null;
        long? remaining = null;
        if (matching.Count > page.Count)
        {
            continueToken = Convert.ToBase64String(Encoding.UTF8.GetBytes(page[^1].Key));
            remaining = matching.Count - page.Count;
        }

        var items = page.Select(p => Presentation.Present(definition, version, p.Value));
        var rv = Store.CurrentResourceVersion.ToString(CultureInfo.InvariantCulture);
        if (TableConverter.WantsTable(accept))
        {
            return TableConverter.Convert(definition, version, items, rv, continueToken, query["includeObject"], clock.GetUtcNow());
        }

        return ListOf(definition, version, items, continueToken, remaining, rv);
    }

    private JsonObject ListOf(ResourceDefinition definition, string version, IEnumerable<JsonObject> items, string? continueToken, long? remaining, string? rv = null)
    {
        var metadata = new JsonObject { ["resourceVersion"] = rv ?? Store.CurrentResourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
            metadata["remainingItemCount"] = remaining;
        }

        return new JsonObject
        {
            ["kind"] = definition.ListKind,
            ["apiVersion"] = definition.ApiVersion(version),
            ["metadata"] = metadata,
            ["items"] = new JsonArray(items.Select(i => (JsonNode?)i).ToArray()),
        };
    }

    private static string? DecodeContinue(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw new ApiException(Statuses.BadRequest("continue key is not valid: " + token));
        }
    }

    private static WatchRequest WatchRequestOf(HttpContext context, ResourceDefinition definition, ApiPath path, string? ns)
    {
        var query = context.Request.Query;
        var fields = FieldSelector.Parse(query["fieldSelector"]);
        TimeSpan? timeout = int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : null;
        return new WatchRequest(
            definition,
            path.Version,
            ns,
            LabelSelector.Parse(query["labelSelector"]),
            fields,
            query["resourceVersion"],
            timeout,
            IsTrue(query["allowWatchBookmarks"]),
            TableConverter.WantsTable(context.Request.Headers.Accept.ToString()),
            query["includeObject"],
            IsTrue(query["sendInitialEvents"]));
    }

    internal static string Verb(HttpRequest request, ApiPath path) => request.Method switch
    {
        "GET" when path.Name is null && IsTrue(request.Query["watch"]) => "watch",
        "GET" when path.Name is null => "list",
        "GET" => "get",
        "POST" when path.Name is null => "create",
        "PUT" when path.Name is not null => "update",
        "PATCH" when path.Name is not null => "patch",
        "DELETE" when path.Name is null => "deletecollection",
        "DELETE" => "delete",
        _ => "unsupported",
    };

    private static bool IsTrue(string? value) => value is "1" or "true" or "True";

    /// <summary>
    /// The field manager of a non-apply write: the <c>fieldManager</c> parameter, else the client's user agent up to
    /// its first '/', as the API server derives it.
    /// </summary>
    private static string FieldManager(HttpContext context)
    {
        var explicitManager = context.Request.Query["fieldManager"].ToString();
        if (explicitManager.Length > 0)
        {
            return explicitManager;
        }

        var agent = context.Request.Headers.UserAgent.ToString();
        var slash = agent.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? agent[..slash] : agent.Length > 0 ? agent : "unknown";
    }

    private static DeleteOptions DeleteOptionsOf(IQueryCollection query, string body)
    {
        JsonObject? options = null;
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                options = JsonNode.Parse(body) as JsonObject;
            }
            catch (JsonException e)
            {
                throw new ApiException(Statuses.BadRequest("invalid DeleteOptions: " + e.Message));
            }
        }

        var policy = (string?)options?["propagationPolicy"] ?? query["propagationPolicy"].FirstOrDefault();
        if (policy is null && (bool?)options?["orphanDependents"] == true)
        {
            policy = "Orphan";
        }

        if (policy is not (null or "Orphan" or "Background" or "Foreground"))
        {
            throw new ApiException(Statuses.BadRequest($"unsupported propagationPolicy \"{policy}\""));
        }

        var dryRun = options?["dryRun"] is JsonArray { Count: > 0 } || query["dryRun"].Count > 0;
        return new DeleteOptions(policy, (string?)options?["preconditions"]?["uid"], (string?)options?["preconditions"]?["resourceVersion"], dryRun);
    }

    private static JsonObject ParseObject(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw new ApiException(Statuses.BadRequest("the request body must be an object"));
        }
        catch (JsonException e)
        {
            throw new ApiException(Statuses.BadRequest("the object provided is unrecognized: " + e.Message));
        }
    }

    private static async Task<string> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        if (request.ContentType?.StartsWith(ProtobufBodies.MediaType, StringComparison.OrdinalIgnoreCase) == true)
        {
            return ProtobufBodies.Decode(buffer.ToArray()).ToJsonString();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private async Task WriteDiscoveryAsync(HttpContext context, string accept, bool core)
    {
        JsonObject document;
        lock (Store.Gate)
        {
            document = DiscoveryDocuments.WantsAggregated(accept)
                ? DiscoveryDocuments.Aggregated(operations.Registry, core)
                : core ? DiscoveryDocuments.CoreVersions() : DiscoveryDocuments.GroupList(operations.Registry);
        }

        var contentType = DiscoveryDocuments.WantsAggregated(accept) ? DiscoveryDocuments.AggregatedMediaType : "application/json";
        await WriteAsync(context, 200, document, contentType);
    }

    private async Task WriteOpenApiAsync(HttpContext context, string[] rest)
    {
        JsonObject? document;
        lock (Store.Gate)
        {
            document = rest switch
            {
                [] => OpenApiDocuments.Index(operations.Registry),
                ["api", var version] => OpenApiDocuments.GroupVersion(operations.Registry, string.Empty, version),
                ["apis", var group, var version] => OpenApiDocuments.GroupVersion(operations.Registry, group, version),
                _ => null,
            };
        }

        await WriteAsync(context, document is null ? 404 : 200, document ?? ResourceNotFound);
    }

    private async Task WriteResourceListAsync(HttpContext context, string group, string version)
    {
        JsonObject? list;
        lock (Store.Gate)
        {
            var served = operations.Registry.All.Any(d => d.Group == group && d.Serves(version));
            list = served ? DiscoveryDocuments.ResourceList(operations.Registry, group, version) : null;
        }

        await WriteAsync(context, list is null ? 404 : 200, list ?? ResourceNotFound);
    }

    private static async Task WriteAsync(HttpContext context, int code, JsonObject body, string contentType = "application/json")
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = code;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body.ToJsonString(Presentation.JsonOptions), context.RequestAborted);
    }
}
