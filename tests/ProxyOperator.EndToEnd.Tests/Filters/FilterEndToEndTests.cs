using ProxyOperator.Testing;

namespace ProxyOperator.EndToEnd.Tests.Filters;

/// <summary>Filter rules as the real go command reports them.</summary>
public sealed class FilterEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan GoTimeout = TimeSpan.FromMinutes(3);
    private ModuleFixture _fixture = null!;
    private TempDirectory _dir = null!;
    private FixtureServer _upstream = null!;
    private TestProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        _fixture = await ModuleFixture.BuildAsync(ModuleFixture.StandardSet(), CancellationToken.None);
        _dir = TempDirectory.Create("goproxy-filter-e2e-");
        _upstream = await FixtureServer.StartAsync(_fixture.Root, CancellationToken.None);
        _proxy = await TestProxy.StartAsync(Path.Combine(_dir.Path, "storage"), _upstream.BaseUrl.ToString(), """
            filters:
              deny:
                - "example.com/Upper/*"
                - "example.com/lib/c@<v1.1.0"

            """);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _upstream.DisposeAsync();
        _dir.Dispose();
        _fixture.Dispose();
    }

    [Fact]
    public async Task The_go_command_prints_the_reason_a_module_is_denied()
    {
        using var go = GoEnvironment.Create(_proxy.BaseUrl.ToString().TrimEnd('/'));
        var result = await go.RunAsync(go.WorkDirectory, GoTimeout, CancellationToken.None, "mod", "download", "example.com/Upper/Case@v1.0.0");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("403 Forbidden", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("server response: example.com/Upper/Case@v1.0.0 is denied by this proxy's filter rule \"example.com/Upper/*\"", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_denied_version_range_is_refused_and_the_rest_is_unaffected()
    {
        using var go = GoEnvironment.Create(_proxy.BaseUrl.ToString().TrimEnd('/'));
        var denied = await go.RunAsync(go.WorkDirectory, GoTimeout, CancellationToken.None, "mod", "download", "-json", "example.com/lib/c@v1.0.0");
        Assert.Contains("is denied by this proxy's filter rule", denied.StandardOutput, StringComparison.Ordinal);

        var allowed = GoEnvironment.ParseDownloadJson((await go.RunAsync(go.WorkDirectory, GoTimeout, CancellationToken.None,
            "mod", "download", "-json", "example.com/lib/c@v1.1.0", "example.com/lib/a@v1.2.0", "example.com/lib/c@latest")).StandardOutput);
        Assert.All(allowed, m => Assert.Null(m.Error));
        Assert.Equal(_fixture.ExpectedSums["example.com/lib/a@v1.2.0"].Sum, allowed.Single(m => m.Path == "example.com/lib/a").Sum);

        var list = await go.RunAsync(go.WorkDirectory, GoTimeout, CancellationToken.None, "list", "-m", "-versions", "example.com/lib/c");
        Assert.Equal("example.com/lib/c v1.1.0", list.StandardOutput.Trim());
    }
}
