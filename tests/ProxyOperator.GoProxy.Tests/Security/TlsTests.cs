using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ProxyOperator.GoProxy.Security;
using ProxyOperator.GoProxy.Tests.Http;
using ProxyOperator.Testing;

namespace ProxyOperator.GoProxy.Tests.Security;

/// <summary>HTTPS from PEM files made by the real openssl: HTTP/2, rotation without restart, plain-HTTP policies.</summary>
public sealed class TlsTests(StandardModules modules) : IClassFixture<StandardModules>, IAsyncLifetime
{
    private TestCertificateAuthority _ca = null!;
    private readonly TempDirectory _dir = TempDirectory.Create("goproxy-tls-");

    private string TlsDir => Path.Combine(_dir.Path, "tls");

    public async Task InitializeAsync()
    {
        _ca = await TestCertificateAuthority.CreateAsync();
        await _ca.IssueAsync(TlsDir, 0x1001);
    }

    public Task DisposeAsync()
    {
        _ca.Dispose();
        _dir.Dispose();
        return Task.CompletedTask;
    }

    private string TlsSection(string extra = "") =>
        $"tls:\n  certFile: \"{Path.Combine(TlsDir, "tls.crt")}\"\n  keyFile: \"{Path.Combine(TlsDir, "tls.key")}\"\n{extra}";

    private static async Task<string> ServedSerialAsync(Uri baseUrl)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(baseUrl.Host, baseUrl.Port);
        X509Certificate? served = null;
        // Only the served certificate's serial is read; no data goes over this connection.
#pragma warning disable CA5359
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) =>
        {
            served = certificate;
            return true;
        });
#pragma warning restore CA5359
        await ssl.AuthenticateAsClientAsync("127.0.0.1");
        return new X509Certificate2(served!).SerialNumber;
    }

    [Fact]
    public async Task Serves_HTTP2_over_TLS_trusted_through_the_test_CA()
    {
        await using var rig = await ProxyRig.StartAsync(modules.Fixture, TlsSection());
        Assert.Equal("https", rig.Proxy.BaseUrl.Scheme);
        using var client = new HttpClient(_ca.TrustingHandler())
        {
            BaseAddress = rig.Proxy.BaseUrl,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await client.GetAsync("example.com/lib/a/@v/v1.0.0.info");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
    }

    [Fact]
    public async Task A_rotated_certificate_is_served_to_new_handshakes_without_a_restart()
    {
        await using var rig = await ProxyRig.StartAsync(modules.Fixture, TlsSection());
        Assert.Equal("1001", await ServedSerialAsync(rig.Proxy.BaseUrl));

        await _ca.IssueAsync(TlsDir, 0x2002);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string serial;
        do
        {
            await Task.Delay(200);
            serial = await ServedSerialAsync(rig.Proxy.BaseUrl);
        }
        while (serial != "2002" && DateTime.UtcNow < deadline);

        Assert.Equal("2002", serial);
        using var client = new HttpClient(_ca.TrustingHandler()) { BaseAddress = rig.Proxy.BaseUrl };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("healthz")).StatusCode);
    }

    [Theory]
    [InlineData("redirect", HttpStatusCode.PermanentRedirect)]
    [InlineData("refuse", HttpStatusCode.Forbidden)]
    [InlineData("serve", HttpStatusCode.OK)]
    public async Task The_plain_listener_applies_its_policy_but_always_answers_probes(string policy, HttpStatusCode expected)
    {
        await using var rig = await ProxyRig.StartAsync(modules.Fixture,
            TlsSection($"  plainHttp: {policy}\n  plainListen: \"127.0.0.1:0\"\n  redirectPort: 8443\n"));
        var plain = rig.Proxy.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.Single(a => a.StartsWith("http://", StringComparison.Ordinal));
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(plain + "/") };
        using var response = await client.GetAsync("example.com/lib/a/@v/list?x=1");
        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.PermanentRedirect)
        {
            Assert.Equal("https://127.0.0.1:8443/example.com/lib/a/@v/list?x=1", response.Headers.Location?.ToString());
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("readyz")).StatusCode);
    }

    [Theory]
    [InlineData("tls:\n  certFile: /nonexistent/tls.crt\n", "tls needs both certFile and keyFile")]
    [InlineData("tls:\n  certFile: /nonexistent/tls.crt\n  keyFile: /nonexistent/tls.key\n", "cannot be used")]
    [InlineData("tls:\n  plainListen: \":8080\"\n", "tls.plainListen needs tls.certFile")]
    public async Task Unusable_tls_configuration_fails_at_start_up(string yaml, string expected)
    {
        var error = await Assert.ThrowsAsync<ProxyOperator.GoProxy.Configuration.ProxyConfigurationException>(() => ProxyRig.StartAsync(modules.Fixture, yaml));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_that_does_not_match_the_certificate_is_refused()
    {
        var other = Path.Combine(_dir.Path, "other");
        await _ca.IssueAsync(other, 0x3003);
        Assert.ThrowsAny<Exception>(() => ServerCertificates.Load(File.ReadAllBytes(Path.Combine(TlsDir, "tls.crt")), File.ReadAllBytes(Path.Combine(other, "tls.key"))));
    }
}
