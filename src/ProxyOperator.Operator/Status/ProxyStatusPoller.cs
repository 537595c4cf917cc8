using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using k8s.Models;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Builders;

namespace ProxyOperator.Operator.Status;

/// <summary>
/// Reads <c>GET /status</c> from each ready proxy pod of one GoModuleProxy, a bounded number at once, each under a
/// short deadline (DESIGN §3), and turns the answers into <c>status.proxies[]</c>. Every listed pod gets an entry,
/// whether it answered or not; a pod that did not answer keeps the figures of its previous entry.
/// </summary>
public sealed class ProxyStatusPoller : IDisposable
{
    // A status report is well under a kilobyte; a body near this size is not one, and is not worth buffering.
    private const int MaxAnswerBytes = 1024 * 1024;

    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;
    private readonly int _maxConcurrency;
    private readonly TimeProvider _clock;
    private readonly Func<V1Pod, Uri?> _podAddress;

    /// <param name="options">Deadline per pod and pods asked at once.</param>
    /// <param name="clock">Stamps <c>lastReport</c>.</param>
    /// <param name="podAddress">Where a pod's proxy listens; <see cref="PodAddress"/> unless a test points elsewhere.</param>
    public ProxyStatusPoller(ProxyStatusPollerOptions options, TimeProvider? clock = null, Func<V1Pod, Uri?>? podAddress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero, nameof(options.Timeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrency, 1, nameof(options.MaxConcurrency));
        _timeout = options.Timeout;
        _maxConcurrency = options.MaxConcurrency;
        _clock = clock ?? TimeProvider.System;
        _podAddress = podAddress ?? PodAddress;
        _http = new HttpClient(new SocketsHttpHandler
        {
            // Pod IPs are reached directly: an HTTP_PROXY set for the operator's other traffic must not capture them.
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            // Pods come and go and a new pod may get an old pod's IP: no connection outlives a few polls.
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        })
        {
            // Each request carries its own deadline (linked to the caller's token), so the client's own is off.
            Timeout = Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = MaxAnswerBytes,
        };
    }

    /// <summary>
    /// The default address of a pod's proxy: its pod IP and the container port named
    /// <see cref="ProxyContainer.PortName"/> of the container <see cref="ProxyContainer.Name"/>, or null while the pod
    /// has no IP.
    /// </summary>
    public static Uri? PodAddress(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (!IPAddress.TryParse(pod.Status?.PodIP, out var ip))
        {
            return null;
        }

        // The operator built this pod, so the named port is there; the image's default covers a pod made by hand.
        var port = pod.Spec?.Containers?.FirstOrDefault(c => c.Name == ProxyContainer.Name)?.Ports?
            .FirstOrDefault(p => p.Name == ProxyContainer.PortName)?.ContainerPort ?? ProxyContainer.Port;
        var host = ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip.ToString();
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{host}:{port}/"));
    }

    /// <summary>
    /// Polls <paramref name="pods"/> (as listed by the reconciler) and returns one entry per pod not being deleted,
    /// sorted by pod name. <paramref name="previous"/> is the current <c>status.proxies</c>: a pod that gives no
    /// answer keeps its figures and its <c>lastReport</c> from there.
    /// </summary>
    public async Task<IReadOnlyList<PolledProxy>> PollAsync(IReadOnlyList<V1Pod> pods, IEnumerable<ProxyReport>? previous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var earlier = new Dictionary<string, ProxyReport>(StringComparer.Ordinal);
        foreach (var report in previous ?? [])
        {
            earlier[report.Pod] = report;
        }

        // A pod being deleted is leaving: reporting it would only show a failure that is on purpose.
        var live = pods.Where(p => p.Metadata?.DeletionTimestamp is null)
            .OrderBy(p => p.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        var results = new PolledProxy[live.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _maxConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, live.Count), parallel, async (i, token) =>
            results[i] = await PollAsync(live[i], earlier.GetValueOrDefault(live[i].Metadata.Name), token).ConfigureAwait(false)).ConfigureAwait(false);
        return results;
    }

    public void Dispose() => _http.Dispose();

    private async Task<PolledProxy> PollAsync(V1Pod pod, ProxyReport? previous, CancellationToken cancellationToken)
    {
        var name = pod.Metadata.Name;
        if (!IsReady(pod))
        {
            // Not ready means the kubelet's probe already failed: asking would only wait for the same answer.
            return Unanswered(name, false, previous, "pod not ready");
        }

        if (_podAddress(pod) is not { } address)
        {
            return Unanswered(name, true, previous, "no pod IP yet");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        try
        {
            using var response = await _http.GetAsync(new Uri(address, ProxyContainer.StatusPath), deadline.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return Unanswered(name, true, previous, string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}"));
            }

            var answer = await response.Content.ReadFromJsonAsync(ProxyStatusJsonContext.Default.ProxyStatusAnswer, deadline.Token).ConfigureAwait(false);
            return answer is null
                ? Unanswered(name, true, previous, "unreadable status: null")
                : new PolledProxy(Answered(name, answer), answer);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Unanswered(name, true, previous, string.Create(CultureInfo.InvariantCulture, $"no answer within {_timeout.TotalSeconds:0.###}s"));
        }
        catch (HttpRequestException e)
        {
            return Unanswered(name, true, previous, $"no answer: {Describe(e)}");
        }
        catch (JsonException e)
        {
            return Unanswered(name, true, previous, $"unreadable status: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    private ProxyReport Answered(string pod, ProxyStatusAnswer answer)
    {
        // The proxy's readiness is its storage's (HealthEndpoints.cs); both are checked so that neither side's change
        // of that rule makes an unready proxy look healthy.
        var problem = answer.Storage?.Ready != true ? $"storage not ready: {answer.Storage?.Error ?? "no reason given"}"
            : !answer.Ready ? "proxy reports not ready"
            : null;
        return new ProxyReport
        {
            Pod = pod,
            Ready = true,
            Healthy = problem is null,
            Message = problem,
            LastReport = _clock.GetUtcNow().UtcDateTime,
            CacheHitRatio = answer.Cache?.HitRatio,
            CachedArtifacts = answer.Cache?.Artifacts,
            CacheBytes = answer.Cache?.Bytes,
            UpstreamErrors = answer.Upstream?.Errors,
            Version = answer.Version,
        };
    }

    private static PolledProxy Unanswered(string pod, bool ready, ProxyReport? previous, string message) => new(new ProxyReport
    {
        Pod = pod,
        Ready = ready,
        Healthy = false,
        Message = message,
        LastReport = previous?.LastReport,
        CacheHitRatio = previous?.CacheHitRatio,
        CachedArtifacts = previous?.CachedArtifacts,
        CacheBytes = previous?.CacheBytes,
        UpstreamErrors = previous?.UpstreamErrors,
        Version = previous?.Version,
    }, null);

    private static bool IsReady(V1Pod pod) =>
        pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>Why a request got no answer, in the words <c>curl</c> would use.</summary>
    private static string Describe(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.ConnectionReset => "connection reset",
                    SocketError.HostUnreachable => "host unreachable",
                    SocketError.NetworkUnreachable => "network unreachable",
                    _ => socket.Message.ReplaceLineEndings(" "),
                };
            }
        }

        return e.HttpRequestError switch
        {
            HttpRequestError.ResponseEnded => "connection closed before a complete response",
            HttpRequestError.InvalidResponse => "not an HTTP response",
            _ => e.Message.ReplaceLineEndings(" "),
        };
    }
}
