using System.Text.Json.Nodes;

namespace ProxyOperator.KubeSandbox.Http;

/// <summary>
/// A failed API call carried to the HTTP layer as the <c>Status</c> object Kubernetes answers with
/// (https://github.com/kubernetes/community/blob/master/contributors/devel/sig-architecture/api-conventions.md#response-status-kind).
/// </summary>
internal sealed class ApiException : Exception
{
    public ApiException(JsonObject status)
        : base((string?)status["message"])
    {
        Status = status;
    }

    public ApiException()
        : this(Statuses.InternalError("unknown error"))
    {
    }

    public ApiException(string message)
        : this(Statuses.InternalError(message))
    {
    }

    public ApiException(string message, Exception innerException)
        : base(message, innerException) => Status = Statuses.InternalError(message);

    public JsonObject Status { get; }

    public int Code => (int?)Status["code"] ?? 500;
}
