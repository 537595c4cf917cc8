using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyOperator.GoProxy.Configuration;
using ProxyOperator.GoProxy.Observability;

namespace ProxyOperator.GoProxy.Upstream;

/// <summary>
/// Fetches one protocol path from the upstream proxies in order, with GOPROXY fall-through rules: a 404/410 always
/// moves on; any other failure moves on only after a <c>|</c>. Transient failures (connection errors, timeouts, 429,
/// 500, 502, 503, 504) are retried with capped exponential backoff; a 404/410 never is.
/// </summary>
public sealed class UpstreamChain
{
    private readonly HttpClient _http;
    private readonly UpstreamList? _upstreams;
    private readonly UpstreamClientOptions _options;
    private readonly UpstreamHealth _health;
    private readonly ProxyMetrics _metrics;
    private readonly ILogger<UpstreamChain> _logger;

    public UpstreamChain(HttpClient http, IOptions<ProxyOptions> options, UpstreamHealth health, ProxyMetrics metrics, ILogger<UpstreamChain> logger)
    {
        _http = http;
        _options = options.Value.UpstreamClient;
        _upstreams = options.Value.Offline ? null : UpstreamList.TryParse(options.Value.Upstream, out var list, out _) ? list : null;
        _health = health;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>
    /// Fetches <paramref name="relativePath"/> (escaped, as the protocol names it) and hands the 200 response to
    /// <paramref name="consume"/>. A consumer that throws <see cref="IOException"/> or <see cref="HttpRequestException"/>
    /// (a body cut short) makes the attempt transient; <see cref="InvalidUpstreamContentException"/> fails it for good.
    /// </summary>
    public async Task<UpstreamResult<T>> FetchAsync<T>(
        string relativePath,
        string kind,
        Func<HttpResponseMessage, CancellationToken, Task<T>> consume,
        CancellationToken cancellationToken)
    {
        if (_upstreams is null)
        {
            return UpstreamResult.NotFound<T>("offline mode: no upstream is contacted");
        }

        UpstreamResult<T>? last = null;
        var proxies = _upstreams.Proxies;
        for (var i = 0; i < proxies.Count; i++)
        {
            var proxy = proxies[i];
            last = await FetchFromAsync(proxy, relativePath, kind, consume, cancellationToken).ConfigureAwait(false);
            var canFallThrough = i < proxies.Count - 1 &&
                (last.Status == UpstreamStatus.NotFound || proxy.FallBack == FallBack.OnAnyError);
            if (last.Status == UpstreamStatus.Found || !canFallThrough)
            {
                return last;
            }
        }

        return last!;
    }

    private async Task<UpstreamResult<T>> FetchFromAsync<T>(
        UpstreamProxy proxy,
        string relativePath,
        string kind,
        Func<HttpResponseMessage, CancellationToken, Task<T>> consume,
        CancellationToken cancellationToken)
    {
        var url = new Uri(proxy.RequestBase, relativePath);
        var started = Stopwatch.GetTimestamp();
        string failure = "";
        var timedOut = false;
        for (var attempt = 0; attempt <= _options.MaxRetries; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
            }

            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(_options.MetadataTimeout);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Authorization = proxy.Authorization;
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptTimeout.Token).ConfigureAwait(false);
                if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
                {
                    _health.RecordSuccess();
                    _metrics.RecordUpstreamFetch(kind, "not_found", Stopwatch.GetElapsedTime(started));
                    return UpstreamResult.NotFound<T>($"{proxy.DisplayName} answered {(int)response.StatusCode} for {relativePath}");
                }

                if (!response.IsSuccessStatusCode)
                {
                    failure = $"{proxy.DisplayName} answered {(int)response.StatusCode} {response.ReasonPhrase} for {relativePath}";
                    timedOut = false;
                    if (IsTransient(response.StatusCode))
                    {
                        LogRetry(proxy, relativePath, attempt, failure);
                        continue;
                    }

                    break;
                }

                // Past the headers, the body has its own idle deadline (enforced by the consumer); only the
                // caller's token and the overall fetch deadline bound it from here.
                attemptTimeout.CancelAfter(Timeout.InfiniteTimeSpan);
                var value = await consume(response, cancellationToken).ConfigureAwait(false);
                _health.RecordSuccess();
                _metrics.RecordUpstreamFetch(kind, "ok", Stopwatch.GetElapsedTime(started));
                return UpstreamResult.Found(value);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = $"{proxy.DisplayName} did not answer {relativePath} within {_options.MetadataTimeout.TotalSeconds:0.###}s";
                timedOut = true;
                LogRetry(proxy, relativePath, attempt, failure);
            }
            catch (TimeoutException e)
            {
                failure = $"{proxy.DisplayName} stalled sending {relativePath}: {e.Message}";
                timedOut = true;
                LogRetry(proxy, relativePath, attempt, failure);
            }
            catch (HttpRequestException e)
            {
                failure = $"{proxy.DisplayName} unreachable for {relativePath}: {OneLine(e)}";
                timedOut = false;
                LogRetry(proxy, relativePath, attempt, failure);
            }
            catch (IOException e)
            {
                failure = $"{proxy.DisplayName} cut {relativePath} short: {OneLine(e)}";
                timedOut = false;
                LogRetry(proxy, relativePath, attempt, failure);
            }
            catch (InvalidUpstreamContentException e)
            {
                failure = $"{proxy.DisplayName} sent invalid content for {relativePath}: {e.Message}";
                timedOut = false;
                break;
            }
        }

        _health.RecordFailure(failure);
        _metrics.RecordUpstreamFetch(kind, timedOut ? "timeout" : "error", Stopwatch.GetElapsedTime(started));
        Log.UpstreamFailed(_logger, failure);
        return UpstreamResult.Failed<T>(failure, timedOut);
    }

    private void LogRetry(UpstreamProxy proxy, string relativePath, int attempt, string failure)
    {
        if (attempt < _options.MaxRetries)
        {
            Log.UpstreamRetry(_logger, proxy.DisplayName, relativePath, attempt + 1, failure);
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var initial = _options.InitialBackoff.TotalMilliseconds;
        var capped = Math.Min(_options.MaxBackoff.TotalMilliseconds, initial * Math.Pow(2, attempt - 1));
        // Full jitter keeps replicas that failed together from retrying together.
        return TimeSpan.FromMilliseconds(capped / 2 + Random.Shared.NextDouble() * capped / 2);
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private static string OneLine(Exception e)
    {
        var message = e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
        return message.ReplaceLineEndings(" ");
    }
}
