namespace ProxyOperator.Testing;

/// <summary>
/// Bare git repositories made with the real git in a temp folder, standing in for a private VCS host: the go command
/// reaches them through git's <c>url.&lt;base&gt;.insteadOf</c> (<see cref="GitConfig"/>), so module paths keep their
/// https://git.corp.example/ form and, ending in .git, need no go-get lookup (DESIGN §5).
/// </summary>
public sealed class GitRepositories : IDisposable
{
    public const string Host = "git.corp.example";

    /// <summary>Tags v1.0.0 and v1.1.0, a later untagged commit on main, and a module in <c>sub/</c> tagged sub/v1.0.0.</summary>
    public const string Library = Host + "/team/lib.git";

    public const string SubModule = Library + "/sub";

    private static readonly TimeSpan GitTimeout = TimeSpan.FromMinutes(1);
    private readonly TempDirectory _dir;

    private GitRepositories(TempDirectory dir) => _dir = dir;

    /// <summary>The folder that https://git.corp.example/ maps to.</summary>
    public string Root => Path.Combine(_dir.Path, "repos");

    /// <summary>A git config file with the insteadOf mapping; include it from a HOME's .gitconfig.</summary>
    public string GitConfig => Path.Combine(_dir.Path, "gitconfig");

    public static async Task<GitRepositories> CreateAsync(CancellationToken cancellationToken)
    {
        var repos = new GitRepositories(TempDirectory.Create("goproxy-git-"));
        await repos.BuildLibraryAsync(cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(repos.GitConfig, $"""
            [url "file://{repos.Root}/"]
            	insteadOf = https://{Host}/
            [protocol "file"]
            	allow = always

            """, cancellationToken).ConfigureAwait(false);
        return repos;
    }

    /// <summary>Writes a .gitconfig into <paramref name="home"/> that includes <see cref="GitConfig"/> and <paramref name="extra"/>.</summary>
    public void WriteHomeConfig(string home, string extra = "")
    {
        Directory.CreateDirectory(home);
        File.WriteAllText(Path.Combine(home, ".gitconfig"), $"[include]\n\tpath = {GitConfig}\n{extra}");
    }

    public void Dispose() => _dir.Dispose();

    private async Task BuildLibraryAsync(CancellationToken cancellationToken)
    {
        var bare = Path.Combine(Root, "team", "lib.git");
        var work = Path.Combine(_dir.Path, "work-lib");
        Directory.CreateDirectory(bare);
        Directory.CreateDirectory(work);
        await GitAsync(bare, ["init", "--quiet", "--bare"], cancellationToken).ConfigureAwait(false);
        await GitAsync(bare, ["symbolic-ref", "HEAD", "refs/heads/main"], cancellationToken).ConfigureAwait(false);
        await GitAsync(work, ["init", "--quiet"], cancellationToken).ConfigureAwait(false);
        await GitAsync(work, ["checkout", "--quiet", "-b", "main"], cancellationToken).ConfigureAwait(false);

        await File.WriteAllTextAsync(Path.Combine(work, "go.mod"), $"module {Library}\n\ngo 1.19\n", cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(work, "lib.go"), "package lib\n\nfunc Name() string { return \"v1.0.0\" }\n", cancellationToken).ConfigureAwait(false);
        await CommitAsync(work, "2024-01-01T10:00:00Z", "first", cancellationToken).ConfigureAwait(false);
        await GitAsync(work, ["tag", "v1.0.0"], cancellationToken).ConfigureAwait(false);

        await File.WriteAllTextAsync(Path.Combine(work, "lib.go"), "package lib\n\nfunc Name() string { return \"v1.1.0\" }\n", cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(Path.Combine(work, "sub"));
        await File.WriteAllTextAsync(Path.Combine(work, "sub", "go.mod"), $"module {SubModule}\n\ngo 1.19\n", cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(work, "sub", "sub.go"), "package sub\n\nconst Depth = 1\n", cancellationToken).ConfigureAwait(false);
        await CommitAsync(work, "2024-02-01T10:00:00Z", "second, with a nested module", cancellationToken).ConfigureAwait(false);
        await GitAsync(work, ["tag", "v1.1.0"], cancellationToken).ConfigureAwait(false);
        await GitAsync(work, ["tag", "sub/v1.0.0"], cancellationToken).ConfigureAwait(false);

        await File.WriteAllTextAsync(Path.Combine(work, "lib.go"), "package lib\n\nfunc Name() string { return \"main\" }\n", cancellationToken).ConfigureAwait(false);
        await CommitAsync(work, "2024-03-01T10:00:00Z", "unreleased work on main", cancellationToken).ConfigureAwait(false);

        await GitAsync(work, ["push", "--quiet", bare, "main", "--tags"], cancellationToken).ConfigureAwait(false);
    }

    private static Task CommitAsync(string work, string date, string message, CancellationToken cancellationToken) =>
        GitAsync(work, ["-c", "core.autocrlf=false", "commit", "--quiet", "--all", "--message", message, "--no-verify", "--allow-empty"],
            cancellationToken, new Dictionary<string, string?> { ["GIT_AUTHOR_DATE"] = date, ["GIT_COMMITTER_DATE"] = date });

    private static async Task GitAsync(string directory, string[] arguments, CancellationToken cancellationToken, Dictionary<string, string?>? extra = null)
    {
        var environment = new Dictionary<string, string?>(extra ?? [])
        {
            ["HOME"] = directory,
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["GIT_AUTHOR_NAME"] = "Fixture",
            ["GIT_AUTHOR_EMAIL"] = "fixture@corp.example",
            ["GIT_COMMITTER_NAME"] = "Fixture",
            ["GIT_COMMITTER_EMAIL"] = "fixture@corp.example",
        };
        // "add" first, so that new files are in the commit.
        if (arguments.Contains("commit"))
        {
            var added = await ProcessRunner.RunAsync("git", ["add", "--all"], directory, environment, null, GitTimeout, cancellationToken).ConfigureAwait(false);
            if (added.ExitCode != 0)
            {
                throw new InvalidOperationException($"git add failed: {added.StandardError}");
            }
        }

        var result = await ProcessRunner.RunAsync("git", arguments, directory, environment, null, GitTimeout, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {result.StandardError}");
        }
    }
}
