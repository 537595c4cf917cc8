using System.Globalization;
using System.Text.Json.Nodes;

namespace ProxyOperator.KubeSandbox.Http;

/// <summary>
/// Builders for the <c>Status</c> failures the API server returns, with its exact reasons and messages:
/// clients branch on <c>reason</c> and <c>code</c>, and people read <c>message</c>
/// (https://github.com/kubernetes/apimachinery/blob/master/pkg/api/errors/errors.go).
/// </summary>
internal static class Statuses
{
    public static JsonObject Failure(int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return status;
    }

    public static JsonObject Success(string? name, string group, string kind) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = Details(name, group, kind),
    };

    /// <summary>"deployments.apps", or "configmaps" for the core group: how Kubernetes names a resource in messages.</summary>
    public static string GroupResource(string group, string resource) => group.Length == 0 ? resource : resource + "." + group;

    public static JsonObject NotFound(string group, string resource, string name) =>
        Failure(404, "NotFound", $"{GroupResource(group, resource)} \"{name}\" not found", Details(name, group, resource));

    public static JsonObject AlreadyExists(string group, string resource, string name) =>
        Failure(409, "AlreadyExists", $"{GroupResource(group, resource)} \"{name}\" already exists", Details(name, group, resource));

    public static JsonObject Conflict(string group, string resource, string name, string why) =>
        Failure(409, "Conflict", $"Operation cannot be fulfilled on {GroupResource(group, resource)} \"{name}\": {why}", Details(name, group, resource));

    /// <summary>The optimistic-concurrency failure of an update carrying a stale metadata.resourceVersion.</summary>
    public static JsonObject StaleResourceVersion(string group, string resource, string name) =>
        Conflict(group, resource, name, "the object has been modified; please apply your changes to the latest version and try again");

    public static JsonObject Invalid(string group, string kind, string name, IReadOnlyList<FieldError> errors)
    {
        var causes = new JsonArray();
        foreach (var error in errors)
        {
            causes.Add(new JsonObject { ["reason"] = error.Reason, ["message"] = error.Message, ["field"] = error.Field });
        }

        var details = Details(name, group, kind);
        details["causes"] = causes;
        var what = group.Length == 0 ? kind : kind + "." + group;
        var list = errors.Count == 1
            ? errors[0].ToString()
            : "[" + string.Join(", ", errors.Select(e => e.ToString())) + "]";
        return Failure(422, "Invalid", $"{what} \"{name}\" is invalid: {list}", details);
    }

    public static JsonObject BadRequest(string message) => Failure(400, "BadRequest", message);

    public static JsonObject MethodNotAllowed(string message) => Failure(405, "MethodNotAllowed", message);

    public static JsonObject UnsupportedMediaType(string contentType) =>
        Failure(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got {contentType})");

    public static JsonObject Expired(string message) => Failure(410, "Expired", message);

    public static JsonObject TooManyRequests(int retryAfterSeconds)
    {
        var details = new JsonObject { ["retryAfterSeconds"] = retryAfterSeconds };
        return Failure(429, "TooManyRequests", "the server has received too many requests and has asked us to try again later", details);
    }

    public static JsonObject InternalError(string message) =>
        Failure(500, "InternalError", "Internal error occurred: " + message, new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = message }) });

    public static JsonObject ForCode(int code, string message) => code switch
    {
        409 => Failure(409, "Conflict", message),
        500 => InternalError(message),
        503 => Failure(503, "ServiceUnavailable", message),
        404 => Failure(404, "NotFound", message),
        _ => Failure(code, code.ToString(CultureInfo.InvariantCulture), message),
    };

    private static JsonObject Details(string? name, string group, string kind)
    {
        var details = new JsonObject();
        if (name is not null)
        {
            details["name"] = name;
        }

        if (group.Length > 0)
        {
            details["group"] = group;
        }

        details["kind"] = kind;
        return details;
    }
}
