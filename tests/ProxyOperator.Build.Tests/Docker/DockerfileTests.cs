using System.Xml.Linq;

namespace ProxyOperator.Build.Tests.Docker;

/// <summary>
/// The Dockerfile's structure, read without a Docker engine (none runs in CI): one build stage on the SDK, the final
/// targets <c>operator</c> and <c>goproxy</c> on runtime images, non-root, exec-form entrypoints, the right ports.
/// </summary>
public sealed class DockerfileTests
{
    private const string BuildStage = "build";
    private const string SdkImage = "mcr.microsoft.com/dotnet/sdk:";

    // The runtime images the final stages may start from: never the SDK, which has compilers and NuGet in it.
    private static readonly string[] RuntimeImages =
        ["mcr.microsoft.com/dotnet/aspnet:", "mcr.microsoft.com/dotnet/runtime:", "mcr.microsoft.com/dotnet/runtime-deps:"];

    private static readonly IReadOnlyList<DockerStage> Stages = Dockerfile.Parse(File.ReadAllText(RepositoryRoot.File("Dockerfile")));

    private static readonly DockerIgnore Ignore = DockerIgnore.Parse(File.ReadAllText(RepositoryRoot.File(".dockerignore")));

    public static TheoryData<string> FinalTargets => new() { "operator", "goproxy" };

    private static DockerStage Stage(string name) =>
        Stages.SingleOrDefault(s => s.Name == name) ?? throw new Xunit.Sdk.XunitException($"the Dockerfile has no stage named {name}");

    [Fact]
    public void There_is_one_build_stage_on_the_sdk_image_and_the_final_targets_operator_and_goproxy()
    {
        Assert.Equal(["build", "goproxy", "operator"], Stages.Select(s => s.Name ?? "(unnamed)").Order(StringComparer.Ordinal));
        var sdkStage = Assert.Single(Stages, s => s.Image.StartsWith(SdkImage, StringComparison.Ordinal));
        Assert.Equal(BuildStage, sdkStage.Name);
        // A target that is not named last would still build, but `docker build .` without --target builds the last stage:
        // make it a runtime image, never the build stage.
        Assert.NotEqual(BuildStage, Stages[^1].Name);
    }

    [Theory]
    [MemberData(nameof(FinalTargets))]
    public void Final_stage_starts_from_a_runtime_image_never_the_sdk(string target)
    {
        var image = Stage(target).Image;
        Assert.True(RuntimeImages.Any(r => image.StartsWith(r, StringComparison.Ordinal)), $"{target} is built FROM {image}");
        Assert.DoesNotContain("/sdk", image, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(FinalTargets))]
    public void Final_stage_runs_as_a_non_root_user(string target)
    {
        var stage = Stage(target);
        var user = stage.Last("USER") ?? throw new Xunit.Sdk.XunitException($"{target} has no USER: it would run as root");
        var name = user.Body.Split(':')[0];
        Assert.DoesNotContain(name, new[] { "root", "0" });
        // $APP_UID is the base images' non-root "app" user (1654), which ProxyImage.UserId states for runAsUser.
        Assert.True(name is "$APP_UID" or "${APP_UID}" || (long.TryParse(name, out var uid) && uid > 0), $"{target}: {user}");
        // Nothing after USER may need root (a RUN apt-get would fail there).
        Assert.DoesNotContain(stage.Instructions.SkipWhile(i => i != user), i => i.Keyword == "RUN");
    }

    [Theory]
    [MemberData(nameof(FinalTargets))]
    public void Final_stage_copies_only_the_build_stage_output(string target)
    {
        var stage = Stage(target);
        Assert.DoesNotContain(stage.Instructions, i => i.Keyword == "ADD");
        var copies = stage.All("COPY").ToList();
        Assert.NotEmpty(copies);
        Assert.All(copies, c => Assert.Equal(BuildStage, c.Flags.GetValueOrDefault("from")));
    }

    [Fact]
    public void Operator_entrypoint_is_the_exec_form_apphost_and_exposes_its_health_port()
    {
        var stage = Stage("operator");
        var entrypoint = stage.Last("ENTRYPOINT")!;
        Assert.True(entrypoint.IsExecForm, $"{entrypoint}: the shell form would run under /bin/sh and not get SIGTERM");
        Assert.Equal(["/app/proxy-operator"], entrypoint.ExecForm());
        // The operator listens on 0.0.0.0:8081 unless told otherwise (OperatorOptions.Listen): /metrics /healthz /readyz.
        Assert.Equal(["8081"], stage.All("EXPOSE").SelectMany(e => e.Words));
    }

    [Fact]
    public void Goproxy_entrypoint_is_the_exec_form_apphost_listening_on_the_exposed_port_with_its_store_on_the_volume()
    {
        var stage = Stage("goproxy");
        var entrypoint = stage.Last("ENTRYPOINT")!;
        Assert.True(entrypoint.IsExecForm, $"{entrypoint}: the shell form would run under /bin/sh and not get SIGTERM");
        var argv = entrypoint.ExecForm();
        Assert.Equal("/app/goproxy", argv[0]);
        Assert.Equal("0.0.0.0:3000", Flag(argv, "--listen"));
        Assert.Equal("/var/cache/goproxy", Flag(argv, "--storage-dir"));
        Assert.Equal(["3000"], stage.All("EXPOSE").SelectMany(e => e.Words));
        Assert.Equal("/var/cache/goproxy", Assert.Single(stage.All("VOLUME")).Body);
    }

    [Fact]
    public void Goproxy_image_installs_git_for_private_modules()
    {
        var installs = Stage("goproxy").All("RUN").Where(r => r.Body.Contains("apt-get install", StringComparison.Ordinal)).ToList();
        Assert.Contains(installs, r => r.Words.Contains("git"));
        // The apt lists are removed in the same layer, or they stay in the image.
        Assert.All(installs, r => Assert.Contains("rm -rf /var/lib/apt/lists", r.Body, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_copy_source_exists_in_the_repository_and_is_in_the_build_context()
    {
        var sources = Stages.SelectMany(s => s.All("COPY")).Where(c => !c.Flags.ContainsKey("from")).SelectMany(c => c.Words.SkipLast(1)).ToList();
        Assert.NotEmpty(sources);
        Assert.All(sources, source =>
        {
            var path = RepositoryRoot.File(source.TrimEnd('/'));
            Assert.True(File.Exists(path) || Directory.Exists(path), $"COPY {source}: no such file in the repository");
            Assert.False(Ignore.IsExcluded(source), $"COPY {source}: .dockerignore keeps it out of the build context");
        });
    }

    [Theory]
    [InlineData("src/ProxyOperator.GoProxy/bin/Release/net10.0/goproxy.dll")]
    [InlineData("src/ProxyOperator.Operator/obj/project.assets.json")]
    [InlineData("src/ProxyOperator.Modules/obj/Release/net10.0/ProxyOperator.Modules.dll")]
    [InlineData(".tools/kube-clients/kubectl")]
    [InlineData(".git/HEAD")]
    [InlineData(".data/storage/example.com/@v/list")]
    [InlineData("tests/ProxyOperator.EndToEnd.Tests/bin/Release/net10.0/goproxy")]
    public void Dockerignore_keeps_build_output_tools_and_local_data_out_of_the_context(string path) =>
        Assert.True(Ignore.IsExcluded(path), $"{path} would be sent to the Docker engine (patterns: {string.Join(' ', Ignore.Patterns)})");

    [Theory]
    [InlineData("src/ProxyOperator.GoProxy/ProxyApplication.cs")]
    [InlineData("src/ProxyOperator.Operator/ProxyOperator.Operator.csproj")]
    [InlineData("Directory.Build.props")]
    [InlineData("global.json")]
    public void Dockerignore_keeps_the_sources_in_the_context(string path) => Assert.False(Ignore.IsExcluded(path), path);

    [Fact]
    public void Build_stage_restores_from_the_project_files_alone_before_it_copies_the_sources()
    {
        var stage = Stage(BuildStage);
        var restore = stage.Instructions.ToList().FindIndex(i => i.Keyword == "RUN" && i.Body.Contains("dotnet restore", StringComparison.Ordinal));
        Assert.True(restore >= 0, "the build stage has no RUN dotnet restore: every source edit would restore again");
        var before = stage.Instructions.Take(restore).Where(i => i.Keyword == "COPY").SelectMany(c => c.Words.SkipLast(1)).ToList();
        // Only project files and the repository-wide settings before the restore, so the layer survives source edits ...
        Assert.All(before, source => Assert.True(
            source.EndsWith(".csproj", StringComparison.Ordinal) || !source.Contains('/', StringComparison.Ordinal),
            $"COPY {source} before the restore: a change there would invalidate the restore layer"));
        // ... and every project the published hosts reference, or the restore would not find them.
        var needed = Closure(["src/ProxyOperator.Operator/ProxyOperator.Operator.csproj", "src/ProxyOperator.GoProxy/ProxyOperator.GoProxy.csproj"]);
        Assert.Equal(needed.Order(StringComparer.Ordinal), before.Where(s => s.EndsWith(".csproj", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    private static string? Flag(IReadOnlyList<string> argv, string flag)
    {
        var index = argv.ToList().IndexOf(flag);
        return index >= 0 && index + 1 < argv.Count ? argv[index + 1] : null;
    }

    /// <summary>The projects and everything they reference through ProjectReference, as repository paths.</summary>
    private static HashSet<string> Closure(IEnumerable<string> projects)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(projects);
        while (pending.TryPop(out var project))
        {
            if (!seen.Add(project))
            {
                continue;
            }

            var folder = Path.GetDirectoryName(RepositoryRoot.File(project))!;
            foreach (var reference in XDocument.Load(RepositoryRoot.File(project)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(folder, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                pending.Push(Path.GetRelativePath(RepositoryRoot.Path, full).Replace('\\', '/'));
            }
        }

        return seen;
    }
}
