using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ProxyOperator.Modules;

namespace ProxyOperator.Testing;

/// <summary>
/// A static GOPROXY tree (<c>&lt;escaped module&gt;/@v/{list,V.info,V.mod,V.zip}</c>) of real module zips written by
/// Go's own <c>golang.org/x/mod/zip</c> through the <c>gofixture</c> program, with the hashes Go computed for them.
/// </summary>
public sealed class ModuleFixture : IDisposable
{
    private readonly TempDirectory _dir;

    private ModuleFixture(TempDirectory dir, IReadOnlyList<FixtureModule> modules, IReadOnlyDictionary<string, FixtureSums> sums)
    {
        _dir = dir;
        Modules = modules;
        ExpectedSums = sums;
    }

    public string Root => _dir.Path;

    /// <summary>The tree as a <c>file://</c> GOPROXY, the reference the proxy's answers are compared with.</summary>
    public Uri FileUrl => new(Root);

    public IReadOnlyList<FixtureModule> Modules { get; }

    /// <summary>Keyed by <c>path@version</c>.</summary>
    public IReadOnlyDictionary<string, FixtureSums> ExpectedSums { get; }

    /// <summary>The file for <paramref name="extension"/> (".info", ".mod" or ".zip") of a module version.</summary>
    public string ArtifactPath(string modulePath, string version, string extension)
    {
        var escapedPath = CaseEncoding.TryEscape(modulePath, out var p) ? p : throw new ArgumentException(modulePath);
        var escapedVersion = CaseEncoding.TryEscape(version, out var v) ? v : throw new ArgumentException(version);
        return Path.Combine(Root, escapedPath, "@v", escapedVersion + extension);
    }

    /// <summary>
    /// Several modules and versions: a dependency chain (a → b → c), an uppercase path, a <c>/v2</c> major, a
    /// pseudo-version-only module, an <c>+incompatible</c> version and a package in a subdirectory.
    /// </summary>
    public static IReadOnlyList<FixtureModule> StandardSet()
    {
        static DateTimeOffset Day(int month, int day) => new(2024, month, day, 12, 0, 0, TimeSpan.Zero);
        static string GoMod(string path, string requires = "") =>
            $"module {path}\n\ngo 1.16\n" + (requires.Length > 0 ? $"\nrequire {requires}\n" : "");

        return
        [
            FixtureModule.Simple("example.com/lib/c", "v1.0.0", Day(1, 1), "c", GoMod("example.com/lib/c")),
            FixtureModule.Simple("example.com/lib/c", "v1.1.0", Day(2, 1), "c", GoMod("example.com/lib/c")),
            FixtureModule.Simple("example.com/lib/b", "v1.0.0", Day(2, 2), "b", GoMod("example.com/lib/b", "example.com/lib/c v1.1.0"),
                "import c \"example.com/lib/c\"\n\nvar _ = c.Name\n\n"),
            FixtureModule.Simple("example.com/lib/a", "v1.0.0", Day(1, 5), "a", GoMod("example.com/lib/a")),
            new("example.com/lib/a", "v1.2.0", Day(3, 1), new Dictionary<string, string>
            {
                ["go.mod"] = GoMod("example.com/lib/a", "example.com/lib/b v1.0.0"),
                ["a.go"] = "package a\n\nimport b \"example.com/lib/b\"\n\nfunc Name() string { return \"a v1.2.0 with \" + b.Name() }\n",
                ["internal/sub/sub.go"] = "package sub\n\nconst Depth = 2\n",
                ["LICENSE"] = "Fixture licence: do what you like.\n",
            }),
            FixtureModule.Simple("example.com/lib/a/v2", "v2.0.0", Day(4, 1), "a", GoMod("example.com/lib/a/v2")),
            FixtureModule.Simple("example.com/Upper/Case", "v1.0.0", Day(1, 10), "upper", GoMod("example.com/Upper/Case")),
            FixtureModule.Simple("example.com/Upper/Case", "v1.0.1", Day(1, 11), "upper", GoMod("example.com/Upper/Case")),
            FixtureModule.Simple("example.com/dev/snapshot", "v0.0.0-20240102030405-abcdefabcdef",
                new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), "snapshot", GoMod("example.com/dev/snapshot")),
            // A pre-modules v2 release: no go.mod in the zip, and the go command synthesises the .mod file.
            new("example.com/old/lib", "v2.0.0+incompatible", Day(1, 20), new Dictionary<string, string>
            {
                ["lib.go"] = "package lib\n\nfunc Name() string { return \"old\" }\n",
            }),
        ];
    }

    public static async Task<ModuleFixture> BuildAsync(IReadOnlyList<FixtureModule> modules, CancellationToken cancellationToken)
    {
        var program = await GoHelperBuild.BuildAsync("gofixture", cancellationToken).ConfigureAwait(false);
        var dir = TempDirectory.Create("goproxy-fixture-");
        try
        {
            var request = JsonSerializer.Serialize(new
            {
                root = dir.Path,
                modules = modules.Select(m => new
                {
                    path = m.Path,
                    version = m.Version,
                    time = m.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                    files = m.Files,
                }),
            });
            var result = await ProcessRunner.RunAsync(program, [], dir.Path, GoHelperBuild.Environment(Path.GetDirectoryName(program)!), request, GoHelperBuild.GoTimeout, cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"gofixture failed: {result.StandardError}");
            }

            var sums = JsonSerializer.Deserialize<Dictionary<string, SumsJson>>(result.StandardOutput)
                ?? throw new InvalidOperationException("gofixture printed nothing");
            return new ModuleFixture(dir, modules, sums.ToDictionary(s => s.Key, s => new FixtureSums(s.Value.Sum, s.Value.GoModSum)));
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    public void Dispose() => _dir.Dispose();

    private sealed record SumsJson(
        [property: JsonPropertyName("sum")] string Sum,
        [property: JsonPropertyName("goModSum")] string GoModSum);
}
