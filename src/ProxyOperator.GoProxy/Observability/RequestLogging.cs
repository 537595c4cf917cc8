using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ProxyOperator.GoProxy.Protocol;

namespace ProxyOperator.GoProxy.Observability;

/// <summary>One log line and one set of metrics per request, with the cache result the handler reported.</summary>
public sealed class RequestLogging(RequestDelegate next, ProxyMetrics metrics, ILogger<RequestLogging> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var outcome = new RequestOutcome();
        context.Features.Set(outcome);
        var started = Stopwatch.GetTimestamp();
        using var inFlight = metrics.TrackInFlight();
        var failed = false;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch
        {
            // The server answers 500 after this middleware has returned: count and log it as such here.
            failed = true;
            throw;
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            var status = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? 499
                : failed && !context.Response.HasStarted ? 500 : context.Response.StatusCode;
            var path = context.Request.Path.Value ?? "";
            if (outcome.Endpoint is { } endpoint)
            {
                metrics.RecordRequest(endpoint, status, outcome.Cache, elapsed, outcome.BodyBytes);
                if (outcome.Cache == CacheResult.Hit && status < 400)
                {
                    Log.RequestServedFromCache(logger, context.Request.Method, path, status, outcome.Cache.ToLabel(), elapsed.TotalMilliseconds, outcome.BodyBytes);
                }
                else
                {
                    Log.RequestServed(logger, context.Request.Method, path, status, outcome.Cache.ToLabel(), elapsed.TotalMilliseconds, outcome.BodyBytes);
                }
            }
            else
            {
                Log.ProbeServed(logger, context.Request.Method, path, status, elapsed.TotalMilliseconds);
            }
        }
    }
}
