using ProxyOperator.Testing;

namespace ProxyOperator.GoProxy.Tests.Http;

/// <summary>The standard module fixture, built once per test class by Go's own module zip code.</summary>
public sealed class StandardModules : IAsyncLifetime
{
    public ModuleFixture Fixture { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Fixture = await ModuleFixture.BuildAsync(ModuleFixture.StandardSet(), CancellationToken.None);

    public Task DisposeAsync()
    {
        Fixture.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>An upstream fixture server and a proxy in front of it, each with fresh state, for one test.</summary>
public sealed class ProxyRig : IAsyncDisposable
{
    private readonly TempDirectory _dir;

    private ProxyRig(TempDirectory dir, FixtureServer upstream, TestProxy proxy)
    {
        _dir = dir;
        Upstream = upstream;
        Proxy = proxy;
    }

    public FixtureServer Upstream { get; }

    public TestProxy Proxy { get; }

    public HttpClient Client => Proxy.Client;

    public string StorageDir => Proxy.StorageDir;

    public static async Task<ProxyRig> StartAsync(ModuleFixture fixture, string yaml = "", bool offline = false)
    {
        var dir = TempDirectory.Create("goproxy-rig-");
        var upstream = await FixtureServer.StartAsync(fixture.Root, CancellationToken.None);
        var proxy = await TestProxy.StartAsync(Path.Combine(dir.Path, "storage"), upstream.BaseUrl.ToString(), yaml, offline);
        return new ProxyRig(dir, upstream, proxy);
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Upstream.DisposeAsync();
        _dir.Dispose();
    }
}
