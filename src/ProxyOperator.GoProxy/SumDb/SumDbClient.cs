using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyOperator.GoProxy.Configuration;

namespace ProxyOperator.GoProxy.SumDb;

/// <summary>An answer of the checksum database, or of this proxy in its place.</summary>
public sealed record SumDbAnswer(int StatusCode, byte[] Body, bool Immutable, string Reason = "");

/// <summary>
/// Reads <c>latest</c>, <c>lookup/...</c> and <c>tile/...</c> from the configured checksum database, for clients
/// (<see cref="SumDbEndpoints"/>) and for ingest verification (<see cref="ChecksumVerifier"/>) alike, with one cache:
/// complete tiles never change, so they are kept; lookups, <c>latest</c> and partial tiles for
/// <see cref="SumDbOptions.LookupTtl"/>.
/// </summary>
/// <remarks>
/// The cache is in memory and bounded (<see cref="MaxEntries"/>, about 8 KiB a tile): tiles are small and quickly
/// fetched again after a restart, and keeping them out of the module store leaves its layout and eviction alone.
/// </remarks>
public sealed partial class SumDbClient
{
    private const int MaxEntries = 8192;
    private const long MaxBodyBytes = 1 << 20;

    private readonly HttpClient _http;
    private readonly SumDbOptions _options;
    private readonly Uri _base;
    private readonly TimeProvider _time;
    private readonly ILogger<SumDbClient> _logger;
    private readonly ConcurrentDictionary<string, (byte[] Body, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    public SumDbClient(IHttpClientFactory httpFactory, IOptions<ProxyOptions> options, TimeProvider time, ILogger<SumDbClient> logger)
    {
        _http = httpFactory.CreateClient(nameof(SumDbClient));
        _options = options.Value.SumDb;
        _base = new Uri(_options.Url.TrimEnd('/') + "/");
        // Validated at start-up (SumDbOptions.Problems), so the key parses here.
        Key = VerifierKey.TryParse(_options.Key, out var key, out var error) ? key : throw new InvalidOperationException(error);
        _time = time;
        _logger = logger;
    }

    public VerifierKey Key { get; }

    public SumDbOptions Options => _options;

    /// <summary>Requests to the database itself, cache misses only; tests use it to see the cache work.</summary>
    public int DatabaseRequests => Volatile.Read(ref _databaseRequests);

    private int _databaseRequests;

    /// <summary>Whether <paramref name="path"/> (below <c>/sumdb/NAME/</c>) is one the protocol defines.</summary>
    public static bool IsDatabasePath(string path) => DatabasePath().IsMatch(path);

    /// <summary>A complete tile (no <c>.p/W</c>) never changes: its hashes are fixed once the log has grown past it.</summary>
    public static bool IsImmutable(string path) => path.StartsWith("tile/", StringComparison.Ordinal) && !path.Contains(".p/", StringComparison.Ordinal);

    public async Task<SumDbAnswer> GetAsync(string path, CancellationToken cancellationToken)
    {
        var immutable = IsImmutable(path);
        if (_cache.TryGetValue(path, out var cached) && cached.Expires > _time.GetUtcNow())
        {
            return new SumDbAnswer(200, cached.Body, immutable);
        }

        Interlocked.Increment(ref _databaseRequests);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);
        try
        {
            using var response = await _http.GetAsync(new Uri(_base, path), HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            var body = await ReadAsync(response, deadline.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var status = response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone ? (int)response.StatusCode : 502;
                var reason = $"checksum database {_options.Name} answered {(int)response.StatusCode} for {path}: {FirstLine(body)}";
                return new SumDbAnswer(status, body, Immutable: false, reason);
            }

            Remember(path, body, immutable);
            return new SumDbAnswer(200, body, immutable);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var reason = $"checksum database {_options.Name} unreachable for {path}: {(e is OperationCanceledException ? $"no answer within {_options.Timeout.TotalSeconds:0.###}s" : e.Message.ReplaceLineEndings(" "))}";
            SumDbLog.DatabaseUnreachable(_logger, reason);
            return new SumDbAnswer(502, [], Immutable: false, reason);
        }
    }

    private void Remember(string path, byte[] body, bool immutable)
    {
        if (_cache.Count >= MaxEntries)
        {
            var now = _time.GetUtcNow();
            foreach (var entry in _cache)
            {
                if (entry.Value.Expires <= now)
                {
                    _cache.TryRemove(entry.Key, out _);
                }
            }

            if (_cache.Count >= MaxEntries)
            {
                // Full of live entries: this answer is served but not kept, rather than evicting at random.
                return;
            }
        }

        _cache[path] = (body, immutable ? DateTimeOffset.MaxValue : _time.GetUtcNow() + _options.LookupTtl);
    }

    private static async Task<byte[]> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxBodyBytes)
        {
            throw new IOException($"answer of {response.Content.Headers.ContentLength} bytes is over the {MaxBodyBytes}-byte limit");
        }

        using var buffer = new MemoryStream();
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var chunk = new byte[16 << 10];
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    throw new IOException($"answer is over the {MaxBodyBytes}-byte limit");
                }

                buffer.Write(chunk, 0, read);
            }
        }

        return buffer.ToArray();
    }

    private static string FirstLine(byte[] body)
    {
        var text = System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 200)));
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? text : text[..end];
    }

    // golang.org/x/mod/sumdb: latest, lookup/MODULE@VERSION (escaped), tile/H/L/N[.p/W] with N as x001/x234/067 and
    // L a level or "data".
    [GeneratedRegex(@"^(latest|lookup/[^@\s?#]+@[^@/\s?#]+|tile/[0-9]+/([0-9]+|data)/(x[0-9]{3}/)*[0-9]{3}(\.p/[0-9]+)?)$")]
    private static partial Regex DatabasePath();
}
