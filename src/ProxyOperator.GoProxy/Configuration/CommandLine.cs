namespace ProxyOperator.GoProxy.Configuration;

/// <summary>
/// The proxy's flags. Parsed here rather than by the configuration provider alone so that an unknown or
/// incomplete flag is an error with one clear message instead of a silently ignored key.
/// </summary>
public sealed class CommandLine
{
    private static readonly Dictionary<string, string> ValueFlags = new(StringComparer.Ordinal)
    {
        ["--listen"] = nameof(ProxyOptions.Listen),
        ["--storage-dir"] = nameof(ProxyOptions.StorageDir),
        ["--upstream"] = nameof(ProxyOptions.Upstream),
        ["--log-format"] = nameof(ProxyOptions.LogFormat),
    };

    private static readonly Dictionary<string, string> BooleanFlags = new(StringComparer.Ordinal)
    {
        ["--offline"] = nameof(ProxyOptions.Offline),
    };

    public const string Usage = """
        usage: goproxy [--config FILE] [--listen HOST:PORT] [--storage-dir DIR] [--upstream LIST] [--offline] [--log-format text|json]

          --config FILE        YAML file with any option (see README); flags and PROXYOP_* variables override it
          --listen HOST:PORT   address to serve on (default 0.0.0.0:3000)
          --storage-dir DIR    disk store root (default ./data)
          --upstream LIST      upstream proxies in GOPROXY syntax: https://a,https://b|https://c
          --offline            serve only what is stored
          --log-format FORMAT  text (default) or json
        """;

    private CommandLine(string? configFile, IReadOnlyDictionary<string, string?> values, bool help)
    {
        ConfigFile = configFile;
        Values = values;
        Help = help;
    }

    public string? ConfigFile { get; }

    /// <summary>Configuration keys and values the flags set.</summary>
    public IReadOnlyDictionary<string, string?> Values { get; }

    public bool Help { get; }

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        string? configFile = null;
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var help = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var flag = equals > 0 ? arg[..equals] : arg;
            var inline = equals > 0 ? arg[(equals + 1)..] : null;
            if (flag is "-h" or "--help")
            {
                help = true;
            }
            else if (BooleanFlags.TryGetValue(flag, out var booleanKey))
            {
                if (inline is not null && !bool.TryParse(inline, out _))
                {
                    throw new ProxyConfigurationException($"{flag} takes true or false, not \"{inline}\"");
                }

                values[booleanKey] = inline ?? "true";
            }
            else if (flag == "--config" || ValueFlags.ContainsKey(flag))
            {
                var value = inline ?? (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null)
                    ?? throw new ProxyConfigurationException($"{flag} needs a value");
                if (flag == "--config")
                {
                    configFile = value;
                }
                else
                {
                    values[ValueFlags[flag]] = value;
                }
            }
            else
            {
                throw new ProxyConfigurationException($"unknown argument \"{arg}\" (see --help)");
            }
        }

        return new CommandLine(configFile, values, help);
    }
}

/// <summary>A configuration the proxy cannot start with; its message is the one line the user sees.</summary>
public sealed class ProxyConfigurationException(string message) : Exception(message);
