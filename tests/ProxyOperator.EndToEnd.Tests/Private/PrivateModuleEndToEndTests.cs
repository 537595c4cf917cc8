using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProxyOperator.Modules;
using ProxyOperator.Testing;

namespace ProxyOperator.EndToEnd.Tests.Private;

/// <summary>
/// Private modules end to end: the real go client asks the proxy, which runs the real go command with GOPROXY=direct
/// against bare git repositories (reached through git's insteadOf), while a public upstream fixture must never hear
/// of a private path.
/// </summary>
public sealed class PrivateModuleEndToEndTests : IAsyncLifetime
{
    private const string LockedHost = "locked.corp.example";
    private static readonly TimeSpan GoTimeout = TimeSpan.FromMinutes(3);
    private ModuleFixture _fixture = null!;
    private GitRepositories _repos = null!;
    private TempDirectory _dir = null!;
    private FixtureServer _upstream = null!;
    private WebApplication _lockedServer = null!;
    private readonly ConcurrentQueue<string> _lockedAuthorizations = new();
    private TestProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        _fixture = await ModuleFixture.BuildAsync(ModuleFixture.StandardSet(), CancellationToken.None);
        _repos = await GitRepositories.CreateAsync(CancellationToken.None);
        _dir = TempDirectory.Create("goproxy-private-e2e-");
        _upstream = await FixtureServer.StartAsync(_fixture.Root, CancellationToken.None);
        var lockedPort = await StartLockedServerAsync();

        // The wrong credential: a VCS host that refuses every credential, as a real one refuses a revoked token.
        // git asks the proxy's credential helper, sends what the mounted Secret holds, is refused, and tells the
        // helper so (credential "erase"), which is how the proxy knows it was the credentials and not the module.
        var secret = Directory.CreateDirectory(Path.Combine(_dir.Path, "vcs", "locked-secret")).FullName;
        await File.WriteAllTextAsync(Path.Combine(secret, "username"), "robot");
        await File.WriteAllTextAsync(Path.Combine(secret, "password"), "revoked-password");
        var gitConfig = Path.Combine(_dir.Path, "proxy-gitconfig");
        await File.WriteAllTextAsync(gitConfig, $"""
            [include]
            	path = {_repos.GitConfig}
            [url "http://127.0.0.1:{lockedPort}/"]
            	insteadOf = https://{LockedHost}/

            """);
        _proxy = await TestProxy.StartAsync(Path.Combine(_dir.Path, "storage"), _upstream.BaseUrl.ToString(), $"""
            cache:
              listTtl: "00:00:00"
              notFoundTtl: "00:00:01"
            privateModules:
              workDir: '{Path.Combine(_dir.Path, "vcs-work")}'
              gitConfigFile: '{gitConfig}'
              modules:
                - pattern: "{GitRepositories.Host}"
                - pattern: "{LockedHost}/*"
                  credentialsDir: '{secret}'
                  host: "127.0.0.1:{lockedPort}"

            """);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _lockedServer.DisposeAsync();
        await _upstream.DisposeAsync();
        _dir.Dispose();
        _repos.Dispose();
        _fixture.Dispose();
    }

    private static readonly string[] Tagged = [$"{GitRepositories.Library}@v1.0.0", $"{GitRepositories.Library}@v1.1.0", $"{GitRepositories.SubModule}@v1.0.0"];

    [Fact]
    public async Task Tags_and_a_nested_module_download_with_the_sums_of_a_direct_download_and_the_upstream_hears_nothing()
    {
        using var viaProxy = ClientOfProxy();
        var proxied = await DownloadAsync(viaProxy, Tagged);
        using var direct = DirectClient();
        var reference = await DownloadAsync(direct, Tagged);

        Assert.Equal(3, proxied.Count);
        foreach (var module in proxied)
        {
            Assert.Null(module.Error);
            var expected = reference.Single(r => r.Path == module.Path && r.Version == module.Version);
            Assert.Null(expected.Error);
            Assert.Equal(expected.Sum, module.Sum);
            Assert.Equal(expected.GoModSum, module.GoModSum);
        }

        // Stored like any module: a second client is served from storage.
        Assert.True(File.Exists(Path.Combine(_proxy.StorageDir, "git.corp.example", "team", "lib.git", "@v", "v1.1.0.zip")) ||
                    Directory.EnumerateFiles(_proxy.StorageDir, "v1.1.0.zip", SearchOption.AllDirectories).Any());
        AssertUpstreamNeverAskedForPrivatePaths();
    }

    [Fact]
    public async Task A_branch_resolves_to_the_pseudo_version_go_computes_itself()
    {
        using var viaProxy = ClientOfProxy();
        var proxied = Assert.Single(await DownloadAsync(viaProxy, $"{GitRepositories.Library}@main"));
        using var direct = DirectClient();
        var reference = Assert.Single(await DownloadAsync(direct, $"{GitRepositories.Library}@main"));

        Assert.Null(proxied.Error);
        Assert.True(PseudoVersion.IsPseudo(proxied.Version), proxied.Version);
        Assert.StartsWith("v1.1.1-0.20240301100000-", proxied.Version, StringComparison.Ordinal);
        Assert.Equal(reference.Version, proxied.Version);
        Assert.Equal(reference.Sum, proxied.Sum);
        AssertUpstreamNeverAskedForPrivatePaths();
    }

    [Fact]
    public async Task Latest_and_list_name_the_tags()
    {
        using var go = ClientOfProxy();
        var latest = Assert.Single(await DownloadAsync(go, $"{GitRepositories.Library}@latest"));
        Assert.Null(latest.Error);
        Assert.Equal("v1.1.0", latest.Version);

        var list = await go.RunAsync(go.WorkDirectory, GoTimeout, CancellationToken.None, "list", "-m", "-versions", GitRepositories.Library);
        Assert.True(list.ExitCode == 0, list.StandardError);
        Assert.Equal($"{GitRepositories.Library} v1.0.0 v1.1.0", list.StandardOutput.Trim());

        var sub = await go.RunAsync(go.WorkDirectory, GoTimeout, CancellationToken.None, "list", "-m", "-versions", GitRepositories.SubModule);
        Assert.True(sub.ExitCode == 0, sub.StandardError);
        Assert.Equal($"{GitRepositories.SubModule} v1.0.0", sub.StandardOutput.Trim());
        AssertUpstreamNeverAskedForPrivatePaths();
    }

    [Fact]
    public async Task Public_modules_still_come_from_the_upstream()
    {
        using var go = ClientOfProxy();
        var module = Assert.Single(await DownloadAsync(go, "example.com/lib/c@v1.1.0"));
        Assert.Null(module.Error);
        Assert.Equal(_fixture.ExpectedSums["example.com/lib/c@v1.1.0"].Sum, module.Sum);
        Assert.Contains("/example.com/lib/c/@v/v1.1.0.zip", _upstream.RequestedPaths);
    }

    [Fact]
    public async Task A_missing_version_is_not_found()
    {
        using var go = ClientOfProxy();
        var module = Assert.Single(await DownloadAsync(go, $"{GitRepositories.Library}@v9.9.9"));
        Assert.NotNull(module.Error);
        Assert.Contains("404 Not Found", module.Error, StringComparison.Ordinal);
        AssertUpstreamNeverAskedForPrivatePaths();
    }

    [Fact]
    public async Task A_rejected_credential_is_a_403_the_go_command_prints_and_is_not_remembered()
    {
        using var go = ClientOfProxy();
        var target = $"{LockedHost}/team/lib.git@v1.0.0";
        var first = Assert.Single(await DownloadAsync(go, target));
        Assert.NotNull(first.Error);
        Assert.Contains("403 Forbidden", first.Error, StringComparison.Ordinal);
        Assert.Contains("rejected this proxy's credentials", first.Error, StringComparison.Ordinal);
        // git sent exactly what the mounted Secret holds.
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("robot:revoked-password"));
        Assert.Contains(expected, _lockedAuthorizations);

        // Not cached as absence: the next request asks the VCS again (a fixed Secret takes effect at once).
        var asked = _lockedAuthorizations.Count;
        using var again = ClientOfProxy();
        var second = Assert.Single(await DownloadAsync(again, target));
        Assert.Contains("403 Forbidden", second.Error, StringComparison.Ordinal);
        Assert.True(_lockedAuthorizations.Count > asked);
        AssertUpstreamNeverAskedForPrivatePaths();
    }

    private void AssertUpstreamNeverAskedForPrivatePaths()
    {
        var leaked = _upstream.RequestedPaths.Where(p => p.Contains("corp.example", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(leaked.Count == 0, "the public upstream was asked for: " + string.Join(", ", leaked));
    }

    /// <summary>A client that knows nothing of the private patterns: the proxy alone must keep them private.</summary>
    private GoEnvironment ClientOfProxy() => GoEnvironment.Create(_proxy.BaseUrl.ToString().TrimEnd('/'));

    /// <summary>A developer's go command fetching straight from the repositories: the reference for versions and sums.</summary>
    private GoEnvironment DirectClient()
    {
        var go = GoEnvironment.Create("direct", goPrivate: GitRepositories.Host);
        _repos.WriteHomeConfig(go.Home);
        return go;
    }

    private static async Task<IReadOnlyList<GoDownload>> DownloadAsync(GoEnvironment go, params string[] modules)
    {
        var result = await go.RunAsync(go.WorkDirectory, GoTimeout, CancellationToken.None, ["mod", "download", "-json", .. modules]);
        return GoEnvironment.ParseDownloadJson(result.StandardOutput);
    }

    private async Task<int> StartLockedServerAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _lockedServer = builder.Build();
        _lockedServer.Run(context =>
        {
            if (context.Request.Headers.Authorization.ToString() is { Length: > 0 } authorization)
            {
                _lockedAuthorizations.Enqueue(authorization);
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"corp\"";
            return Task.CompletedTask;
        });
        await _lockedServer.StartAsync();
        var address = _lockedServer.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address).Port;
    }
}
