using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;

namespace ProxyOperator.Testing;

/// <summary>
/// A local, signed checksum database on 127.0.0.1 (the gosumdb helper, built in GOPATH mode with Go's own
/// golang.org/x/mod/sumdb) holding the records of a module fixture as they are when it starts.
/// </summary>
public sealed class SumDbServer : IAsyncDisposable
{
    private static readonly SemaphoreSlim BuildLock = new(1, 1);
    private static readonly TimeSpan GoTimeout = TimeSpan.FromMinutes(3);
    private readonly Process _process;

    private SumDbServer(Process process, string name, string key, Uri url)
    {
        _process = process;
        Name = name;
        Key = key;
        Url = url;
    }

    public string Name { get; }

    /// <summary>The verifier key, <c>NAME+HASH+KEY</c>, as GOSUMDB and sumdb.key take it.</summary>
    public string Key { get; }

    public Uri Url { get; }

    public static async Task<SumDbServer> StartAsync(string fixtureRoot, string name, CancellationToken cancellationToken)
    {
        var program = await BuildProgramAsync(cancellationToken).ConfigureAwait(false);
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-root");
        start.ArgumentList.Add(fixtureRoot);
        start.ArgumentList.Add("-name");
        start.ArgumentList.Add(name);
        var process = Process.Start(start) ?? throw new InvalidOperationException("gosumdb did not start");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false);
        if (line is null)
        {
            var error = await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException($"gosumdb failed: {error}");
        }

        using var json = JsonDocument.Parse(line);
        return new SumDbServer(process, name, json.RootElement.GetProperty("key").GetString()!, new Uri(json.RootElement.GetProperty("url").GetString()!));
    }

    /// <summary>Requests that reached the database, by path.</summary>
    public async Task<IReadOnlyDictionary<string, int>> RequestsAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(Url, "/_requests"), cancellationToken).ConfigureAwait(false);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .ToDictionary(p => p[0], p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }

    private static async Task<string> BuildProgramAsync(CancellationToken cancellationToken)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "gosumdb", "main.go");
        var hash = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(source, cancellationToken).ConfigureAwait(false)))[..16];
        var folder = Path.Combine(Path.GetTempPath(), $"proxyoperator-gosumdb-{hash}");
        var binary = Path.Combine(folder, "gosumdb");
        await BuildLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (File.Exists(binary))
            {
                return binary;
            }

            Directory.CreateDirectory(folder);
            var staging = Path.Combine(folder, $"gosumdb-{Guid.NewGuid():N}");
            var environment = new Dictionary<string, string?>
            {
                ["GO111MODULE"] = "off",
                ["GOPATH"] = $"{Path.Combine(folder, "gopath")}:/usr/share/gocode",
                ["GOCACHE"] = Path.Combine(folder, "gocache"),
                ["GOFLAGS"] = null,
                ["GOENV"] = "off",
                ["GOTOOLCHAIN"] = "local",
                ["CGO_ENABLED"] = "0",
            };
            var result = await ProcessRunner.RunAsync("go", ["build", "-o", staging, source], folder, environment, null, GoTimeout, cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"building gosumdb failed (needs Debian's golang-go and golang-golang-x-mod-dev): {result.StandardError}");
            }

            File.Move(staging, binary, overwrite: true);
            return binary;
        }
        finally
        {
            BuildLock.Release();
        }
    }
}
