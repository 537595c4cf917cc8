using System.Diagnostics;
using System.Text;

namespace ProxyOperator.EndToEnd.Tests.Fleet;

/// <summary>
/// One replica of the fleet: the real <c>goproxy</c> apphost (copied next to the tests by the project reference) as
/// its own process, on a loopback port that survives a restart as a pod's address does, configured by a YAML file as
/// the operator's ConfigMap configures it. The same approach as the operator tests' <c>ProxyProcess</c>.
/// </summary>
public sealed class ProxyReplica : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private readonly string _configFile;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private ProxyReplica(string name, int port, string configFile)
    {
        Name = name;
        Port = port;
        _configFile = configFile;
    }

    public string Name { get; }

    public int Port { get; }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    public bool IsRunning => _process is { HasExited: false };

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <param name="yaml">The whole configuration file: listen, storage, upstream, logging.</param>
    public static async Task<ProxyReplica> StartAsync(string name, string directory, Func<int, string> yaml, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var configFile = Path.Combine(directory, $"{name}.yaml");
        await File.WriteAllTextAsync(configFile, yaml(port), cancellationToken).ConfigureAwait(false);
        var replica = new ProxyReplica(name, port, configFile);
        await replica.StartAgainAsync(cancellationToken).ConfigureAwait(false);
        return replica;
    }

    /// <summary>Starts the process (again, after <see cref="KillAsync"/>) and waits until <c>/readyz</c> answers 200.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "goproxy"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(_configFile);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start goproxy");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(BaseUrl, "/readyz"), cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"goproxy {Name} did not become ready on port {Port}: {Output}");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>SIGKILL (what <see cref="Process.Kill()"/> sends on Unix): no shutdown, no flush, as a node dying.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            process.Dispose();
            _process = null;
        }
    }

    public async ValueTask DisposeAsync() => await KillAsync().ConfigureAwait(false);

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
