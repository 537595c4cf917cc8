using System.Diagnostics;
using System.Text.RegularExpressions;
using ProxyOperator.Testing;

namespace ProxyOperator.Build.Tests.Docker;

/// <summary>
/// The Dockerfile's build stage carried out without a Docker engine: its WORKDIR and COPY instructions against the
/// repository filtered by .dockerignore (the build context Docker would send), its RUN instructions with the real
/// dotnet and bash. Absolute paths the stage works in (<c>/src</c>, <c>/out</c>) live under a temporary root.
/// Once per test class (it takes about 20 s: a cold restore and two Release publishes).
/// </summary>
public sealed class BuildStage : IAsyncLifetime
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5);

    private readonly TempDirectory _temp = TempDirectory.Create("build-stage-");

    /// <summary>Where the stage's <c>/</c> is.</summary>
    public string Root => Path.Combine(_temp.Path, "root");

    internal IReadOnlyList<DockerStage> Stages { get; } = Dockerfile.Parse(File.ReadAllText(RepositoryRoot.File("Dockerfile")));

    /// <summary>Why the stage failed (the instruction and what it printed); null when it ran through.</summary>
    public string? Failure { get; private set; }

    public TimeSpan Elapsed { get; private set; }

    /// <summary>A path in the stage's file system, under <see cref="Root"/>.</summary>
    public string HostPath(string containerPath) => Path.Combine(Root, containerPath.TrimStart('/'));

    public async Task InitializeAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var ignore = DockerIgnore.Parse(File.ReadAllText(RepositoryRoot.File(".dockerignore")));
        var build = Stages.Single(s => s.Name == "build");
        var emulated = EmulatedRoots(build);
        var workdir = "/";
        foreach (var instruction in build.Instructions)
        {
            switch (instruction.Keyword)
            {
                case "WORKDIR":
                    workdir = instruction.Body.StartsWith('/') ? instruction.Body : Path.Combine(workdir, instruction.Body);
                    Directory.CreateDirectory(HostPath(workdir));
                    break;
                case "COPY" when !instruction.Flags.ContainsKey("from"):
                    Copy(ignore, instruction.Words.SkipLast(1).ToList(), instruction.Words[^1], workdir);
                    break;
                case "RUN":
                    var command = Regex.Replace(instruction.Body, $@"(?<=^|[\s=])/({string.Join('|', emulated)})(?=/|\s|$)", m => Root + m.Value);
                    var result = await ProcessRunner.RunAsync("bash", ["-euo", "pipefail", "-c", command], HostPath(workdir),
                        ChildEnvironment(), null, RunTimeout, CancellationToken.None);
                    if (result.ExitCode != 0)
                    {
                        Failure = $"{instruction} exited {result.ExitCode}\n{result.StandardOutput}\n{result.StandardError}";
                        Elapsed = Stopwatch.GetElapsedTime(started);
                        return;
                    }

                    break;
                default:
                    throw new NotSupportedException($"{instruction}: the build stage emulation does not know this instruction");
            }
        }

        Elapsed = Stopwatch.GetElapsedTime(started);
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The first folders of the paths the build stage works in and the final stages copy from (src, out).</summary>
    private List<string> EmulatedRoots(DockerStage build) =>
        build.All("WORKDIR").Select(w => w.Body)
            .Concat(Stages.SelectMany(s => s.All("COPY")).Where(c => c.Flags.GetValueOrDefault("from") == build.Name).SelectMany(c => c.Words.SkipLast(1)))
            .Where(p => p.StartsWith('/'))
            .Select(p => p.TrimStart('/').Split('/')[0])
            .Distinct(StringComparer.Ordinal)
            .Select(Regex.Escape)
            .ToList();

    /// <summary>COPY from the build context: a folder's contents, or files into a folder (a destination ending in /).</summary>
    private void Copy(DockerIgnore ignore, List<string> sources, string destination, string workdir)
    {
        var target = HostPath(destination.StartsWith('/') ? destination : Path.Combine(workdir, destination));
        foreach (var source in sources)
        {
            var relative = source.TrimEnd('/');
            var path = RepositoryRoot.File(relative);
            if (Directory.Exists(path))
            {
                CopyFolder(ignore, relative, target);
            }
            else if (!ignore.IsExcluded(relative))
            {
                var into = destination.EndsWith('/') || sources.Count > 1 ? Path.Combine(target, Path.GetFileName(relative)) : target;
                Directory.CreateDirectory(Path.GetDirectoryName(into)!);
                File.Copy(path, into, overwrite: true);
            }
        }
    }

    private static void CopyFolder(DockerIgnore ignore, string relative, string target)
    {
        var folder = RepositoryRoot.File(relative);
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            var name = Path.GetFileName(file);
            if (!ignore.IsExcluded($"{relative}/{name}"))
            {
                Directory.CreateDirectory(target);
                File.Copy(file, Path.Combine(target, name), overwrite: true);
            }
        }

        foreach (var sub in Directory.EnumerateDirectories(folder))
        {
            var name = Path.GetFileName(sub);
            if (!ignore.IsExcluded($"{relative}/{name}"))
            {
                CopyFolder(ignore, $"{relative}/{name}", Path.Combine(target, name));
            }
        }
    }

    /// <summary>
    /// The test host's environment less what <c>dotnet test</c> sets for its own MSBuild, which a nested build would
    /// otherwise inherit; as in the SDK image, no telemetry or first-run banner.
    /// </summary>
    private static Dictionary<string, string?> ChildEnvironment()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
            {
                environment[name] = null;
            }
        }

        return environment;
    }
}
