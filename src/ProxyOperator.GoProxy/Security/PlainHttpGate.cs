using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ProxyOperator.GoProxy.Configuration;
using ProxyOperator.GoProxy.Protocol;

namespace ProxyOperator.GoProxy.Security;

/// <summary>
/// Applies <c>tls.plainHttp</c> to requests that arrived on the plain-HTTP listener. Probes, <c>/status</c> and
/// <c>/metrics</c> are always served there: kubelet probes, the operator and scrapers speak plain HTTP in-cluster.
/// </summary>
public sealed class PlainHttpGate(RequestDelegate next, IOptions<ProxyOptions> options)
{
    private readonly TlsOptions _tls = options.Value.Tls;
    private readonly int _httpsPort = options.Value.Tls.RedirectPort
        ?? (ListenAddress.TryParse(options.Value.Listen, out var listen, out _) ? listen.Port : 443);

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (context.Request.IsHttps || !_tls.Enabled || _tls.PlainHttp == PlainHttpPolicy.Serve ||
            path is "/healthz" or "/readyz" or "/status" or "/metrics")
        {
            return next(context);
        }

        var host = context.Request.Host.Host;
        var https = $"https://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}{(_httpsPort == 443 ? "" : $":{_httpsPort}")}";
        if (_tls.PlainHttp == PlainHttpPolicy.Redirect)
        {
            // 308 keeps the method; the go command follows it (an https→http redirect it would refuse, not this one).
            context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
            context.Response.Headers.Location = https + context.Request.PathBase + context.Request.Path + context.Request.QueryString;
            return Task.CompletedTask;
        }

        return ProtocolEndpoints.WriteErrorAsync(context, StatusCodes.Status403Forbidden, $"this proxy serves modules over HTTPS only: use {https}/");
    }
}
