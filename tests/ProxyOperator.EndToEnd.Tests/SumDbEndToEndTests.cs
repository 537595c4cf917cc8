using System.IO.Compression;
using System.Net;
using ProxyOperator.Testing;

namespace ProxyOperator.EndToEnd.Tests;

/// <summary>
/// The checksum database through the proxy and verification on ingest, against a local database signed by Go's own
/// golang.org/x/mod/sumdb (the gosumdb helper) and the real go command with GOSUMDB set to that database's key.
/// </summary>
public sealed class SumDbEndToEndTests : IAsyncLifetime
{
    private const string DatabaseName = "sum.example.test";
    private static readonly TimeSpan GoTimeout = TimeSpan.FromMinutes(3);
    private ModuleFixture _fixture = null!;
    private TempDirectory _dir = null!;
    private SumDbServer _sumDb = null!;
    private FixtureServer _upstream = null!;
    private TestProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        _fixture = await ModuleFixture.BuildAsync(ModuleFixture.StandardSet(), CancellationToken.None);
        _dir = TempDirectory.Create("goproxy-sumdb-");
        _sumDb = await SumDbServer.StartAsync(_fixture.Root, DatabaseName, CancellationToken.None);
        _upstream = await FixtureServer.StartAsync(_fixture.Root, CancellationToken.None);
        _proxy = await TestProxy.StartAsync(Path.Combine(_dir.Path, "storage"), _upstream.BaseUrl.ToString(), $"""
            upstreamClient:
              maxRetries: 1
              initialBackoff: "00:00:00.010"
              maxBackoff: "00:00:00.050"
            sumdb:
              name: {DatabaseName}
              key: "{_sumDb.Key}"
              url: {_sumDb.Url}
              proxy: true
              verify: true
            """);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _upstream.DisposeAsync();
        await _sumDb.DisposeAsync();
        _dir.Dispose();
        _fixture.Dispose();
    }

    private string ProxyUrl => _proxy.BaseUrl.ToString().TrimEnd('/');

    [Fact]
    public async Task Go_verifies_downloads_against_the_checksum_database_through_the_proxy_and_tiles_are_fetched_once()
    {
        var versions = _fixture.Modules.Select(m => $"{m.Path}@{m.Version}").ToArray();
        // GOSUMDB without a URL: the database's own name does not resolve, so only the proxy can serve it.
        using (var go = GoEnvironment.Create(ProxyUrl, goSumDb: _sumDb.Key))
        {
            var downloads = await DownloadAsync(go, versions);
            Assert.All(downloads, d => Assert.Null(d.Error));
            Assert.All(downloads, d => Assert.Equal(_fixture.ExpectedSums[$"{d.Path}@{d.Version}"].Sum, d.Sum));
        }

        var afterFirst = await _sumDb.RequestsAsync(CancellationToken.None);
        Assert.Contains(afterFirst.Keys, p => p.StartsWith("/tile/", StringComparison.Ordinal));

        // A second client, with an empty module cache and no go.sum database of its own, reads the same tiles.
        using (var again = GoEnvironment.Create(ProxyUrl, goSumDb: _sumDb.Key))
        {
            var downloads = await DownloadAsync(again, versions);
            Assert.All(downloads, d => Assert.Null(d.Error));
        }

        var afterSecond = await _sumDb.RequestsAsync(CancellationToken.None);
        foreach (var (path, count) in afterSecond.Where(p => p.Key.StartsWith("/tile/", StringComparison.Ordinal) && !p.Key.Contains(".p/", StringComparison.Ordinal)))
        {
            Assert.True(count == 1, $"complete tile {path} reached the database {count} times");
        }
    }

    [Fact]
    public async Task Supported_is_answered_by_the_proxy_only_for_the_configured_database()
    {
        using var ours = await _proxy.Client.GetAsync($"sumdb/{DatabaseName}/supported");
        using var other = await _proxy.Client.GetAsync("sumdb/sum.golang.org/supported");

        Assert.Equal(HttpStatusCode.OK, ours.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.DoesNotContain("/supported", (await _sumDb.RequestsAsync(CancellationToken.None)).Keys);
    }

    [Fact]
    public async Task A_tampered_upstream_zip_is_refused_before_any_client_sees_it()
    {
        const string module = "example.com/lib/a";
        const string version = "v1.0.0";
        Tamper(_fixture.ArtifactPath(module, version, ".zip"));

        using var response = await _proxy.Client.GetAsync($"{module}/@v/{version}.zip");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("checksum mismatch", body, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(_proxy.StorageDir, "*.zip", SearchOption.AllDirectories));

        using var go = GoEnvironment.Create(ProxyUrl, goSumDb: _sumDb.Key);
        var download = Assert.Single(await DownloadAsync(go, [$"{module}@{version}"]));
        Assert.NotNull(download.Error);

        using var metrics = await _proxy.Client.GetAsync("metrics");
        Assert.Contains("goproxy_checksum_mismatches_total 2", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Adds a file under the module's prefix: a zip the module zip rules still accept, with another hash.</summary>
    private static void Tamper(string zipPath)
    {
        using var archive = ZipFile.Open(zipPath, ZipArchiveMode.Update);
        var goMod = archive.Entries.First(e => e.FullName.EndsWith("/go.mod", StringComparison.Ordinal)).FullName;
        using var writer = new StreamWriter(archive.CreateEntry(goMod[..^"go.mod".Length] + "tampered.go").Open());
        writer.Write("package tampered\n");
    }

    private static async Task<IReadOnlyList<GoDownload>> DownloadAsync(GoEnvironment go, string[] versions)
    {
        var result = await go.RunAsync(go.WorkDirectory, GoTimeout, CancellationToken.None, ["mod", "download", "-json", .. versions]);
        return GoEnvironment.ParseDownloadJson(result.StandardOutput);
    }
}
