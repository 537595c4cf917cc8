using ProxyOperator.Testing;

namespace ProxyOperator.EndToEnd.Tests.Fleet;

/// <summary>
/// A module graph for the fleet tests, built once per test class by Go's own x/mod/zip: an application module whose
/// requirements reach six modules (two versions of one, an uppercase path), two of them with zips of a few MB so that
/// a replica killed mid-run is likely to be in the middle of a transfer.
/// </summary>
/// <remarks>
/// <code>
/// example.com/fleet/app v1.0.0
///   ├─ example.com/fleet/lib v1.2.0 ── example.com/fleet/blob v1.0.0 (≈3 MB zip)
///   │                               └─ example.com/fleet/util v1.1.0
///   ├─ example.com/fleet/assets v1.0.0 (≈2 MB zip) ── example.com/fleet/util v1.0.0 (go.mod only: MVS picks v1.1.0)
///   └─ example.com/fleet/!tools v1.0.0
/// </code>
/// </remarks>
public sealed class FleetGraph : IAsyncLifetime
{
    public const string Root = "example.com/fleet/app";

    public const string RootVersion = "v1.0.0";

    /// <summary>The zip a test slows down at the upstream, so a replica is busy fetching it when it is killed.</summary>
    public const string SlowZipPath = "/example.com/fleet/blob/@v/v1.0.0.zip";

    private ModuleFixture? _fixture;

    public ModuleFixture Fixture => _fixture ?? throw new InvalidOperationException("not initialised");

    /// <summary>Every module version whose zip is in the build list of <see cref="Root"/>.</summary>
    public static IReadOnlyList<string> BuildList { get; } =
    [
        "example.com/fleet/app@v1.0.0",
        "example.com/fleet/lib@v1.2.0",
        "example.com/fleet/blob@v1.0.0",
        "example.com/fleet/util@v1.1.0",
        "example.com/fleet/assets@v1.0.0",
        "example.com/fleet/Tools@v1.0.0",
    ];

    public static IReadOnlyList<FixtureModule> Modules()
    {
        static DateTimeOffset Day(int day) => new(2024, 5, day, 12, 0, 0, TimeSpan.Zero);
        static string GoMod(string path, params string[] requires) =>
            $"module {path}\n\ngo 1.16\n" + (requires.Length > 0 ? $"\nrequire (\n\t{string.Join("\n\t", requires)}\n)\n" : "");

        return
        [
            FixtureModule.Simple("example.com/fleet/util", "v1.0.0", Day(1), "util", GoMod("example.com/fleet/util")),
            FixtureModule.Simple("example.com/fleet/util", "v1.1.0", Day(2), "util", GoMod("example.com/fleet/util")),
            FixtureModule.Simple("example.com/fleet/Tools", "v1.0.0", Day(3), "tools", GoMod("example.com/fleet/Tools")),
            WithData(FixtureModule.Simple("example.com/fleet/blob", "v1.0.0", Day(4), "blob", GoMod("example.com/fleet/blob")), mebibytes: 3, seed: 1),
            WithData(FixtureModule.Simple("example.com/fleet/assets", "v1.0.0", Day(5), "assets",
                GoMod("example.com/fleet/assets", "example.com/fleet/util v1.0.0")), mebibytes: 2, seed: 2),
            FixtureModule.Simple("example.com/fleet/lib", "v1.2.0", Day(6), "lib",
                GoMod("example.com/fleet/lib", "example.com/fleet/blob v1.0.0", "example.com/fleet/util v1.1.0")),
            FixtureModule.Simple("example.com/fleet/app", "v1.0.0", Day(7), "app",
                GoMod("example.com/fleet/app", "example.com/fleet/lib v1.2.0", "example.com/fleet/assets v1.0.0", "example.com/fleet/Tools v1.0.0")),
        ];
    }

    public async Task InitializeAsync() => _fixture = await ModuleFixture.BuildAsync(Modules(), CancellationToken.None);

    public Task DisposeAsync()
    {
        _fixture?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>
    /// A consumer module requiring <see cref="Root"/> only, so the go command walks the graph through the proxy
    /// (every <c>.mod</c>, then the zips of the build list) as a CI job's <c>go mod download</c> does.
    /// </summary>
    public static async Task<string> WriteConsumerAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "go.mod"), $"module example.com/consumer\n\ngo 1.16\n\nrequire {Root} {RootVersion}\n");
        return directory;
    }

    /// <summary>
    /// A data file of <paramref name="mebibytes"/> pseudo-random bytes as base64 text (deflate brings it back to about
    /// that size), the same for a seed on every run; not for security, only to make a zip large.
    /// </summary>
    private static FixtureModule WithData(FixtureModule module, int mebibytes, int seed)
    {
        var bytes = new byte[mebibytes << 20];
#pragma warning disable CA5394 // Deterministic filler, not a secret.
        new Random(seed).NextBytes(bytes);
#pragma warning restore CA5394
        var files = new Dictionary<string, string>(module.Files) { ["testdata/data.txt"] = Convert.ToBase64String(bytes, Base64FormattingOptions.InsertLineBreaks) };
        return module with { Files = files };
    }
}
