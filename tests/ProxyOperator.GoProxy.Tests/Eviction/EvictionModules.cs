using System.Text;
using System.Text.Json;
using ProxyOperator.GoProxy.Storage;
using ProxyOperator.GoProxy.Storage.Eviction;
using ProxyOperator.Modules;
using ProxyOperator.Testing;

namespace ProxyOperator.GoProxy.Tests.Eviction;

/// <summary>
/// Eight versions of one module whose zips are padded with incompressible text, so a handful of them exceed a
/// small <c>storage.maxSize</c>; plus two small modules for the admin tests.
/// </summary>
public sealed class EvictionModules : IAsyncLifetime
{
    public const string Big = "example.com/evict/big";
    public const string SmallA = "example.com/admin/a";
    public const string SmallB = "example.com/admin/b";

    public static readonly string[] Versions = ["v1.0.0", "v1.1.0", "v1.2.0", "v1.3.0", "v1.4.0", "v1.5.0", "v1.6.0", "v1.7.0"];

    public ModuleFixture Fixture { get; private set; } = null!;

    /// <summary>Bytes of one version of <see cref="Big"/> as stored: info + mod + zip.</summary>
    public long VersionBytes(string version) =>
        new[] { ".info", ".mod", ".zip" }.Sum(ext => new FileInfo(Fixture.ArtifactPath(Big, version, ext)).Length);

    public long LargestArtifact => Versions.Max(v => new FileInfo(Fixture.ArtifactPath(Big, v, ".zip")).Length);

    public async Task InitializeAsync()
    {
        static DateTimeOffset Day(int day) => new(2024, 5, day, 12, 0, 0, TimeSpan.Zero);
        var random = new Random(7);
        var modules = Versions.Select((version, i) =>
        {
            // Random hex compresses to about half, so each zip is near 8 KiB whatever the deflate level.
            var padding = new StringBuilder();
            for (var line = 0; line < 256; line++)
            {
                padding.Append("// ").Append(Convert.ToHexString(RandomBytes(random, 32))).Append('\n');
            }

            return FixtureModule.Simple(Big, version, Day(i + 1), "big", $"module {Big}\n\ngo 1.16\n", padding + "\n");
        }).ToList();
        modules.Add(FixtureModule.Simple(SmallA, "v1.0.0", Day(20), "a", $"module {SmallA}\n\ngo 1.16\n"));
        modules.Add(FixtureModule.Simple(SmallA, "v1.1.0", Day(21), "a", $"module {SmallA}\n\ngo 1.16\n"));
        modules.Add(FixtureModule.Simple(SmallB, "v0.1.0", Day(22), "b", $"module {SmallB}\n\ngo 1.16\n"));
        Fixture = await ModuleFixture.BuildAsync(modules, CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        Fixture.Dispose();
        return Task.CompletedTask;
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}

/// <summary>
/// A proxy over a fresh store of the backend under test, in front of a counting fixture upstream. The backend is
/// given as the YAML of its <c>storage</c> section, so the S3 backend runs the same tests.
/// </summary>
public sealed class StoreRig : IAsyncDisposable
{
    private const string Defaults = """
        upstreamClient:
          maxRetries: 2
          initialBackoff: "00:00:00.010"
          maxBackoff: "00:00:00.050"
          metadataTimeout: "00:00:05"
          idleTimeout: "00:00:05"

        """;

    private readonly TempDirectory _dir;

    private StoreRig(TempDirectory dir, FixtureServer upstream, TestProxy proxy)
    {
        _dir = dir;
        Upstream = upstream;
        Proxy = proxy;
    }

    public FixtureServer Upstream { get; }

    public TestProxy Proxy { get; }

    public HttpClient Client => Proxy.Client;

    public IModuleStore Store => Proxy.App.Services.GetRequiredService<IModuleStore>();

    public StoreActivity Activity => Proxy.App.Services.GetRequiredService<StoreActivity>();

    public EvictionService Evictor => Proxy.App.Services.GetRequiredService<EvictionService>();

    /// <param name="storageSection">the backend's <c>storage:</c> YAML, with <c>maxSize</c> in it when wanted.</param>
    /// <param name="extraYaml">further top-level sections (admin ...).</param>
    public static async Task<StoreRig> StartAsync(ModuleFixture fixture, string storageSection, string extraYaml = "")
    {
        var dir = TempDirectory.Create("goproxy-evict-");
        var upstream = await FixtureServer.StartAsync(fixture.Root, CancellationToken.None);
        try
        {
            var proxy = await TestProxy.StartAsync(Path.Combine(dir.Path, "storage"), upstream.BaseUrl.ToString(),
                Defaults + storageSection + "\n" + extraYaml);
            return new StoreRig(dir, upstream, proxy);
        }
        catch
        {
            await upstream.DisposeAsync();
            dir.Dispose();
            throw;
        }
    }

    public async Task<long> UsedBytesAsync() => (await Store.GetUsageAsync(CancellationToken.None)).Bytes;

    /// <summary>Polls until the background evictor has brought usage to <paramref name="bound"/>; the last figure seen.</summary>
    public async Task<long> WaitUntilAtMostAsync(long bound, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var used = await UsedBytesAsync();
            if (used <= bound || DateTime.UtcNow > deadline)
            {
                return used;
            }

            await Task.Delay(10);
        }
    }

    public async Task<bool> IsStoredAsync(string module, ArtifactKind kind, string version)
    {
        var stored = await Store.OpenAsync(ArtifactKey.ForVersion(ModulePath.Parse(module), kind, version), CancellationToken.None);
        if (stored is null)
        {
            return false;
        }

        await stored.DisposeAsync();
        return true;
    }

    public async Task<JsonElement> StatusCacheAsync()
    {
        using var doc = JsonDocument.Parse(await Client.GetStringAsync("status"));
        return doc.RootElement.GetProperty("cache").Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Upstream.DisposeAsync();
        _dir.Dispose();
    }
}
