using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ProxyOperator.Testing;

/// <summary>
/// A static GOPROXY server for a fixture tree on 127.0.0.1 that counts every request by path and injects the faults
/// a test asks for (a status, a delay, a body cut short), so caching and singleflight are asserted, not assumed.
/// </summary>
public sealed class FixtureServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _root;
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private int _total;
    private bool _stopped;

    private FixtureServer(WebApplication app, string root)
    {
        _app = app;
        _root = Path.GetFullPath(root);
    }

    public Uri BaseUrl { get; private set; } = null!;

    public FaultPlan Faults { get; } = new();

    public int TotalRequests => Volatile.Read(ref _total);

    /// <summary>How many requests arrived for a decoded path such as <c>/example.com/lib/c/@v/list</c>.</summary>
    public int RequestCount(string path) => _counts.TryGetValue(path, out var count) ? count : 0;

    /// <summary>Every decoded path requested so far (the request log, without counts).</summary>
    public IReadOnlyCollection<string> RequestedPaths => _counts.Keys.ToList();

    public static async Task<FixtureServer> StartAsync(string root, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FixtureServer(app, root);
        app.Run(server.ServeAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Stops listening: later connections are refused, as with an upstream that went down.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task ServeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        _counts.AddOrUpdate(path, 1, (_, n) => n + 1);
        Interlocked.Increment(ref _total);
        var fault = Faults.Find(path);
        if (fault?.Delay is { } delay)
        {
            try
            {
                await Task.Delay(delay, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        if (fault?.Status is { } status)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync($"injected fault {status}\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var file = Path.GetFullPath(Path.Combine(_root, path.TrimStart('/')));
        if (!file.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(file))
        {
            context.Response.StatusCode = 404;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync($"not found: {path}\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var length = new FileInfo(file).Length;
        context.Response.ContentType = Path.GetExtension(file) switch
        {
            ".info" => "application/json",
            ".zip" => "application/zip",
            _ => file.EndsWith("@latest", StringComparison.Ordinal) ? "application/json" : "text/plain; charset=utf-8",
        };
        context.Response.ContentLength = length;
        var stream = File.OpenRead(file);
        await using (stream.ConfigureAwait(false))
        {
            if (fault?.TruncateAfter is { } cut)
            {
                // Promise the whole length, send part of it, then drop the connection: a transfer cut short.
                var buffer = new byte[Math.Min(cut, length)];
                await stream.ReadExactlyAsync(buffer, context.RequestAborted).ConfigureAwait(false);
                await context.Response.Body.WriteAsync(buffer, context.RequestAborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                context.Abort();
                return;
            }

            await stream.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}

/// <summary>Faults keyed by a path suffix ("" matches every path); the longest matching suffix wins.</summary>
public sealed class FaultPlan
{
    private readonly ConcurrentDictionary<string, Fault> _rules = new(StringComparer.Ordinal);

    public void Status(string pathSuffix, int status) =>
        _rules.AddOrUpdate(pathSuffix, new Fault(status, null, null), (_, f) => f with { Status = status });

    public void Delay(string pathSuffix, TimeSpan delay) =>
        _rules.AddOrUpdate(pathSuffix, new Fault(null, delay, null), (_, f) => f with { Delay = delay });

    public void Truncate(string pathSuffix, long bytes) =>
        _rules.AddOrUpdate(pathSuffix, new Fault(null, null, bytes), (_, f) => f with { TruncateAfter = bytes });

    public void Clear() => _rules.Clear();

    internal Fault? Find(string path)
    {
        Fault? found = null;
        var longest = -1;
        foreach (var (suffix, fault) in _rules)
        {
            if (path.EndsWith(suffix, StringComparison.Ordinal) && suffix.Length > longest)
            {
                found = fault;
                longest = suffix.Length;
            }
        }

        return found;
    }
}

internal sealed record Fault(int? Status, TimeSpan? Delay, long? TruncateAfter);
