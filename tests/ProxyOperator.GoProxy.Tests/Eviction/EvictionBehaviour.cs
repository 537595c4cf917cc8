using System.Net;
using ProxyOperator.GoProxy.Storage;
using ProxyOperator.Modules;
using static ProxyOperator.GoProxy.Tests.Eviction.EvictionModules;

namespace ProxyOperator.GoProxy.Tests.Eviction;

/// <summary>
/// storage.maxSize as a user sees it, over HTTP, for any backend: a backend's test class says how to write its
/// <c>storage</c> section (with the given <c>maxSize</c>).
/// </summary>
public abstract class EvictionBehaviour(EvictionModules modules)
{
    private static readonly string[] Extensions = [".info", ".mod", ".zip"];

    /// <summary>The backend's <c>storage:</c> YAML section, with <c>maxSize: {maxSize}</c> when it is not null.</summary>
    protected abstract string StorageSection(string? maxSize);

    private Task<StoreRig> StartAsync(long maxSize) => StoreRig.StartAsync(modules.Fixture, StorageSection(maxSize.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private async Task GetVersionAsync(StoreRig rig, string version)
    {
        foreach (var ext in Extensions)
        {
            await AssertServedAsync(rig, version, ext);
        }
    }

    private async Task AssertServedAsync(StoreRig rig, string version, string ext)
    {
        using var response = await rig.Client.GetAsync($"{Big}/@v/{version}{ext}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(await File.ReadAllBytesAsync(modules.Fixture.ArtifactPath(Big, version, ext)), await response.Content.ReadAsByteArrayAsync());
    }

    private long MaxSizeFor(double versions) => (long)(modules.VersionBytes(Versions[0]) * versions);

    [Fact]
    public async Task Working_set_larger_than_max_size_stays_under_the_bound_and_every_request_is_answered()
    {
        var maxSize = MaxSizeFor(3.5);
        await using var rig = await StartAsync(maxSize);
        var bound = maxSize + modules.LargestArtifact;
        var highest = 0L;
        for (var round = 0; round < 2; round++)
        {
            foreach (var version in Versions)
            {
                foreach (var ext in Extensions)
                {
                    await AssertServedAsync(rig, version, ext);
                    highest = Math.Max(highest, await rig.WaitUntilAtMostAsync(bound, TimeSpan.FromSeconds(10)));
                }
            }
        }

        Assert.True(highest <= bound, $"store reached {highest} bytes; bound {maxSize} + largest artifact {modules.LargestArtifact}");
        // Each round evicted what the other needed, so every artifact was fetched twice: refetched, not lost.
        foreach (var version in Versions)
        {
            Assert.Equal(2, rig.Upstream.RequestCount($"/{Big}/@v/{version}.zip"));
        }
    }

    [Fact]
    public async Task Least_recently_used_version_goes_first()
    {
        await using var rig = await StartAsync(MaxSizeFor(3.5));
        foreach (var version in Versions[..3])
        {
            await GetVersionAsync(rig, version);
            await Task.Delay(20);
        }

        // v1.0.0 is the oldest stored but the most recently used now.
        await AssertServedAsync(rig, Versions[0], ".zip");
        await Task.Delay(20);
        await GetVersionAsync(rig, Versions[3]);
        await rig.Evictor.EvictAsync(CancellationToken.None);

        Assert.True(await rig.IsStoredAsync(Big, ArtifactKind.Zip, Versions[0]));
        Assert.False(await rig.IsStoredAsync(Big, ArtifactKind.Zip, Versions[1]));
        Assert.False(await rig.IsStoredAsync(Big, ArtifactKind.Info, Versions[1]));
        Assert.False(await rig.IsStoredAsync(Big, ArtifactKind.Mod, Versions[1]));
        Assert.True(await rig.IsStoredAsync(Big, ArtifactKind.Zip, Versions[2]));
        Assert.True(await rig.IsStoredAsync(Big, ArtifactKind.Zip, Versions[3]));
    }

    [Fact]
    public async Task Version_being_written_by_a_slow_upstream_is_not_evicted_mid_flight()
    {
        var maxSize = MaxSizeFor(2.5);
        await using var rig = await StartAsync(maxSize);
        var slow = Versions[7];
        await AssertServedAsync(rig, slow, ".info");
        await AssertServedAsync(rig, slow, ".mod");
        rig.Upstream.Faults.Delay($"{slow}.zip", TimeSpan.FromSeconds(2));
        var zip = rig.Client.GetAsync($"{Big}/@v/{slow}.zip");

        // While the zip downloads, push usage over the bound again and again: the slow version's info and mod are
        // the least recently used files, yet they stay.
        foreach (var version in Versions[..4])
        {
            await GetVersionAsync(rig, version);
            await rig.Evictor.EvictAsync(CancellationToken.None);
            Assert.True(await rig.IsStoredAsync(Big, ArtifactKind.Info, slow));
            Assert.True(await rig.IsStoredAsync(Big, ArtifactKind.Mod, slow));
        }

        Assert.False(zip.IsCompleted, "the upstream delay was too short to overlap the evictions");
        using var response = await zip;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(await File.ReadAllBytesAsync(modules.Fixture.ArtifactPath(Big, slow, ".zip")), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Version_being_served_is_not_evicted_until_its_response_ends()
    {
        await using var rig = await StartAsync(MaxSizeFor(2.5));
        await GetVersionAsync(rig, Versions[0]);

        // The pin a request holds from lookup until its last byte is sent (ProtocolEndpoints), held here as a slow
        // client would hold it.
        var pin = await rig.Activity.PinAsync(ModulePath.Parse(Big), Versions[0], CancellationToken.None);
        foreach (var version in Versions[1..5])
        {
            await GetVersionAsync(rig, version);
        }

        await rig.Evictor.EvictAsync(CancellationToken.None);
        Assert.True(await rig.IsStoredAsync(Big, ArtifactKind.Zip, Versions[0]));

        pin.Dispose();
        await GetVersionAsync(rig, Versions[5]);
        await rig.Evictor.EvictAsync(CancellationToken.None);
        Assert.False(await rig.IsStoredAsync(Big, ArtifactKind.Zip, Versions[0]));
    }

    [Fact]
    public async Task Evictions_show_in_metrics_and_status()
    {
        var maxSize = MaxSizeFor(1.5);
        await using var rig = await StartAsync(maxSize);
        var before = await rig.StatusCacheAsync();
        Assert.Equal(maxSize, before.GetProperty("maxBytes").GetInt64());
        Assert.Equal(0, before.GetProperty("evictions").GetInt64());

        foreach (var version in Versions[..3])
        {
            await GetVersionAsync(rig, version);
            await rig.Evictor.EvictAsync(CancellationToken.None);
        }

        var after = await rig.StatusCacheAsync();
        var evictions = after.GetProperty("evictions").GetInt64();
        Assert.True(evictions >= 2, $"evictions {evictions}");
        var metrics = await rig.Client.GetStringAsync("metrics");
        Assert.Contains($"goproxy_evictions_total {evictions}", metrics, StringComparison.Ordinal);
        Assert.Contains($"goproxy_cache_max_bytes {maxSize}", metrics, StringComparison.Ordinal);
        var evictedBytes = metrics.Split('\n').Single(l => l.StartsWith("goproxy_evicted_bytes_total ", StringComparison.Ordinal));
        Assert.True(double.Parse(evictedBytes.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) >= 2 * modules.VersionBytes(Versions[0]) * 0.9);
    }

    [Fact]
    public async Task Without_max_size_nothing_is_evicted_and_status_says_unbounded()
    {
        await using var rig = await StoreRig.StartAsync(modules.Fixture, StorageSection(null));
        foreach (var version in Versions[..4])
        {
            await GetVersionAsync(rig, version);
        }

        Assert.Equal(0, await rig.Evictor.EvictAsync(CancellationToken.None));
        var cache = await rig.StatusCacheAsync();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cache.GetProperty("maxBytes").ValueKind);
        Assert.Equal(0, cache.GetProperty("evictions").GetInt64());
    }

    [Fact]
    public async Task Max_size_accepts_a_kubernetes_quantity()
    {
        await using var rig = await StoreRig.StartAsync(modules.Fixture, StorageSection("40Ki"));
        Assert.Equal(40 * 1024, (await rig.StatusCacheAsync()).GetProperty("maxBytes").GetInt64());
    }
}

/// <summary>The disk backend: its storage section is only the bound (the folder comes from <c>--storage-dir</c>).</summary>
public sealed class DiskEvictionTests(EvictionModules modules) : EvictionBehaviour(modules), IClassFixture<EvictionModules>
{
    protected override string StorageSection(string? maxSize) => maxSize is null ? "" : $"storage:\n  maxSize: \"{maxSize}\"\n";
}
