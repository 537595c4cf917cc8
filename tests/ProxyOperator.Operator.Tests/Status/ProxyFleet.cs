using System.Net;
using System.Net.Sockets;
using k8s.Models;
using ProxyOperator.Testing;

namespace ProxyOperator.Operator.Tests.Status;

/// <summary>
/// Proxy pods for the status poller on 127.0.0.1: real proxies in front of a static upstream, a port nobody listens
/// on, and a stub whose <c>/status</c> never answers in time. Pods name them through the poller's address seam.
/// </summary>
internal sealed class ProxyFleet : IAsyncDisposable
{
    public const string Module = "example.com/fleet/m";

    private readonly TempDirectory _dir;
    private readonly Dictionary<string, Uri> _addresses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TestProxy> _proxies = new(StringComparer.Ordinal);
    private readonly List<IAsyncDisposable> _owned = [];

    private ProxyFleet(TempDirectory dir, FixtureServer upstream)
    {
        _dir = dir;
        Upstream = upstream;
    }

    /// <summary>A GOPROXY tree of one module version, enough for the proxies to count hits and misses.</summary>
    public FixtureServer Upstream { get; }

    public static async Task<ProxyFleet> StartAsync()
    {
        var dir = TempDirectory.Create("status-fleet-");
        var tree = Path.Combine(dir.Path, "upstream", Module, "@v");
        Directory.CreateDirectory(tree);
        await File.WriteAllTextAsync(Path.Combine(tree, "list"), "v1.0.0\n");
        await File.WriteAllTextAsync(Path.Combine(tree, "v1.0.0.info"), """{"Version":"v1.0.0","Time":"2024-01-01T00:00:00Z"}""");
        await File.WriteAllTextAsync(Path.Combine(tree, "v1.0.0.mod"), $"module {Module}\n\ngo 1.21\n");
        var upstream = await FixtureServer.StartAsync(Path.Combine(dir.Path, "upstream"), CancellationToken.None);
        return new ProxyFleet(dir, upstream);
    }

    public TestProxy Proxy(string pod) => _proxies[pod];

    /// <summary>Where <paramref name="pod"/> listens, for <c>ProxyStatusPoller</c>'s address seam.</summary>
    public Uri? Address(V1Pod pod) => _addresses.GetValueOrDefault(pod.Metadata.Name);

    /// <summary>Starts the real proxy for <paramref name="pod"/>, by default in front of <see cref="Upstream"/>.</summary>
    public async Task<TestProxy> StartProxyAsync(string pod, string? upstream = null)
    {
        var proxy = await TestProxy.StartAsync(Path.Combine(_dir.Path, pod, "storage"), upstream ?? Upstream.BaseUrl.ToString());
        _proxies[pod] = proxy;
        _addresses[pod] = proxy.BaseUrl;
        return proxy;
    }

    /// <summary>Stops <paramref name="pod"/>'s proxy: its port then refuses connections, as a crashed pod's does.</summary>
    public async Task StopProxyAsync(string pod)
    {
        await _proxies[pod].DisposeAsync();
        _proxies.Remove(pod);
    }

    /// <summary>A pod whose proxy is gone: connections to it are refused.</summary>
    public void AddDeadPod(string pod) => _addresses[pod] = DeadUrl();

    /// <summary>A port that was free a moment ago and has nothing listening: connections are refused.</summary>
    public static Uri DeadUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    /// <summary>A server that accepts <c>GET /status</c> and sleeps far past any poll's deadline.</summary>
    public async Task<FixtureServer> AddHangingPodAsync(string pod)
    {
        var hanging = await FixtureServer.StartAsync(_dir.Path, CancellationToken.None);
        hanging.Faults.Delay("/status", TimeSpan.FromMinutes(5));
        _owned.Add(hanging);
        _addresses[pod] = hanging.BaseUrl;
        return hanging;
    }

    /// <summary>A server for <paramref name="pod"/> that answers <c>/status</c> with <paramref name="body"/>, or counts the requests it gets.</summary>
    public async Task<FixtureServer> AddStubPodAsync(string pod, string? body = null)
    {
        var root = Path.Combine(_dir.Path, "stub-" + pod);
        Directory.CreateDirectory(root);
        if (body is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(root, "status"), body);
        }

        var stub = await FixtureServer.StartAsync(root, CancellationToken.None);
        _owned.Add(stub);
        _addresses[pod] = stub.BaseUrl;
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var proxy in _proxies.Values)
        {
            await proxy.DisposeAsync();
        }

        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        await Upstream.DisposeAsync();
        _dir.Dispose();
    }

    public static V1Pod Pod(string name, bool ready = true, string? ip = "10.1.2.3", bool deleting = false) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, DeletionTimestamp = deleting ? DateTime.UtcNow : null },
        Spec = new V1PodSpec
        {
            Containers = [new V1Container { Name = "goproxy", Ports = [new V1ContainerPort { Name = "http", ContainerPort = 3000 }] }],
        },
        Status = new V1PodStatus
        {
            PodIP = ip,
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
        },
    };
}

/// <summary>A clock that says what the test tells it to.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
