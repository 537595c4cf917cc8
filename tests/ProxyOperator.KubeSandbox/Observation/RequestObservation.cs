using Microsoft.AspNetCore.Http;
using ProxyOperator.KubeSandbox.Http;

namespace ProxyOperator.KubeSandbox.Observation;

/// <summary>
/// Middleware that hands every resource request to <see cref="KubeApiServerOptions.RequestObserver"/> once its answer
/// starts (for a watch: when the stream opens). Discovery and other non-resource URLs are not reported.
/// </summary>
internal static class RequestObservation
{
    public static Func<HttpContext, RequestDelegate, Task> Middleware(Action<RequestRecord> observer) => (context, next) =>
    {
        var segments = (context.Request.Path.Value ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (ApiPath.Parse(segments) is { Resource: { } resource } path)
        {
            var verb = ApiRequestHandler.Verb(context.Request, path);
            var agent = context.Request.Headers.UserAgent.ToString();
            context.Response.OnStarting(() =>
            {
                observer(new RequestRecord(verb, path.Group, path.Version, resource, path.Subresource, path.Namespace, path.Name, agent, context.Response.StatusCode));
                return Task.CompletedTask;
            });
        }

        return next(context);
    };
}
