using System.Text;
using ProxyOperator.GoProxy.Configuration;

namespace ProxyOperator.GoProxy.Private;

/// <summary>
/// Builds the private HOME the go command and git run with: a .gitconfig whose credential helper answers from the
/// mounted Secrets (and records when git rejects what it gave), a .git-credentials file and a .netrc (the go command
/// reads .netrc itself for go-get lookups of paths that do not end in .git), and SSH keys. Nothing else from the
/// proxy's own environment reaches git.
/// </summary>
internal static class VcsCredentials
{
    /// <summary>The variable that tells the credential helper where to record a rejection, one file per go run.</summary>
    public const string MarkerVariable = "GOPROXY_VCS_CREDENTIAL_MARKER";

    /// <summary>Writes the HOME at <paramref name="home"/>; throws <see cref="ProxyConfigurationException"/> for unusable credentials.</summary>
    public static void WriteHome(string home, PrivateModuleOptions options)
    {
        Directory.CreateDirectory(home);
        var sshDir = Path.Combine(home, ".ssh");
        var credentials = new StringBuilder();
        var netrc = new StringBuilder();
        var keys = new List<string>();
        foreach (var module in options.Modules)
        {
            if (module.CredentialsDir is not { Length: > 0 } dir)
            {
                continue;
            }

            if (!Directory.Exists(dir))
            {
                throw new ProxyConfigurationException($"privateModules: credentials folder \"{dir}\" for \"{module.Pattern}\" does not exist");
            }

            var host = HostOf(module);
            var token = ReadSecret(dir, "token");
            var username = ReadSecret(dir, "username");
            var password = ReadSecret(dir, "password") ?? token;
            if (password is not null)
            {
                // Hosts differ in the user name a token goes with; GitHub and GitLab accept any, so one that says what it is.
                username ??= "x-access-token";
                credentials.Append("https://").Append(Uri.EscapeDataString(username)).Append(':').Append(Uri.EscapeDataString(password)).Append('@').Append(host).Append('\n');
                credentials.Append("http://").Append(Uri.EscapeDataString(username)).Append(':').Append(Uri.EscapeDataString(password)).Append('@').Append(host).Append('\n');
                netrc.Append("machine ").Append(host.Split(':')[0]).Append(" login ").Append(username).Append(" password ").Append(password).Append('\n');
            }

            if (ReadSecret(dir, "ssh-privatekey") is { } key)
            {
                Directory.CreateDirectory(sshDir);
                var keyFile = Path.Combine(sshDir, $"key-{keys.Count}");
                WritePrivate(keyFile, key.TrimEnd() + "\n");
                keys.Add(keyFile);
            }
        }

        WritePrivate(Path.Combine(home, ".git-credentials"), credentials.ToString());
        WritePrivate(Path.Combine(home, ".netrc"), netrc.ToString());
        var helper = Path.Combine(home, "credential-helper.sh");
        File.WriteAllText(helper, HelperScript.Replace("@STORE@", Path.Combine(home, ".git-credentials"), StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(helper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var gitConfig = new StringBuilder();
        gitConfig.Append("[credential]\n\thelper = \n\thelper = ").Append(Quote(helper)).Append('\n');
        gitConfig.Append("[core]\n");
        if (keys.Count > 0)
        {
            var known = Path.Combine(sshDir, "known_hosts");
            gitConfig.Append("\tsshCommand = ssh -F /dev/null -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=")
                .Append(known).Append(string.Concat(keys.Select(k => " -i " + k))).Append('\n');
        }

        if (options.GitConfigFile is { Length: > 0 } extra)
        {
            gitConfig.Append("[include]\n\tpath = ").Append(Quote(Path.GetFullPath(extra))).Append('\n');
        }

        File.WriteAllText(Path.Combine(home, ".gitconfig"), gitConfig.ToString());
    }

    /// <summary>The host (with any port) the pattern's credentials are for: its own, or the first path element.</summary>
    public static string HostOf(PrivateModulePattern module) =>
        module.Host is { Length: > 0 } host ? host : module.Pattern.Trim().Split('/')[0];

    // git asks "get" before it authenticates and "erase" when the server refused what "get" gave; both are recorded,
    // so a failure can be told apart from a missing repository whatever message git's last attempt printed (the go
    // command tries several schemes for a .git path and reports only the last one's error).
    private const string HelperScript = """
        #!/bin/sh
        case "$1" in
        get)
            answer=$(git credential-store --file='@STORE@' get)
            if [ -z "$answer" ]; then
                [ -n "$GOPROXY_VCS_CREDENTIAL_MARKER" ] && echo missing >> "$GOPROXY_VCS_CREDENTIAL_MARKER"
            else
                printf '%s\n' "$answer"
            fi
            ;;
        erase)
            cat > /dev/null
            [ -n "$GOPROXY_VCS_CREDENTIAL_MARKER" ] && echo rejected >> "$GOPROXY_VCS_CREDENTIAL_MARKER"
            ;;
        *)
            cat > /dev/null
            ;;
        esac
        exit 0

        """;

    private static string? ReadSecret(string dir, string name)
    {
        var file = Path.Combine(dir, name);
        return File.Exists(file) ? File.ReadAllText(file).Trim('\r', '\n') is { Length: > 0 } value ? value : null : null;
    }

    private static void WritePrivate(string file, string content)
    {
        File.WriteAllText(file, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
