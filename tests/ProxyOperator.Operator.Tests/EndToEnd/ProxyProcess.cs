using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ProxyOperator.Operator.Tests.EndToEnd;

/// <summary>
/// The real proxy as its own process (the <c>goproxy</c> apphost the build copies next to the tests), on a loopback
/// port that survives a restart, as a pod's address does. Killed with its process tree on stop or dispose.
/// </summary>
internal sealed class ProxyProcess : IAsyncDisposable
{
    private readonly string _storageDir;
    private readonly string _upstream;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private ProxyProcess(int port, string storageDir, string upstream)
    {
        Port = port;
        _storageDir = storageDir;
        _upstream = upstream;
    }

    public int Port { get; }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    public static async Task<ProxyProcess> StartAsync(string storageDir, string upstream)
    {
        var process = new ProxyProcess(FreePort(), storageDir, upstream);
        await process.StartAgainAsync();
        return process;
    }

    /// <summary>Starts the process (again, after <see cref="StopAsync"/>) and waits until /healthz answers.</summary>
    public async Task StartAgainAsync()
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "goproxy"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--listen", $"127.0.0.1:{Port}", "--storage-dir", _storageDir, "--upstream", _upstream })
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start goproxy");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                if ((await http.GetAsync(new Uri(BaseUrl, "/healthz"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"goproxy did not come up on port {Port}: {Output}");
            }

            await Task.Delay(50);
        }
    }

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

    /// <summary>Kills the process, as a node losing the pod would.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
            _process = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
