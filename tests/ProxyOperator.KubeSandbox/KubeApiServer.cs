using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProxyOperator.KubeSandbox.Garbage;
using ProxyOperator.KubeSandbox.Http;
using ProxyOperator.KubeSandbox.Operations;
using ProxyOperator.KubeSandbox.Resources;
using ProxyOperator.KubeSandbox.Storage;
using ProxyOperator.KubeSandbox.Watch;

namespace ProxyOperator.KubeSandbox;

/// <summary>
/// A Kubernetes API server for tests: plain HTTP on loopback, no authentication, everything in memory. It has no
/// scheduler, kubelet or controllers other than garbage collection: a Deployment does not start Pods.
/// </summary>
public sealed class KubeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GarbageCollector _collector;

    private KubeApiServer(WebApplication app, GarbageCollector collector, FaultInjector faults, Uri baseUrl)
    {
        _app = app;
        _collector = collector;
        Faults = faults;
        BaseUrl = baseUrl;
    }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri BaseUrl { get; }

    public FaultInjector Faults { get; }

    public static async Task<KubeApiServer> StartAsync(KubeApiServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new KubeApiServerOptions();
        var store = new ObjectStore(options.WatchHistoryPerResource);
        var registry = new ResourceRegistry();
        GarbageCollector? collector = null;
        var operations = new ResourceOperations(store, registry, options.Clock, () => collector?.Poke());
        collector = GarbageCollector.Start(operations);
        var faults = new FaultInjector(options.FaultSeed, () =>
        {
            lock (store.Gate)
            {
                store.Compact();
            }
        });
        lock (store.Gate)
        {
            // The namespaces every cluster starts with.
            foreach (var ns in (string[])["default", "kube-system", "kube-public", "kube-node-lease"])
            {
                operations.Create(registry.Find(string.Empty, "namespaces")!, "v1", null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } }, new WriteOptions("kube-apiserver"));
            }
        }

        var watches = new WatchStream(store, faults, options.BookmarkInterval, options.Clock);
        var handler = new ApiRequestHandler(operations, watches, faults, options.Clock);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();

        // Only failures of the server itself (unhandled exceptions) reach the console: they are bugs to see.
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Error);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Parse(options.Host), options.Port));
        var app = builder.Build();
        // A bug in the sandbox still answers the way the API server answers a panic: a 500 InternalError Status
        // (the exception itself is logged by the handler middleware).
        app.UseExceptionHandler(failed => failed.Run(context =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(Statuses.InternalError("the sandbox failed to handle the request").ToJsonString(), context.RequestAborted);
        }));
        if (options.RequestObserver is { } observer)
        {
            app.Use(Observation.RequestObservation.Middleware(observer));
        }

        app.Run(handler.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await collector.DisposeAsync();
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        var baseUrl = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{options.Host}:{port}/"));
        return new KubeApiServer(app, collector, faults, baseUrl);
    }

    /// <summary>
    /// Writes a kubeconfig for this server (cluster, user and context all named "sandbox", namespace default) and
    /// returns <paramref name="path"/>.
    /// </summary>
    public string WriteKubeconfig(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, Kubeconfig.For(BaseUrl));
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        await _collector.DisposeAsync();
    }
}
