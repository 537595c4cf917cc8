using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ProxyOperator.GoProxy;
using ProxyOperator.GoProxy.Caching;

namespace ProxyOperator.Testing;

/// <summary>The real proxy application on 127.0.0.1 with an ephemeral port, configured by a YAML file as users do.</summary>
public sealed class TestProxy : IAsyncDisposable
{
    private TestProxy(WebApplication app, string storageDir)
    {
        App = app;
        StorageDir = storageDir;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address.TrimEnd('/') + "/");
        Client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
    }

    public WebApplication App { get; }

    public Uri BaseUrl { get; }

    public HttpClient Client { get; }

    public string StorageDir { get; }

    public ModuleSource Source => App.Services.GetRequiredService<ModuleSource>();

    /// <summary>
    /// Starts a proxy. <paramref name="yaml"/> adds configuration (retries, timeouts) in the file format users write;
    /// tests default to quick retries so failure cases finish fast.
    /// </summary>
    public static async Task<TestProxy> StartAsync(string storageDir, string upstream, string yaml = "", bool offline = false)
    {
        Directory.CreateDirectory(storageDir);
        var config = Path.Combine(storageDir, "..", $"proxy-{Guid.NewGuid():N}.yaml");
        var defaults = """
            upstreamClient:
              maxRetries: 2
              initialBackoff: "00:00:00.010"
              maxBackoff: "00:00:00.050"
              metadataTimeout: "00:00:05"
              idleTimeout: "00:00:05"
            """;
        // Request lines at Information would flood test output (the property test sends 10,000 requests).
        const string logging = """
            Logging:
              LogLevel:
                Default: Warning

            """;
        await File.WriteAllTextAsync(config, logging + (string.IsNullOrEmpty(yaml) ? defaults : yaml));
        var args = new List<string> { "--config", config, "--listen", "127.0.0.1:0", "--storage-dir", storageDir, "--upstream", upstream, "--log-format", "text" };
        if (offline)
        {
            args.Add("--offline");
        }

        var app = ProxyApplication.Build(args);
        await app.StartAsync();
        return new TestProxy(app, storageDir);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
