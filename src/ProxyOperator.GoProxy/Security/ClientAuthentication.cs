using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyOperator.GoProxy.Admin;
using ProxyOperator.GoProxy.Configuration;
using ProxyOperator.GoProxy.Protocol;

namespace ProxyOperator.GoProxy.Security;

/// <summary>
/// Requires a credential from <c>auth.usersFile</c> or <c>auth.tokensFile</c> on every path except the open ones:
/// probes, <c>/status</c> (the operator polls it without credentials; it reports health and counts, never a secret),
/// <c>/metrics</c> unless <c>auth.protectMetrics</c>, and <c>/_admin/</c>, which checks its own token. Open paths are
/// listed exactly (case-sensitive), so anything else, including paths routing would treat alike, needs credentials.
/// </summary>
public sealed class ClientAuthentication
{
    /// <summary>A rotated Secret takes effect within this long.</summary>
    internal static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(1);

    private readonly RequestDelegate _next;
    private readonly ReloadingFiles<ClientCredentials>? _credentials;
    private readonly AuthOptions _options;
    private readonly string _challenge;
    private readonly ILogger<ClientAuthentication> _logger;

    public ClientAuthentication(RequestDelegate next, IOptions<ProxyOptions> options, TimeProvider time, ILogger<ClientAuthentication> logger)
    {
        _next = next;
        _logger = logger;
        _options = options.Value.Auth;
        // go answers a 401 with its .netrc credentials as Basic, whatever the challenge; the scheme tells a person.
        _challenge = _options.Type == AuthType.Bearer ? "Bearer realm=\"goproxy\"" : "Basic realm=\"goproxy\", charset=\"UTF-8\"";
        if (_options.CredentialsFile is { } file)
        {
            var basic = _options.Type == AuthType.Basic;
            _credentials = new ReloadingFiles<ClientCredentials>([file], contents =>
            {
                var text = Encoding.UTF8.GetString(contents[0]);
                var parsed = basic ? ClientCredentials.ParseUsers(text) : ClientCredentials.ParseTokens(text);
                if (parsed.Problem is { } problem)
                {
                    throw new InvalidDataException(problem);
                }

                SecurityLog.CredentialsReloaded(logger, parsed.Count);
                return parsed;
            }, ReloadInterval, time, reason => SecurityLog.CredentialsReloadFailed(logger, reason));
        }
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (_credentials is null || IsOpen(context.Request.Path.Value ?? "", _options.ProtectMetrics))
        {
            return _next(context);
        }

        ClientCredentials credentials;
        try
        {
            credentials = _credentials.Current;
        }
        catch (IOException)
        {
            // Never readable since start-up (start-up checked it, so it was removed in between): nobody gets in.
            return RefuseAsync(context, 503, "credentials unavailable");
        }

        var presented = AuthorizationHeader.Parse(context.Request.Headers.Authorization.Count == 1 ? context.Request.Headers.Authorization[0] : null);
        if (credentials.Accepts(presented))
        {
            return _next(context);
        }

        return RefuseAsync(context, 401, presented.Kind switch
        {
            CredentialKind.None => "no credentials",
            CredentialKind.Malformed => "unreadable Authorization header",
            _ => "wrong credentials",
        });
    }

    /// <summary>True for the paths every client may use.</summary>
    internal static bool IsOpen(string path, bool protectMetrics) =>
        path is "/healthz" or "/readyz" or "/status" ||
        (path == "/metrics" && !protectMetrics) ||
        path.StartsWith(AdminEndpoints.Prefix + "/", StringComparison.Ordinal);

    private Task RefuseAsync(HttpContext context, int status, string reason)
    {
        SecurityLog.AuthenticationFailed(_logger, context.Request.Method, context.Request.Path.Value ?? "",
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown", reason);
        if (status == 401)
        {
            context.Response.Headers.WWWAuthenticate = _challenge;
        }

        return ProtocolEndpoints.WriteErrorAsync(context, status, status == 401
            ? "authentication required: give the go command credentials in .netrc (see GOAUTH/NETRC)"
            : "authentication is unavailable");
    }
}
