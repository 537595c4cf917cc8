using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ProxyOperator.GoProxy.Tests.Http;
using ProxyOperator.GoProxy.Security;
using ProxyOperator.Testing;

namespace ProxyOperator.GoProxy.Tests.Security;

/// <summary>Client authentication over HTTP: every protocol and sumdb endpoint, each mode, and a rotated Secret.</summary>
public sealed class ClientAuthenticationTests(StandardModules modules) : IClassFixture<StandardModules>, IDisposable
{
    private const string AdminToken = "admin-token-not-a-client-one";
    private readonly TempDirectory _secrets = TempDirectory.Create("goproxy-auth-");

    public static TheoryData<string, HttpStatusCode> ProtectedEndpoints => new()
    {
        { "example.com/lib/a/@v/list", HttpStatusCode.OK },
        { "example.com/lib/a/@v/v1.0.0.info", HttpStatusCode.OK },
        { "example.com/lib/a/@v/v1.0.0.mod", HttpStatusCode.OK },
        { "example.com/lib/a/@v/v1.0.0.zip", HttpStatusCode.OK },
        { "example.com/lib/a/@latest", HttpStatusCode.OK },
        { "example.com/!upper/!case/@v/v1.0.1.info", HttpStatusCode.OK },
        { "example.com/lib/a/@v/v9.9.9.info", HttpStatusCode.NotFound },
        { "sumdb/sum.golang.org/supported", 0 },
        { "sumdb/sum.golang.org/latest", 0 },
        { "sumdb/sum.golang.org/lookup/example.com/lib/a@v1.0.0", 0 },
        { "HEALTHZ", 0 },
    };

    private static readonly string[] Modes = ["basic-plain", "basic-bcrypt", "bearer", "bearer-as-basic"];

    public void Dispose() => _secrets.Dispose();

    private async Task<(ProxyRig Rig, AuthenticationHeaderValue Good)> StartAsync(string mode, bool protectMetrics = false)
    {
        var adminFile = Path.Combine(_secrets.Path, "admin-token");
        await File.WriteAllTextAsync(adminFile, AdminToken + "\n");
        string section;
        AuthenticationHeaderValue good;
        if (mode.StartsWith("basic", StringComparison.Ordinal))
        {
            var password = mode == "basic-bcrypt" ? BCrypt.Net.BCrypt.HashPassword("pa:ss word", workFactor: 4) : "pa:ss word";
            var users = Path.Combine(_secrets.Path, "users");
            await File.WriteAllTextAsync(users, $"# comment\nbob:other\nalice:{password}\n");
            section = $"auth:\n  type: basic\n  usersFile: \"{users}\"\n";
            good = Basic("alice", "pa:ss word");
        }
        else
        {
            var tokens = Path.Combine(_secrets.Path, "tokens");
            await File.WriteAllTextAsync(tokens, "first-token\nsecond-token\n");
            section = $"auth:\n  type: bearer\n  tokensFile: \"{tokens}\"\n";
            good = mode == "bearer" ? new AuthenticationHeaderValue("Bearer", "second-token") : Basic("anyone", "second-token");
        }

        section += $"  protectMetrics: {(protectMetrics ? "true" : "false")}\nadmin:\n  tokenFile: \"{adminFile}\"\n";
        return (await ProxyRig.StartAsync(modules.Fixture, section), good);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private static async Task<HttpResponseMessage> GetAsync(ProxyRig rig, string path, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = authorization;
        return await rig.Client.SendAsync(request);
    }

    [Fact]
    public async Task Every_protected_endpoint_answers_401_without_credentials_and_its_answer_with_them_in_every_mode()
    {
        foreach (var mode in Modes)
        {
            var (rig, good) = await StartAsync(mode);
            await using var _ = rig;
            var wrong = mode.StartsWith("basic", StringComparison.Ordinal) ? Basic("alice", "wrong") : new AuthenticationHeaderValue("Bearer", "third-token");
            foreach (var row in ProtectedEndpoints)
            {
                var (path, expected) = ((string)row[0], (HttpStatusCode)row[1]);
                using (var anonymous = await GetAsync(rig, path, null))
                {
                    Assert.True(anonymous.StatusCode == HttpStatusCode.Unauthorized, $"{mode} {path} without credentials: {anonymous.StatusCode}");
                    var challenge = Assert.Single(anonymous.Headers.WwwAuthenticate);
                    Assert.Equal(mode.StartsWith("basic", StringComparison.Ordinal) ? "Basic" : "Bearer", challenge.Scheme);
                    Assert.Contains("realm=\"goproxy\"", challenge.Parameter, StringComparison.Ordinal);
                }

                using (var refused = await GetAsync(rig, path, wrong))
                {
                    Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"{mode} {path} with a wrong credential: {refused.StatusCode}");
                }

                using var allowed = await GetAsync(rig, path, good);
                if (expected == 0)
                {
                    // Whatever the route makes of it (the sumdb proxy, a 404): past authentication.
                    Assert.True(allowed.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{mode} {path}: {allowed.StatusCode}");
                }
                else
                {
                    Assert.True(expected == allowed.StatusCode, $"{mode} {path} with credentials: {allowed.StatusCode}");
                }
            }
        }
    }

    [Fact]
    public async Task Probes_status_and_metrics_stay_open_and_admin_keeps_its_own_token()
    {
        var (rig, good) = await StartAsync("basic-plain");
        await using var _ = rig;
        foreach (var path in new[] { "healthz", "readyz", "status", "metrics" })
        {
            using var response = await GetAsync(rig, path, null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var anonymous = await GetAsync(rig, "_admin/modules", null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var client = await GetAsync(rig, "_admin/modules", good))
        {
            // A client credential is not the admin token.
            Assert.Equal(HttpStatusCode.Unauthorized, client.StatusCode);
        }

        using var admin = await GetAsync(rig, "_admin/modules", new AuthenticationHeaderValue("Bearer", AdminToken));
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);

        // /status is open, so it must not carry the credentials or the files' contents.
        var status = await rig.Client.GetStringAsync("status");
        Assert.DoesNotContain("pa:ss word", status, StringComparison.Ordinal);
        Assert.DoesNotContain(_secrets.Path, status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_need_credentials_when_protected()
    {
        var (rig, good) = await StartAsync("bearer", protectMetrics: true);
        await using var _ = rig;
        using (var anonymous = await GetAsync(rig, "metrics", null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using var allowed = await GetAsync(rig, "metrics", good);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.DoesNotContain("second-token", await allowed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rotated_users_Secret_takes_effect_without_a_restart_through_the_data_symlink_swap()
    {
        // The layout kubelet writes: a timestamped folder, ..data pointing at it, and the key pointing into ..data.
        var mount = Path.Combine(_secrets.Path, "mount");
        Directory.CreateDirectory(Path.Combine(mount, "..2024_01"));
        await File.WriteAllTextAsync(Path.Combine(mount, "..2024_01", "users"), "alice:first\n");
        Directory.CreateSymbolicLink(Path.Combine(mount, "..data"), "..2024_01");
        File.CreateSymbolicLink(Path.Combine(mount, "users"), Path.Combine("..data", "users"));
        await using var rig = await ProxyRig.StartAsync(modules.Fixture, $"auth:\n  type: basic\n  usersFile: \"{Path.Combine(mount, "users")}\"\n");
        const string path = "example.com/lib/a/@v/list";
        using (var before = await GetAsync(rig, path, Basic("alice", "first")))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        Directory.CreateDirectory(Path.Combine(mount, "..2024_02"));
        await File.WriteAllTextAsync(Path.Combine(mount, "..2024_02", "users"), "alice:second\n");
        Directory.CreateSymbolicLink(Path.Combine(mount, "..data_tmp"), "..2024_02");
        var swap = await ProcessRunner.RunAsync("mv", ["-T", "..data_tmp", "..data"], mount, null, null, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal(0, swap.ExitCode);
        Directory.Delete(Path.Combine(mount, "..2024_01"), recursive: true);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpStatusCode newStatus;
        do
        {
            await Task.Delay(200);
            using var after = await GetAsync(rig, path, Basic("alice", "second"));
            newStatus = after.StatusCode;
        }
        while (newStatus != HttpStatusCode.OK && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.OK, newStatus);
        using var old = await GetAsync(rig, path, Basic("alice", "first"));
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
    }

    [Fact]
    public async Task A_users_file_that_becomes_unusable_keeps_the_last_good_credentials()
    {
        var users = Path.Combine(_secrets.Path, "users-broken");
        await File.WriteAllTextAsync(users, "alice:first\n");
        await using var rig = await ProxyRig.StartAsync(modules.Fixture, $"auth:\n  type: basic\n  usersFile: \"{users}\"\n");
        using (var first = await GetAsync(rig, "example.com/lib/a/@v/list", Basic("alice", "first")))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        await File.WriteAllTextAsync(users, "no colon here\n");
        await Task.Delay(ClientAuthentication.ReloadInterval + TimeSpan.FromMilliseconds(300));
        using var response = await GetAsync(rig, "example.com/lib/a/@v/list", Basic("alice", "first"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("auth:\n  type: basic\n", "auth.type basic needs auth.usersFile")]
    [InlineData("auth:\n  type: bearer\n  tokensFile: /nonexistent/tokens\n", "auth.tokensFile \"/nonexistent/tokens\" cannot be used")]
    [InlineData("auth:\n  type: kerberos\n", "auth")]
    public async Task Unusable_auth_configuration_fails_at_start_up(string yaml, string expected)
    {
        var error = await Assert.ThrowsAsync<ProxyOperator.GoProxy.Configuration.ProxyConfigurationException>(() => ProxyRig.StartAsync(modules.Fixture, yaml));
        Assert.Contains(expected, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Users_file_errors_never_quote_the_line()
    {
        var parsed = ClientCredentials.ParseUsers("alice:$2b$10$notreallyabcrypthash\n");
        Assert.NotNull(parsed.Problem);
        Assert.DoesNotContain("notreally", parsed.Problem, StringComparison.Ordinal);
    }
}
