using Microsoft.AspNetCore.Http;
using ProxyOperator.GoProxy.SumDb;

namespace ProxyOperator.GoProxy.Protocol;

/// <summary>
/// The checksum database through the proxy (GOPROXY-PROTOCOL.md §10): <c>/sumdb/NAME/supported</c> is answered here,
/// the rest is forwarded to the configured database and cached.
/// </summary>
public static class SumDbEndpoints
{
    private const string ImmutableCacheControl = "public, max-age=31536000, immutable";
    private const string ShortCacheControl = "public, max-age=60";

    public static void MapSumDb(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapMethods("/sumdb/{**rest}", [HttpMethods.Get, HttpMethods.Head], HandleAsync);

    private static async Task HandleAsync(HttpContext context, SumDbClient client)
    {
        if (context.Features.Get<RequestOutcome>() is { } outcome)
        {
            outcome.Endpoint = "sumdb";
        }

        // The database name may hold slashes (host/path), so the name is the configured one when the path starts so.
        var rest = context.Request.Path.Value!["/sumdb/".Length..];
        var prefix = client.Options.Name + "/";
        if (!client.Options.Proxy || !rest.StartsWith(prefix, StringComparison.Ordinal))
        {
            // 404 sends the go command to the database directly; any other status would stop it.
            await ProtocolEndpoints.WriteErrorAsync(context, 404, "this proxy does not proxy that checksum database; the go command will contact it directly").ConfigureAwait(false);
            return;
        }

        var path = rest[prefix.Length..];
        if (path == "supported")
        {
            // Answered here, never forwarded: the database itself has no such path, and its 404 would tell the go
            // command to bypass the proxy.
            context.Response.StatusCode = 200;
            context.Response.Headers.CacheControl = ShortCacheControl;
            context.Response.ContentLength = 0;
            return;
        }

        if (!SumDbClient.IsDatabasePath(path))
        {
            await ProtocolEndpoints.WriteErrorAsync(context, 404, $"not a checksum database path: {path}").ConfigureAwait(false);
            return;
        }

        var answer = await client.GetAsync(path, context.RequestAborted).ConfigureAwait(false);
        if (answer.StatusCode != 200)
        {
            await ProtocolEndpoints.WriteErrorAsync(context, answer.StatusCode, answer.Reason).ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        response.ContentType = path.StartsWith("tile/", StringComparison.Ordinal) ? "application/octet-stream" : "text/plain; charset=utf-8";
        response.Headers.CacheControl = answer.Immutable ? ImmutableCacheControl : ShortCacheControl;
        response.ContentLength = answer.Body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(answer.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
