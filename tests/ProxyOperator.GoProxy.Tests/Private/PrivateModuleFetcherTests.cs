using ProxyOperator.GoProxy.Configuration;
using ProxyOperator.GoProxy.Private;
using ProxyOperator.Testing;

namespace ProxyOperator.GoProxy.Tests.Private;

public sealed class PrivateModuleFetcherTests
{
    [Fact]
    public void Credentials_git_rejected_are_a_403_whatever_git_printed_last()
    {
        // The go command tries several schemes for a .git path and reports the last one's error, not the auth failure.
        var failure = PrivateModuleFetcher.Classify("git.corp.example/team/lib.git@v1.0.0", """{"Error":"unable to look up git.corp.example (port 9418)"}""", "", "rejected\n");
        Assert.Equal(403, failure.StatusCode);
        Assert.False(failure.NotFound);
        Assert.Contains("rejected this proxy's credentials", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_git_needed_and_did_not_have_are_a_403()
    {
        var failure = PrivateModuleFetcher.Classify("m@v1.0.0", "", "fatal: could not read Username for 'https://git.corp.example': terminal prompts disabled", "");
        Assert.Equal(403, failure.StatusCode);
    }

    [Theory]
    [InlineData("git.corp.example/team/lib.git@v9.9.9: invalid version: unknown revision v9.9.9", 404)]
    [InlineData("git.corp.example/team/lib.git@main: no matching versions for query \"main\"", 404)]
    [InlineData("dial tcp 10.0.0.1:443: connect: connection timed out", 502)]
    public void Missing_versions_are_404_and_other_failures_502(string error, int status)
    {
        var failure = PrivateModuleFetcher.Classify("m@v", System.Text.Json.JsonSerializer.Serialize(new { Error = error }), "", "");
        Assert.Equal(status, failure.StatusCode);
        Assert.Equal(status == 404, failure.NotFound);
        Assert.DoesNotContain('\n', failure.Message);
    }

    [Fact]
    public void The_private_home_holds_credentials_for_each_pattern_host_readable_only_by_the_proxy()
    {
        using var dir = TempDirectory.Create("goproxy-vcs-home-");
        var basic = Directory.CreateDirectory(Path.Combine(dir.Path, "basic")).FullName;
        File.WriteAllText(Path.Combine(basic, "username"), "robot\n");
        File.WriteAllText(Path.Combine(basic, "password"), "p@ss word");
        var token = Directory.CreateDirectory(Path.Combine(dir.Path, "token")).FullName;
        File.WriteAllText(Path.Combine(token, "token"), "ghp_secret");
        var options = new PrivateModuleOptions
        {
            Modules =
            [
                new PrivateModulePattern { Pattern = "git.corp.example/*", CredentialsDir = basic },
                new PrivateModulePattern { Pattern = "go.corp.example", CredentialsDir = token, Host = "code.corp.example:8443" },
            ],
        };
        var home = Path.Combine(dir.Path, "home");
        VcsCredentials.WriteHome(home, options);

        var stored = File.ReadAllText(Path.Combine(home, ".git-credentials"));
        Assert.Contains("https://robot:p%40ss%20word@git.corp.example\n", stored, StringComparison.Ordinal);
        Assert.Contains("https://x-access-token:ghp_secret@code.corp.example:8443\n", stored, StringComparison.Ordinal);
        Assert.Contains("machine git.corp.example login robot password p@ss word", File.ReadAllText(Path.Combine(home, ".netrc")), StringComparison.Ordinal);
        Assert.Contains("credential-helper.sh", File.ReadAllText(Path.Combine(home, ".gitconfig")), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(home, ".git-credentials")));
        }
        Assert.Equal("git.corp.example/*,go.corp.example", options.GoPrivate);
    }

    [Fact]
    public void A_missing_credentials_folder_stops_start_up()
    {
        var options = new PrivateModuleOptions { Modules = [new PrivateModulePattern { Pattern = "git.corp.example", CredentialsDir = "/nonexistent/vcs/secret" }] };
        using var dir = TempDirectory.Create("goproxy-vcs-home-");
        var e = Assert.Throws<ProxyConfigurationException>(() => VcsCredentials.WriteHome(Path.Combine(dir.Path, "home"), options));
        Assert.Contains("/nonexistent/vcs/secret", e.Message, StringComparison.Ordinal);
    }
}
