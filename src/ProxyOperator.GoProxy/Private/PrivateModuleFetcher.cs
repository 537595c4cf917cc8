using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyOperator.GoProxy.Configuration;
using ProxyOperator.GoProxy.Upstream;
using ProxyOperator.Modules;

namespace ProxyOperator.GoProxy.Private;

/// <summary>
/// Fetches private modules from their VCS with the real go command (GOPROXY=direct), as Athens does, so that the zip
/// and its h1: hash are exactly what a developer's go command computes. Answers take the shape of an upstream's
/// (an HTTP response handed to the same consumer), so what the go command produced passes the same checks and goes
/// through the same store writes as anything from an upstream proxy.
/// </summary>
public sealed partial class PrivateModuleFetcher : IDisposable
{
    private readonly PrivateModuleOptions _options;
    private readonly string _goPrivate;
    private readonly string _work;
    private readonly SemaphoreSlim _slots;
    private readonly ILogger<PrivateModuleFetcher> _logger;

    public PrivateModuleFetcher(IOptions<ProxyOptions> options, ILogger<PrivateModuleFetcher> logger)
    {
        var proxy = options.Value;
        _options = proxy.PrivateModules;
        _logger = logger;
        _slots = new SemaphoreSlim(_options.MaxConcurrentCommands);
        foreach (var module in _options.Modules)
        {
            if (module.Pattern.Trim().Length == 0 || module.Pattern.Contains(',', StringComparison.Ordinal) ||
                ModulePatterns.CheckGlob(module.Pattern.Trim().TrimEnd('/')) is not null)
            {
                throw new ProxyConfigurationException($"privateModules: \"{module.Pattern}\" is not one GOPRIVATE glob such as git.corp.example/*");
            }
        }

        _goPrivate = _options.GoPrivate;
        _work = Path.GetFullPath(_options.WorkDir ?? Path.Combine(proxy.StorageDir, "..", "vcs"));
        if (_goPrivate.Length > 0)
        {
            Directory.CreateDirectory(Path.Combine(_work, "run"));
            Directory.CreateDirectory(Path.Combine(_work, "markers"));
            VcsCredentials.WriteHome(Path.Combine(_work, "home"), _options);
        }
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>True when <paramref name="module"/> is private: it must never be asked of an upstream proxy.</summary>
    public bool Handles(ModulePath module) => _goPrivate.Length > 0 && ModulePatterns.MatchPrefixPatterns(_goPrivate, module.Value);

    /// <summary>
    /// Fetches <paramref name="kind"/> (<c>info</c>, <c>mod</c>, <c>zip</c>, <c>list</c> or <c>latest</c>) of
    /// <paramref name="module"/> at <paramref name="version"/> (a canonical version or a query such as a branch) and
    /// hands it to <paramref name="consume"/> as an upstream's 200 answer.
    /// </summary>
    public async Task<UpstreamResult<T>> FetchAsync<T>(
        ModulePath module,
        string? version,
        string kind,
        Func<HttpResponseMessage, CancellationToken, Task<T>> consume,
        CancellationToken cancellationToken)
    {
        var target = $"{module.Value}@{version ?? "latest"}";
        GoRun run;
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            run = kind == "list"
                ? await RunGoAsync(["list", "-m", "-json", "-versions", module.Value], cancellationToken).ConfigureAwait(false)
                : await RunGoAsync(["mod", "download", "-json", target], cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }

        if (run.Failure is { } failure)
        {
            Log.GoFailed(_logger, target, failure.Message);
            return new UpstreamResult<T>(failure.NotFound ? UpstreamStatus.NotFound : UpstreamStatus.Failed, default, failure.Message, failure.TimedOut, failure.StatusCode);
        }

        using var document = JsonDocument.Parse(run.Output);
        var root = document.RootElement;
        HttpContent content;
        if (kind == "list")
        {
            var versions = root.TryGetProperty("Versions", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(v => v.GetString()).OfType<string>() : [];
            content = new ByteArrayContent(Encoding.UTF8.GetBytes(string.Concat(versions.Select(v => v + "\n"))));
        }
        else
        {
            var property = kind switch { "mod" => "GoMod", "zip" => "Zip", _ => "Info" };
            if (!root.TryGetProperty(property, out var file) || file.GetString() is not { Length: > 0 } path)
            {
                return UpstreamResult.Failed<T>($"{target}: go mod download reported no {property} file", timedOut: false);
            }

            // The go command's own download cache holds the three files as it would serve them as a proxy.
            content = new StreamContent(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 << 10, useAsync: true));
            content.Headers.ContentLength = new FileInfo(path).Length;
        }

        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        try
        {
            return UpstreamResult.Found(await consume(response, cancellationToken).ConfigureAwait(false));
        }
        catch (InvalidUpstreamContentException e)
        {
            return UpstreamResult.Failed<T>($"{target} from its VCS: {e.Message}", timedOut: false);
        }
    }

    private async Task<GoRun> RunGoAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var marker = Path.Combine(_work, "markers", Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(_options.GoBinary)
        {
            WorkingDirectory = Path.Combine(_work, "run"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Only what the go command needs: the proxy's own variables (PROXYOP_*, cloud credentials) stay out of git.
        var path = Environment.GetEnvironmentVariable("PATH");
        start.Environment.Clear();
        var environment = start.Environment;
        environment["PATH"] = path;
        environment["HOME"] = Path.Combine(_work, "home");
        environment["GOPATH"] = Path.Combine(_work, "gopath");
        environment["GOMODCACHE"] = Path.Combine(_work, "modcache");
        environment["GOCACHE"] = Path.Combine(_work, "gocache");
        environment["GOPROXY"] = "direct";
        environment["GOPRIVATE"] = _goPrivate;
        environment["GONOSUMDB"] = _goPrivate;
        environment["GONOPROXY"] = _goPrivate;
        environment["GOFLAGS"] = "-mod=mod";
        environment["GO111MODULE"] = "on";
        environment["GOENV"] = "off";
        environment["GOTOOLCHAIN"] = "local";
        environment["GOTELEMETRY"] = "off";
        environment["GIT_TERMINAL_PROMPT"] = "0";
        environment["GIT_CONFIG_NOSYSTEM"] = "1";
        environment["GCM_INTERACTIVE"] = "never";
        environment[VcsCredentials.MarkerVariable] = marker;

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.CommandTimeout);
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new GoRun("", new GoFailure($"the go command \"{_options.GoBinary}\" cannot be started: {e.Message}", false, false, 502));
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            var output = await stdout.ConfigureAwait(false);
            var errors = await stderr.ConfigureAwait(false);
            var credentialTrouble = File.Exists(marker) ? await File.ReadAllTextAsync(marker, CancellationToken.None).ConfigureAwait(false) : "";
            return process.ExitCode == 0 ? new GoRun(output, null) : new GoRun(output, Classify(arguments[^1], output, errors, credentialTrouble));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            return new GoRun("", new GoFailure($"{arguments[^1]}: the go command did not finish within {_options.CommandTimeout.TotalSeconds:0}s", false, true, 504));
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        finally
        {
            File.Delete(marker);
        }
    }

    /// <summary>
    /// Turns a failed go run into a status: credentials git rejected (or needed and did not have) are a 403 that is
    /// never remembered, since fixing the Secret must take effect at once; a missing module or version is a 404
    /// (remembered for the short not-found TTL); anything else, a VCS that cannot be reached, is a 502.
    /// </summary>
    internal static GoFailure Classify(string target, string output, string errors, string credentialTrouble)
    {
        var message = ErrorText(output, errors);
        if (credentialTrouble.Contains("rejected", StringComparison.Ordinal))
        {
            return new GoFailure($"{target}: the VCS rejected this proxy's credentials for it (check the Secret mounted for its private pattern)", false, false, 403);
        }

        if (credentialTrouble.Contains("missing", StringComparison.Ordinal) ||
            message.Contains("terminal prompts disabled", StringComparison.Ordinal) ||
            message.Contains("could not read Username", StringComparison.Ordinal) ||
            message.Contains("Permission denied (publickey", StringComparison.Ordinal))
        {
            return new GoFailure($"{target}: the VCS asked for credentials this proxy does not have (set credentials for its private pattern)", false, false, 403);
        }

        var oneLine = string.Join(" ", message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (oneLine.Length > 400)
        {
            oneLine = oneLine[..400] + "...";
        }

        string[] notFound = ["unknown revision", "no matching versions", "invalid version", "not found", "does not exist", "does not appear to be a git repository", "malformed module path", "disallowed version string"];
        return notFound.Any(n => message.Contains(n, StringComparison.OrdinalIgnoreCase))
            ? new GoFailure(oneLine, true, false, 404)
            : new GoFailure(oneLine, false, false, 502);
    }

    private static string ErrorText(string output, string errors)
    {
        if (output.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(output);
                if (document.RootElement.TryGetProperty("Error", out var error) && error.GetString() is { Length: > 0 } text)
                {
                    return text;
                }
            }
            catch (JsonException)
            {
                // Not the JSON of a download: the stderr says what went wrong.
            }
        }

        return errors.Length > 0 ? errors.Trim() : "the go command failed without a message";
    }

    internal sealed record GoFailure(string Message, bool NotFound, bool TimedOut, int StatusCode);

    private sealed record GoRun(string Output, GoFailure? Failure);

    private static partial class Log
    {
        [LoggerMessage(10100, LogLevel.Warning, "private module fetch of {Target} failed: {Reason}")]
        public static partial void GoFailed(ILogger logger, string target, string reason);
    }
}
