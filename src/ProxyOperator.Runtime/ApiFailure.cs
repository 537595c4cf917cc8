using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;

namespace ProxyOperator.Runtime;

internal static class ApiFailure
{
    /// <summary>
    /// Failures of the API server or the connection, which a retry can cure. Anything else is a bug and propagates.
    /// HttpClient's own timeout surfaces as an <see cref="OperationCanceledException"/> the caller did not ask for.
    /// </summary>
    public static bool IsRetriable(Exception e) =>
        e is HttpOperationException or HttpRequestException or IOException or KubernetesException or JsonException or OperationCanceledException;

    /// <summary>410 Gone: the resourceVersion was compacted, in the watch stream (ERROR event) or as the answer.</summary>
    public static bool IsGone(Exception e) => e switch
    {
        KubernetesException { Status.Code: (int)HttpStatusCode.Gone } => true,
        HttpOperationException { Response.StatusCode: HttpStatusCode.Gone } => true,
        _ => false,
    };
}
