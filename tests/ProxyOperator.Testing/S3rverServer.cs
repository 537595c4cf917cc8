using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ProxyOperator.Testing;

/// <summary>
/// A real S3-protocol server (the npm package s3rver, installed by <c>tests/tools/s3rver.sh</c>) on a free
/// 127.0.0.1 port, over a temp folder, with one bucket. Missing s3rver is a failure, never a skip: a suite that
/// silently stops testing the S3 backend would look green.
/// </summary>
public sealed partial class S3rverServer : IAsyncDisposable
{
    public const string InstallHint = "s3rver is not installed: run `bash tests/tools/s3rver.sh` (or set S3RVER to its binary)";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly TempDirectory _data;
    private readonly StringBuilder _output;

    private S3rverServer(Process process, TempDirectory data, StringBuilder output, Uri endpoint, string bucket)
    {
        _process = process;
        _data = data;
        _output = output;
        Endpoint = endpoint;
        Bucket = bucket;
    }

    /// <summary><c>http://127.0.0.1:PORT</c>; buckets are addressed path-style.</summary>
    public Uri Endpoint { get; }

    public string Bucket { get; }

    /// <summary>s3rver accepts any credentials that are well formed.</summary>
    public static string AccessKeyId => "S3RVER";

    public static string SecretAccessKey => "S3RVER";

    /// <summary>The s3rver binary: <c>$S3RVER</c>, else <c>.tools/s3rver/node_modules/.bin/s3rver</c> in the repository.</summary>
    public static string Binary()
    {
        var configured = Environment.GetEnvironmentVariable("S3RVER");
        var binary = !string.IsNullOrEmpty(configured)
            ? configured
            : Path.Combine(RepositoryRoot(), ".tools", "s3rver", "node_modules", ".bin", "s3rver");
        return File.Exists(binary) ? binary : throw new InvalidOperationException($"{InstallHint}; looked for {binary}");
    }

    public static async Task<S3rverServer> StartAsync(string bucket = "goproxy-test", CancellationToken cancellationToken = default)
    {
        var binary = Binary();
        var data = TempDirectory.Create("s3rver-");
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Port 0 and the port read back from the "listening" line: no window in which another test takes it.
        foreach (var argument in new[] { "-d", data.Path, "-a", "127.0.0.1", "-p", "0", "--configure-bucket", bucket })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {binary}");
        var output = new StringBuilder();
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => Collect(e.Data, output, listening);
        process.ErrorDataReceived += (_, e) => Collect(e.Data, output, listening);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(StartTimeout);
            var exited = process.WaitForExitAsync(deadline.Token);
            var first = await Task.WhenAny(listening.Task, exited).ConfigureAwait(false);
            if (first != listening.Task)
            {
                throw new InvalidOperationException($"s3rver did not start within {StartTimeout.TotalSeconds:0}s: {Snapshot(output)}");
            }

            var port = await listening.Task.ConfigureAwait(false);
            return new S3rverServer(process, data, output, new Uri($"http://127.0.0.1:{port}"), bucket);
        }
        catch
        {
            Stop(process);
            process.Dispose();
            data.Dispose();
            throw;
        }
    }

    /// <summary>What s3rver printed (each request is logged), for a failing test's message.</summary>
    public string Output => Snapshot(_output);

    public async ValueTask DisposeAsync()
    {
        if (_process.HasExited)
        {
            // A server that died mid-class fails its tests with "connection refused"; this says why.
            Console.Error.WriteLine($"s3rver exited early (code {_process.ExitCode}); its last output:\n{Output}");
        }

        Stop(_process);
        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        _process.Dispose();
        _data.Dispose();
    }

    private static void Collect(string? line, StringBuilder output, TaskCompletionSource<int> listening)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            // Keeps the tail only: s3rver logs every request, and a long suite makes thousands.
            if (output.Length > 64 << 10)
            {
                output.Remove(0, output.Length - (32 << 10));
            }

            output.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            listening.TrySetResult(int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture));
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ProxyOperator.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No ProxyOperator.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"S3rver listening on [^\s]+:(\d+)")]
    private static partial Regex ListeningLine();
}
