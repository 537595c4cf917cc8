using ProxyOperator.Testing;

namespace ProxyOperator.EndToEnd.Tests.Security;

/// <summary>
/// The real go command against a proxy serving HTTPS (a CA made by openssl, trusted through SSL_CERT_FILE) with client
/// authentication. go sends .netrc credentials only over HTTPS, so this is the deployment auth needs.
/// </summary>
public sealed class SecuredGoCommandTests : IAsyncLifetime
{
    private static readonly TimeSpan GoTimeout = TimeSpan.FromMinutes(3);
    private ModuleFixture _fixture = null!;
    private TempDirectory _dir = null!;
    private FixtureServer _upstream = null!;
    private TestCertificateAuthority _ca = null!;

    public async Task InitializeAsync()
    {
        _fixture = await ModuleFixture.BuildAsync(ModuleFixture.StandardSet(), CancellationToken.None);
        _dir = TempDirectory.Create("goproxy-e2e-secure-");
        _upstream = await FixtureServer.StartAsync(_fixture.Root, CancellationToken.None);
        _ca = await TestCertificateAuthority.CreateAsync();
        await _ca.IssueAsync(Path.Combine(_dir.Path, "tls"), 0x1001);
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        _ca.Dispose();
        _dir.Dispose();
        _fixture.Dispose();
    }

    private async Task<TestProxy> StartProxyAsync(string authSection)
    {
        var tls = Path.Combine(_dir.Path, "tls");
        return await TestProxy.StartAsync(Path.Combine(_dir.Path, $"storage-{Guid.NewGuid():N}"), _upstream.BaseUrl.ToString(), $"""
            upstreamClient:
              maxRetries: 1
            tls:
              certFile: "{Path.Combine(tls, "tls.crt")}"
              keyFile: "{Path.Combine(tls, "tls.key")}"
            {authSection}
            """);
    }

    private GoEnvironment Go(TestProxy proxy, string? netrc)
    {
        var go = GoEnvironment.Create(proxy.BaseUrl.ToString().TrimEnd('/')).With("SSL_CERT_FILE", _ca.CaFile);
        if (netrc is not null)
        {
            File.WriteAllText(Path.Combine(go.Home, ".netrc"), netrc);
        }

        return go;
    }

    [Fact]
    public async Task Go_downloads_over_HTTPS_with_the_test_CA_trusted()
    {
        await using var proxy = await StartProxyAsync("");
        using var go = Go(proxy, netrc: null);
        var result = await go.RunAsync(go.WorkDirectory, GoTimeout, CancellationToken.None, "mod", "download", "-json", "example.com/lib/a@v1.2.0");
        Assert.True(result.ExitCode == 0, result.StandardError + result.StandardOutput);
        var download = GoEnvironment.ParseDownloadJson(result.StandardOutput).Single();
        Assert.Equal(_fixture.ExpectedSums["example.com/lib/a@v1.2.0"].Sum, download.Sum);
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("bearer")]
    public async Task Go_succeeds_with_a_netrc_and_fails_clearly_without_one(string type)
    {
        var secrets = Path.Combine(_dir.Path, $"auth-{type}");
        Directory.CreateDirectory(secrets);
        string section, netrc;
        if (type == "basic")
        {
            await File.WriteAllTextAsync(Path.Combine(secrets, "users"), $"ci:{BCrypt.Net.BCrypt.HashPassword("s3cret", workFactor: 4)}\n");
            section = $"auth:\n  type: basic\n  usersFile: \"{Path.Combine(secrets, "users")}\"";
            netrc = "machine 127.0.0.1 login ci password s3cret\n";
        }
        else
        {
            await File.WriteAllTextAsync(Path.Combine(secrets, "tokens"), "tok-abc123\n");
            section = $"auth:\n  type: bearer\n  tokensFile: \"{Path.Combine(secrets, "tokens")}\"";
            // The go command sends .netrc entries as Basic; bearer mode takes the token as the password.
            netrc = "machine 127.0.0.1 login token password tok-abc123\n";
        }

        await using var proxy = await StartProxyAsync(section);
        using (var without = Go(proxy, netrc: null))
        {
            var refused = await without.RunAsync(without.WorkDirectory, GoTimeout, CancellationToken.None, "mod", "download", "-json", "example.com/lib/a@v1.2.0");
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("401 Unauthorized", refused.StandardOutput + refused.StandardError, StringComparison.Ordinal);
        }

        using var with = Go(proxy, netrc);
        var result = await with.RunAsync(with.WorkDirectory, GoTimeout, CancellationToken.None, "mod", "download", "-json", "example.com/lib/a@v1.2.0");
        Assert.True(result.ExitCode == 0, result.StandardError + result.StandardOutput);
        Assert.Equal(_fixture.ExpectedSums["example.com/lib/a@v1.2.0"].Sum, GoEnvironment.ParseDownloadJson(result.StandardOutput).Single().Sum);
    }
}
