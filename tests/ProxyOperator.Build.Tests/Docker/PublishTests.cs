using ProxyOperator.Testing;
using Xunit.Abstractions;

namespace ProxyOperator.Build.Tests.Docker;

/// <summary>
/// What CI proves in place of <c>docker build</c> (no Docker engine runs on our machines): the build stage publishes
/// both hosts for linux-x64 from exactly the build context, and each final image's ENTRYPOINT names a program its
/// COPY --from=build brings, which starts.
/// </summary>
public sealed class PublishTests(BuildStage build, ITestOutputHelper output) : IClassFixture<BuildStage>
{
    public static TheoryData<string, string> Targets => new() { { "operator", "proxy-operator" }, { "goproxy", "goproxy" } };

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Build_stage_publishes_the_apphost_the_final_stage_runs(string target, string apphost)
    {
        output.WriteLine($"build stage: {build.Elapsed.TotalSeconds:F1} s");
        Assert.True(build.Failure is null, build.Failure);

        var stage = build.Stages.Single(s => s.Name == target);
        var entrypoint = stage.Last("ENTRYPOINT")!.ExecForm()[0];
        Assert.Equal(apphost, Path.GetFileName(entrypoint));
        var program = ImagePath(stage, entrypoint);
        Assert.True(File.Exists(program), $"{target}: ENTRYPOINT {entrypoint} is not in what COPY --from=build brings ({program})");
        if (!OperatingSystem.IsLinux())
        {
            Assert.Fail("the images are linux-x64: this test runs on Linux");
            return;
        }

        Assert.True((File.GetUnixFileMode(program) & UnixFileMode.UserExecute) != 0, $"{program} is not executable");
        // Framework-dependent: the runtime is the base image's, so the output must not carry one of its own.
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(program)!, "libcoreclr.so")), "the publish is self-contained");

        var help = await ProcessRunner.RunAsync(program, ["--help"], Path.GetTempPath(), null, null, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.True(help.ExitCode == 0, $"{program} --help exited {help.ExitCode}: {help.StandardError}");
        Assert.Contains("usage", help.StandardOutput + help.StandardError, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Where <paramref name="imagePath"/> comes from in the build stage's file system: the final stage's
    /// <c>COPY --from=build SOURCE DEST</c> whose DEST (after WORKDIR) holds it.
    /// </summary>
    private string ImagePath(DockerStage stage, string imagePath)
    {
        var workdir = "/";
        foreach (var instruction in stage.Instructions)
        {
            if (instruction.Keyword == "WORKDIR")
            {
                workdir = instruction.Body;
            }
            else if (instruction.Keyword == "COPY" && instruction.Flags.ContainsKey("from"))
            {
                var destination = Path.GetFullPath(Path.Combine(workdir, instruction.Words[^1]));
                var relative = Path.GetRelativePath(destination, imagePath);
                if (!relative.StartsWith("..", StringComparison.Ordinal))
                {
                    return Path.Combine(build.HostPath(instruction.Words[0]), relative);
                }
            }
        }

        throw new Xunit.Sdk.XunitException($"{stage.Name}: no COPY --from=build puts anything at {imagePath}");
    }
}
