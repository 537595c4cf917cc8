using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyOperator.GoProxy.Configuration;

namespace ProxyOperator.GoProxy.Filters;

/// <summary>
/// The filter rules in force. From the main configuration they are fixed; from <c>filters.file</c> they are re-read
/// when the file's content changes (polled: a ConfigMap volume changes by swapping a symlink, which file watchers
/// miss), and a file that cannot be read or parsed keeps the last good rules in force (YARP's habit).
/// </summary>
public sealed partial class ModuleFilter : BackgroundService
{
    private readonly FilterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ModuleFilter> _logger;
    private volatile Snapshot _current;
    private byte[] _fileHash = [];

    public ModuleFilter(IOptions<ProxyOptions> options, TimeProvider time, ILogger<ModuleFilter> logger)
    {
        _options = options.Value.Filters;
        _time = time;
        _logger = logger;
        if (_options.File is { Length: > 0 } file)
        {
            // At start-up a bad file is a configuration error, not something to run without.
            var (rules, error) = ReadFile(file, out _fileHash);
            _current = rules is null
                ? throw new ProxyConfigurationException($"filters.file: {error}")
                : new Snapshot(rules, file, _time.GetUtcNow(), null);
        }
        else
        {
            var rules = FilterSet.Parse(_options.Deny, _options.Allow, out var errors);
            _current = errors.Count == 0
                ? new Snapshot(rules, "config", _time.GetUtcNow(), null)
                : throw new ProxyConfigurationException("filters: " + string.Join("; ", errors));
        }
    }

    /// <summary>The rules now in force.</summary>
    public FilterSet Rules => _current.Rules;

    /// <summary>What /status shows: how many rules, where from, when loaded, the last reload error. Not the rules, which can name private modules.</summary>
    public FilterStatus Status
    {
        get
        {
            var snapshot = _current;
            return new FilterStatus(snapshot.Rules.Deny.Count, snapshot.Rules.Allow.Count, snapshot.Source == "config" ? "config" : "file",
                snapshot.LoadedAt, snapshot.LastError);
        }
    }

    /// <summary>Re-reads the file now if its content changed; the poller calls it, and so can tests.</summary>
    public void ReloadIfChanged()
    {
        if (_options.File is not { Length: > 0 } file)
        {
            return;
        }

        var (rules, error) = ReadFile(file, out var hash);
        var snapshot = _current;
        if (rules is null)
        {
            if (snapshot.LastError != error)
            {
                Log.ReloadFailed(_logger, file, error!);
                _current = snapshot with { LastError = error };
            }

            return;
        }

        if (hash.AsSpan().SequenceEqual(_fileHash) && snapshot.LastError is null)
        {
            return;
        }

        _fileHash = hash;
        _current = new Snapshot(rules, file, _time.GetUtcNow(), null);
        Log.Reloaded(_logger, file, rules.Deny.Count, rules.Allow.Count);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.File is not { Length: > 0 })
        {
            return;
        }

        using var timer = new PeriodicTimer(_options.ReloadInterval, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            ReloadIfChanged();
        }
    }

    /// <summary>The rules in <paramref name="file"/>, or null and a one-line reason.</summary>
    private static (FilterSet? Rules, string? Error) ReadFile(string file, out byte[] hash)
    {
        hash = [];
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot read \"{file}\": {e.Message.ReplaceLineEndings(" ")}");
        }

        hash = SHA256.HashData(bytes);
        IConfigurationRoot content;
        try
        {
            using var stream = new MemoryStream(bytes);
            content = new ConfigurationBuilder().AddYamlStream(stream).Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or YamlDotNet.Core.YamlException)
        {
            return (null, $"\"{file}\" is not valid YAML: {e.Message.ReplaceLineEndings(" ")}");
        }

        var unknown = content.GetChildren().Select(c => c.Key).Where(k => !k.Equals("deny", StringComparison.OrdinalIgnoreCase) && !k.Equals("allow", StringComparison.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
        {
            return (null, $"\"{file}\" may hold only deny and allow lists, not {string.Join(", ", unknown)}");
        }

        var rules = FilterSet.Parse(Values(content.GetSection("deny")), Values(content.GetSection("allow")), out var errors);
        return errors.Count == 0 ? (rules, null) : (null, $"\"{file}\": {string.Join("; ", errors)}");
    }

    private static IEnumerable<string?> Values(IConfigurationSection section) =>
        section.Value is { } single ? [single] : section.GetChildren().Select(c => c.Value);

    private sealed record Snapshot(FilterSet Rules, string Source, DateTimeOffset LoadedAt, string? LastError);

    private static partial class Log
    {
        [LoggerMessage(10000, LogLevel.Information, "filter rules reloaded from {File}: {Deny} deny, {Allow} allow")]
        public static partial void Reloaded(ILogger logger, string file, int deny, int allow);

        [LoggerMessage(10001, LogLevel.Warning, "filter rules not reloaded, the last good ones stay in force: {Reason} ({File})")]
        public static partial void ReloadFailed(ILogger logger, string file, string reason);
    }
}

/// <summary>The <c>filters</c> section of /status.</summary>
public sealed record FilterStatus(int DenyRules, int AllowRules, string Source, DateTimeOffset LoadedAt, string? LastError);
