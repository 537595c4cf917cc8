using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using ProxyOperator.GoProxy.Caching;
using ProxyOperator.GoProxy.Filters;
using ProxyOperator.GoProxy.Storage;
using ProxyOperator.GoProxy.Storage.Eviction;

namespace ProxyOperator.GoProxy.Protocol;

/// <summary>The GOPROXY protocol over HTTP: routes, status codes, content types and cache headers.</summary>
public static class ProtocolEndpoints
{
    // Immutable artifacts may be cached by anything in front of the proxy forever; list and latest briefly.
    private const string ImmutableCacheControl = "public, max-age=31536000, immutable";
    private const string ShortCacheControl = "public, max-age=60";
    private const string NoStore = "no-store";
    private const int CopyBufferSize = 64 << 10;

    public static void MapGoProxyProtocol(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapSumDb();
        endpoints.MapMethods("/{**path}", [HttpMethods.Get, HttpMethods.Head], HandleAsync);
    }

    private static async Task HandleAsync(HttpContext context, ModuleSource source, StoreActivity activity, ModuleFilter filter)
    {
        var outcome = context.Features.Get<RequestOutcome>();
        var parsed = ProtocolRequest.Parse(context.Request.Path.Value ?? "");
        if (parsed.Request is not { } request)
        {
            if (outcome is not null)
            {
                outcome.Endpoint = "invalid";
            }

            await WriteErrorAsync(context, parsed.StatusCode, parsed.Reason).ConfigureAwait(false);
            return;
        }

        if (outcome is not null)
        {
            outcome.Endpoint = request.Endpoint;
        }

        var rules = filter.Rules;
        if (FilteredAnswers.RefusalBefore(rules, request) is { } refusal)
        {
            await WriteErrorAsync(context, StatusCodes.Status403Forbidden, refusal).ConfigureAwait(false);
            return;
        }

        var token = context.RequestAborted;
        // A stored version is pinned from lookup to last byte sent, so eviction leaves it alone meanwhile.
        using var pin = request is { IsQuery: false, Kind: ArtifactKind.Info or ArtifactKind.Mod or ArtifactKind.Zip }
            ? await activity.PinAsync(request.Module, request.Version, token).ConfigureAwait(false)
            : null;
        ProxyAnswer answer;
        try
        {
            answer = request switch
            {
                { IsQuery: true } => await source.QueryInfoAsync(request.Module, request.Version, token).ConfigureAwait(false),
                { Kind: ArtifactKind.List } => await source.GetListAsync(request.Module, token).ConfigureAwait(false),
                { Kind: ArtifactKind.Latest } => await source.GetLatestAsync(request.Module, token).ConfigureAwait(false),
                _ => await source.GetArtifactAsync(ArtifactKey.ForVersion(request.Module, request.Kind, request.Version), token).ConfigureAwait(false),
            };
            // A list, latest or query answer names versions only now: the refused ones are left out or refused.
            answer = await FilteredAnswers.AfterAsync(rules, request, answer, token).ConfigureAwait(false);
        }
        catch (StorageFailureException e) when (!context.Response.HasStarted)
        {
            // The store cannot be read at all (a bucket unreachable, a volume gone): the client may retry, or try its
            // next GOPROXY entry, which a 503 allows and a 500 would not say.
            await WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, $"storage unavailable: {e.Message}").ConfigureAwait(false);
            return;
        }
        if (outcome is not null)
        {
            outcome.Cache = answer.Cache;
        }

        await WriteAnswerAsync(context, request, answer).ConfigureAwait(false);
    }

    private static async Task WriteAnswerAsync(HttpContext context, ProtocolRequest request, ProxyAnswer answer)
    {
        if (answer.StatusCode != 200)
        {
            await WriteErrorAsync(context, answer.StatusCode, answer.Reason).ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        var immutable = !request.IsQuery && request.Kind is ArtifactKind.Info or ArtifactKind.Mod or ArtifactKind.Zip;
        response.ContentType = ContentType(request.Kind);
        response.Headers.CacheControl = immutable ? ImmutableCacheControl : ShortCacheControl;
        if (answer.Artifact is { } artifact)
        {
            await using (artifact.ConfigureAwait(false))
            {
                if (immutable)
                {
                    var etag = ETagOf(request, artifact.Length);
                    response.Headers.ETag = etag;
                    response.Headers.LastModified = artifact.LastModified.ToString("R");
                    if (context.Request.Headers.IfNoneMatch.Contains(etag))
                    {
                        response.StatusCode = StatusCodes.Status304NotModified;
                        return;
                    }
                }

                response.ContentLength = artifact.Length;
                if (HttpMethods.IsHead(context.Request.Method))
                {
                    return;
                }

                await artifact.Content.CopyToAsync(response.Body, CopyBufferSize, context.RequestAborted).ConfigureAwait(false);
                RecordBytes(context, artifact.Length);
            }

            return;
        }

        var body = answer.Body!;
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
            RecordBytes(context, body.Length);
        }
    }

    /// <summary>
    /// Errors are one line of text/plain: the go command prints the body as "server response:"
    /// (GOPROXY-PROTOCOL.md §3).
    /// </summary>
    internal static async Task WriteErrorAsync(HttpContext context, int statusCode, string reason)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers.CacheControl = NoStore;
        var body = Encoding.UTF8.GetBytes(reason.ReplaceLineEndings(" ") + "\n");
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static string ContentType(ArtifactKind kind) => kind switch
    {
        ArtifactKind.Info or ArtifactKind.Latest => "application/json",
        ArtifactKind.Zip => "application/zip",
        _ => "text/plain; charset=utf-8",
    };

    /// <summary>
    /// Stored artifacts never change, so their name and size identify their bytes on every replica.
    /// </summary>
    private static string ETagOf(ProtocolRequest request, long length)
    {
        var name = Encoding.UTF8.GetBytes($"{request.Module.Value}@{request.Version}.{request.Kind}");
        var hash = Convert.ToHexStringLower(SHA256.HashData(name).AsSpan(0, 8));
        return $"\"{hash}-{length:x}\"";
    }

    private static void RecordBytes(HttpContext context, long bytes)
    {
        if (context.Features.Get<RequestOutcome>() is { } outcome)
        {
            outcome.BodyBytes = bytes;
        }
    }
}
