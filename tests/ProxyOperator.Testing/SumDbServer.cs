using System.Diagnostics;
using System.Text.Json;

namespace ProxyOperator.Testing;

/// <summary>
/// A local, signed checksum database on 127.0.0.1 (the gosumdb helper, built in GOPATH mode with Go's own
/// golang.org/x/mod/sumdb) holding the records of a module fixture as they are when it starts.
/// </summary>
public sealed class SumDbServer : IAsyncDisposable
{
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
        var program = await GoHelperBuild.BuildAsync("gosumdb", cancellationToken).ConfigureAwait(false);
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
}
