using ProxyOperator.Testing;

namespace ProxyOperator.EndToEnd.Tests;

/// <summary>
/// The real go command (Debian's golang-go) against the proxy, whose upstream is a fixture of real module zips built
/// by Go's own x/mod/zip and served on 127.0.0.1 by a server that counts requests.
/// </summary>
public sealed class GoCommandEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan GoTimeout = TimeSpan.FromMinutes(3);
    private ModuleFixture _fixture = null!;
    private TempDirectory _dir = null!;
    private FixtureServer _upstream = null!;
    private TestProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        _fixture = await ModuleFixture.BuildAsync(ModuleFixture.StandardSet(), CancellationToken.None);
        _dir = TempDirectory.Create("goproxy-e2e-");
        _upstream = await FixtureServer.StartAsync(_fixture.Root, CancellationToken.None);
        // listTtl 0: every list goes upstream, so a stopped upstream exercises the stale answer.
        _proxy = await TestProxy.StartAsync(Path.Combine(_dir.Path, "storage"), _upstream.BaseUrl.ToString(), """
            cache:
              listTtl: "00:00:00"
            upstreamClient:
              maxRetries: 1
              initialBackoff: "00:00:00.010"
              maxBackoff: "00:00:00.050"
            """);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _upstream.DisposeAsync();
        _dir.Dispose();
        _fixture.Dispose();
    }

    private string[] AllVersions => _fixture.Modules.Select(m => $"{m.Path}@{m.Version}").ToArray();

    [Fact]
    public async Task Go_mod_download_through_the_proxy_reports_the_same_sums_as_reading_the_fixture_directly()
    {
        using var viaProxy = GoEnvironment.Create(_proxy.BaseUrl.ToString().TrimEnd('/'));
        var proxied = await DownloadAsync(viaProxy, AllVersions);

        using var direct = GoEnvironment.Create(_fixture.FileUrl.ToString());
        var reference = await DownloadAsync(direct, AllVersions);

        Assert.Equal(AllVersions.Length, proxied.Count);
        foreach (var module in proxied)
        {
            Assert.Null(module.Error);
            var expected = reference.Single(r => r.Path == module.Path && r.Version == module.Version);
            Assert.Equal(expected.Sum, module.Sum);
            Assert.Equal(expected.GoModSum, module.GoModSum);
            Assert.Equal(_fixture.ExpectedSums[$"{module.Path}@{module.Version}"].Sum, module.Sum);
        }
    }

    [Fact]
    public async Task Go_mod_tidy_resolves_a_dependency_chain_through_the_proxy()
    {
        using var go = GoEnvironment.Create(_proxy.BaseUrl.ToString().TrimEnd('/'));
        var app = Path.Combine(go.WorkDirectory, "app");
        Directory.CreateDirectory(app);
        await File.WriteAllTextAsync(Path.Combine(app, "go.mod"), "module example.com/consumer\n\ngo 1.19\n");
        await File.WriteAllTextAsync(Path.Combine(app, "main.go"), """
            package main

            import (
            	"fmt"

            	a "example.com/lib/a"
            	upper "example.com/Upper/Case"
            	a2 "example.com/lib/a/v2"
            )

            func main() { fmt.Println(a.Name(), upper.Name(), a2.Name()) }
            """);

        var tidy = await go.RunAsync(app, GoTimeout, CancellationToken.None, "mod", "tidy");
        Assert.True(tidy.ExitCode == 0, tidy.StandardError);
        var goMod = await File.ReadAllTextAsync(Path.Combine(app, "go.mod"));
        Assert.Contains("example.com/lib/a v1.2.0", goMod, StringComparison.Ordinal);
        Assert.Contains("example.com/lib/b v1.0.0 // indirect", goMod, StringComparison.Ordinal);
        Assert.Contains("example.com/lib/c", goMod, StringComparison.Ordinal);

        var build = await go.RunAsync(app, GoTimeout, CancellationToken.None, "build", "./...");
        Assert.True(build.ExitCode == 0, build.StandardError);
    }

    [Fact]
    public async Task Go_list_versions_and_go_get_latest_work_through_the_proxy()
    {
        using var go = GoEnvironment.Create(_proxy.BaseUrl.ToString().TrimEnd('/'));
        var list = await go.RunAsync(go.WorkDirectory, GoTimeout, CancellationToken.None, "list", "-m", "-versions", "example.com/lib/c");
        Assert.True(list.ExitCode == 0, list.StandardError);
        Assert.StartsWith("example.com/lib/c v1.0.0 v1.1.0", list.StandardOutput.Trim(), StringComparison.Ordinal);

        var app = Path.Combine(go.WorkDirectory, "getter");
        Directory.CreateDirectory(app);
        await File.WriteAllTextAsync(Path.Combine(app, "go.mod"), "module example.com/getter\n\ngo 1.19\n");
        var get = await go.RunAsync(app, GoTimeout, CancellationToken.None, "get", "example.com/lib/c@latest", "example.com/dev/snapshot@latest", "example.com/Upper/Case@latest");
        Assert.True(get.ExitCode == 0, get.StandardError);
        var goMod = await File.ReadAllTextAsync(Path.Combine(app, "go.mod"));
        Assert.Contains("example.com/lib/c v1.1.0", goMod, StringComparison.Ordinal);
        Assert.Contains("example.com/dev/snapshot v0.0.0-20240102030405-abcdefabcdef", goMod, StringComparison.Ordinal);
        Assert.Contains("example.com/Upper/Case v1.0.1", goMod, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_upstream_stopped_a_fresh_module_cache_downloads_everything_from_storage()
    {
        using (var warm = GoEnvironment.Create(_proxy.BaseUrl.ToString().TrimEnd('/')))
        {
            Assert.All(await DownloadAsync(warm, AllVersions), m => Assert.Null(m.Error));
            var versions = await warm.RunAsync(warm.WorkDirectory, GoTimeout, CancellationToken.None, "list", "-m", "-versions", "example.com/lib/c");
            Assert.True(versions.ExitCode == 0, versions.StandardError);
        }

        await _upstream.StopAsync(CancellationToken.None);
        using var cold = GoEnvironment.Create(_proxy.BaseUrl.ToString().TrimEnd('/'));
        var downloaded = await DownloadAsync(cold, AllVersions);
        Assert.All(downloaded, m => Assert.True(m.Error is null, m.Error));

        // Every list is past its TTL (0 s here) and the upstream is down: the stored list is served stale.
        var list = await cold.RunAsync(cold.WorkDirectory, GoTimeout, CancellationToken.None, "list", "-m", "-versions", "example.com/lib/c");
        Assert.True(list.ExitCode == 0, list.StandardError);
        Assert.Contains("v1.1.0", list.StandardOutput, StringComparison.Ordinal);
    }

    private static async Task<IReadOnlyList<GoDownload>> DownloadAsync(GoEnvironment go, string[] modules)
    {
        var result = await go.RunAsync(go.WorkDirectory, GoTimeout, CancellationToken.None, ["mod", "download", "-json", .. modules]);
        var downloads = GoEnvironment.ParseDownloadJson(result.StandardOutput);
        Assert.True(downloads.Count == modules.Length, $"go printed {downloads.Count} results: {result.StandardError}");
        return downloads;
    }
}
