using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ProxyOperator.Testing;
using StackExchange.Redis;

namespace ProxyOperator.GoProxy.Tests.Locks;

/// <summary>
/// A real <c>redis-server</c> on a free 127.0.0.1 port, nothing persisted, in a temp folder; killed on dispose.
/// A missing binary fails the test with the install hint: the lock is proved against Redis itself, not a stand-in.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly TempDirectory _dir;
    private Process? _process;

    private RedisServer(TempDirectory dir, int port, string? password)
    {
        _dir = dir;
        Port = port;
        Password = password;
    }

    public int Port { get; }

    public string? Password { get; }

    public string Address => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync(string? password = null)
    {
        var server = new RedisServer(TempDirectory.Create("goproxy-redis-"), FreePort(), password);
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>A plain client, for a test to play a replica that holds a lock or to look at keys.</summary>
    public Task<ConnectionMultiplexer> ConnectAsync() =>
        ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { Address }, Password = Password, AbortOnConnectFail = true });

    /// <summary>Kills the server at once, as a crash would; later connections are refused.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        _dir.Dispose();
    }

    /// <summary>A port free now; a port taken between this and the server's bind fails the start, visibly.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task StartProcessAsync()
    {
        var binary = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server", "/usr/sbin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "redis-server is not installed; the fetch-lock tests run a real Redis. Install it: apt-get install -y redis-server (make test's deps installs it)");
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _dir.Path,
        };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--save", "", "--appendonly", "no", "--dir", _dir.Path, "--daemonize", "no", "--logfile", "" })
        {
            info.ArgumentList.Add(argument);
        }

        if (Password is not null)
        {
            info.ArgumentList.Add("--requirepass");
            info.ArgumentList.Add(Password);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start redis-server");
        var output = new System.Text.StringBuilder();
        _process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (_process.HasExited)
            {
                break;
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(20);
            }
        }

        await KillAsync();
        lock (output)
        {
            throw new InvalidOperationException($"redis-server did not start on {Address}: {output}");
        }
    }
}

/// <summary>One Redis per test class; tests keep apart by key prefix.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
