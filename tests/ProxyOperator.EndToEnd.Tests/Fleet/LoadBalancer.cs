using System.Diagnostics;
using System.Text;
using ProxyOperator.Testing;

namespace ProxyOperator.EndToEnd.Tests.Fleet;

/// <summary>
/// A real nginx (Debian's nginx-light) or HAProxy on a free 127.0.0.1 port in front of proxy replicas, run as a child
/// process in the foreground with its configuration, pid and logs in a temp folder; killed with its workers on dispose.
/// </summary>
public sealed class LoadBalancer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private readonly Process _process;
    private readonly TempDirectory _dir;
    private readonly StringBuilder _output;

    private LoadBalancer(LoadBalancerKind kind, Process process, TempDirectory dir, StringBuilder output, int port, string configuration)
    {
        Kind = kind;
        _process = process;
        _dir = dir;
        _output = output;
        Port = port;
        Configuration = configuration;
    }

    public LoadBalancerKind Kind { get; }

    public int Port { get; }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    /// <summary>The configuration file as written, for a failing test's message and the report.</summary>
    public string Configuration { get; }

    /// <summary>
    /// nginx's access log (request, status, the replicas tried and their statuses); HAProxy logs its requests to its
    /// standard output instead, in <see cref="Diagnostics"/>.
    /// </summary>
    public string AccessLog => ReadShared(Path.Combine(_dir.Path, "access.log"));

    /// <summary>What the process printed, and nginx's error log.</summary>
    public string Diagnostics
    {
        get
        {
            lock (_output)
            {
                return _output + ReadShared(Path.Combine(_dir.Path, "error.log"));
            }
        }
    }

    public static async Task<LoadBalancer> StartAsync(LoadBalancerKind kind, IReadOnlyList<int> replicaPorts, CancellationToken cancellationToken)
    {
        var dir = TempDirectory.Create($"goproxy-{kind.ToString().ToLowerInvariant()}-");
        var port = FreePort.Next();
        var (configuration, file, arguments) = kind switch
        {
            LoadBalancerKind.Nginx => (LoadBalancerConfig.Nginx(port, replicaPorts, dir.Path), "nginx.conf", new[] { "nginx", "-p", dir.Path, "-c", "" }),
            LoadBalancerKind.Haproxy => (LoadBalancerConfig.Haproxy(port, replicaPorts), "haproxy.cfg", new[] { "haproxy", "-db", "-f", "" }),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        var configPath = Path.Combine(dir.Path, file);
        await File.WriteAllTextAsync(configPath, configuration, cancellationToken).ConfigureAwait(false);
        arguments[^1] = configPath;

        var info = new ProcessStartInfo(arguments[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments[1..])
        {
            info.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {arguments[0]}");
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var balancer = new LoadBalancer(kind, process, dir, output, port, configuration);
        try
        {
            await balancer.WaitUntilListeningAsync(cancellationToken).ConfigureAwait(false);
            return balancer;
        }
        catch
        {
            await balancer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Until a request through the balancer reaches a replica's <c>/healthz</c>.</summary>
    private async Task WaitUntilListeningAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(BaseUrl, "/healthz"), cancellationToken).ConfigureAwait(false);
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

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{Kind} did not come up on port {Port}: {Diagnostics}\n{Configuration}");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // The whole tree: nginx's workers would otherwise outlive a SIGKILLed master and keep the port.
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        _process.Dispose();
        _dir.Dispose();
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string ReadShared(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return "";
        }
    }
}
