using System.Text;
using System.Text.Json;

namespace ProxyOperator.Testing;

/// <summary>One module that <c>go mod download -json</c> reported.</summary>
public sealed record GoDownload(string Path, string Version, string? Error, string? Sum, string? GoModSum, string? Zip);

/// <summary>
/// The real go command (Debian's golang-go), isolated in a temp folder: its own GOPATH, GOMODCACHE, GOCACHE and
/// HOME, no go.env or user configuration, and no toolchain switching, so a test sees only the proxy it names.
/// </summary>
public sealed class GoEnvironment : IDisposable
{
    private readonly TempDirectory _root;
    private readonly Dictionary<string, string?> _variables;

    private GoEnvironment(TempDirectory root, string goProxy, string goSumDb, string goPrivate)
    {
        _root = root;
        WorkDirectory = Path.Combine(root.Path, "work");
        Directory.CreateDirectory(WorkDirectory);
        _variables = new Dictionary<string, string?>
        {
            ["HOME"] = Path.Combine(root.Path, "home"),
            ["GOPATH"] = Path.Combine(root.Path, "gopath"),
            ["GOMODCACHE"] = Path.Combine(root.Path, "gopath", "pkg", "mod"),
            ["GOCACHE"] = Path.Combine(root.Path, "gocache"),
            ["GOPROXY"] = goProxy,
            ["GOSUMDB"] = goSumDb,
            ["GOPRIVATE"] = goPrivate,
            ["GONOPROXY"] = null,
            ["GONOSUMDB"] = null,
            ["GOFLAGS"] = "-mod=mod",
            ["GO111MODULE"] = "on",
            ["GOENV"] = "off",
            ["GOTOOLCHAIN"] = "local",
            ["GOTELEMETRY"] = "off",
            ["CGO_ENABLED"] = "0",
        };
        Directory.CreateDirectory(_variables["HOME"]!);
    }

    /// <summary>The folder commands run in unless told otherwise.</summary>
    public string WorkDirectory { get; }

    public string ModuleCache => _variables["GOMODCACHE"]!;

    public static GoEnvironment Create(string goProxy, string goSumDb = "off", string goPrivate = "") =>
        new(TempDirectory.Create("goproxy-go-"), goProxy, goSumDb, goPrivate);

    /// <summary>The isolated HOME (where a <c>.netrc</c> goes).</summary>
    public string Home => _variables["HOME"]!;

    /// <summary>Sets (or with null, unsets) one more variable, such as <c>SSL_CERT_FILE</c> or <c>NETRC</c>.</summary>
    public GoEnvironment With(string name, string? value)
    {
        _variables[name] = value;
        return this;
    }

    public Task<ProcessResult> RunAsync(string directory, TimeSpan timeout, CancellationToken cancellationToken, params string[] arguments) =>
        ProcessRunner.RunAsync("go", arguments, directory, _variables, standardInput: null, timeout, cancellationToken);

    /// <summary><c>go mod download -json</c> prints one JSON object per module, one after another.</summary>
    public static IReadOnlyList<GoDownload> ParseDownloadJson(string output)
    {
        var results = new List<GoDownload>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(output), new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            results.Add(new GoDownload(
                Text(root, "Path") ?? "",
                Text(root, "Version") ?? "",
                Text(root, "Error"),
                Text(root, "Sum"),
                Text(root, "GoModSum"),
                Text(root, "Zip")));
        }

        return results;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public void Dispose() => _root.Dispose();
}
