using System.Globalization;
using System.Text.RegularExpressions;
using ProxyOperator.Operator.Builders;
using ProxyOperator.Operator.Tests.Manifests;
using Microsoft.Extensions.DependencyInjection;
using YamlDotNet.RepresentationModel;

namespace ProxyOperator.Operator.Tests.Builders;

/// <summary>
/// The proxy binds its file strictly: an unknown key or a value of the wrong form stops it at start-up. This test
/// project cannot reference the proxy, so it reads the option properties from ProxyOptions.cs itself and checks the
/// YAML (parsed by YamlDotNet, the parser under the proxy's YAML provider) against them.
/// </summary>
public sealed partial class ProxyConfigCompatibilityTests
{
    // Every options class: ProxyOptions.cs holds the root, its sections have files of their own.
    private static readonly string OptionsSource = string.Concat(Directory.GetFiles(
        Path.Combine(RepositoryRoot.Path, "src", "ProxyOperator.GoProxy", "Configuration"), "*.cs").Order(StringComparer.Ordinal).Select(File.ReadAllText));

    [Fact]
    public void Every_key_the_operator_writes_is_a_proxy_option_of_the_right_type()
    {
        var options = OptionTypes(OptionsSource);
        var enums = EnumPattern().Matches(OptionsSource).ToDictionary(m => m.Groups["name"].Value, m => MemberPattern().Matches(m.Groups["body"].Value).Select(v => v.Groups["member"].Value).ToList(), StringComparer.Ordinal);
        var keys = new[] { Proxies.Full(), Proxies.S3(), Proxies.Exposed(), Proxies.Everything() }
            .SelectMany(spec => Flatten(ParseYaml(ProxyConfig.Build(spec, "team/goproxy").Yaml)))
            .ToList();

        Assert.NotEmpty(keys);
        foreach (var (key, value) in keys)
        {
            Assert.True(options.TryGetValue(key, out var type), $"\"{key}\" is not a ProxyOptions property; the proxy would refuse the file");
            type = type.TrimEnd('?');
            if (enums.TryGetValue(type, out var members))
            {
                // The binder matches enum names without regard to case.
                Assert.Contains(members, member => string.Equals(member, value, StringComparison.OrdinalIgnoreCase));
                continue;
            }

            switch (type)
            {
                case "TimeSpan":
                    Assert.True(TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out _), $"{key}: \"{value}\" is not a TimeSpan");
                    break;
                case "bool":
                    Assert.True(bool.TryParse(value, out _), $"{key}: \"{value}\" is not a bool");
                    break;
                case "int":
                    Assert.True(int.TryParse(value, CultureInfo.InvariantCulture, out _), $"{key}: \"{value}\" is not an int");
                    break;
                default:
                    Assert.Equal("string", type);
                    break;
            }
        }
    }

    [Fact]
    public void The_keys_are_those_of_the_options_the_proxy_supports_today()
    {
        var keys = Flatten(ParseYaml(ProxyConfig.Build(Proxies.Everything(), "team/goproxy").Yaml)).Select(pair => pair.Key);

        Assert.Equal(
        [
            "admin:tokenFile", "auth:type", "auth:usersFile", "cache:listTtl", "cache:notFoundTtl", "cache:staleIfError", "listen", "lock:redis:address",
            "lock:redis:keyPrefix", "lock:redis:passwordFile", "lock:type", "logFormat", "offline", "storage:maxSize", "storage:s3:accessKeyIdFile",
            "storage:s3:bucket", "storage:s3:endpoint", "storage:s3:forcePathStyle", "storage:s3:prefix", "storage:s3:region",
            "storage:s3:secretAccessKeyFile", "storage:type", "storageDir", "sumdb:name", "sumdb:proxy", "sumdb:url", "sumdb:verify", "upstream",
        ], keys.Order(StringComparer.Ordinal));
    }

    private static YamlMappingNode ParseYaml(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    /// <summary>Configuration keys as Microsoft.Extensions.Configuration sees them: sections joined by ':'.</summary>
    private static List<KeyValuePair<string, string>> Flatten(YamlMappingNode node, string prefix = "")
    {
        var keys = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in node.Children)
        {
            var key = prefix + ((YamlScalarNode)name).Value;
            if (value is YamlMappingNode section)
            {
                keys.AddRange(Flatten(section, key + ":"));
            }
            else if (value is YamlSequenceNode)
            {
                // Lists (filters, private modules): their items are checked by loading the file with the proxy's own
                // code (ProxyConfigLoadTests), not by this reading of the option classes' source.
                continue;
            }
            else
            {
                keys.Add(new(key, ((YamlScalarNode)value).Value ?? ""));
            }
        }

        return keys;
    }

    /// <summary>The configuration key (camelCase, sections joined by ':') and C# type of every settable option.</summary>
    private static Dictionary<string, string> OptionTypes(string source)
    {
        var classes = ClassPattern().Matches(source).ToDictionary(match => match.Groups["name"].Value, match => match.Groups["body"].Value, StringComparer.Ordinal);
        Assert.Contains("ProxyOptions", classes.Keys);
        var keys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        void Walk(string className, string prefix)
        {
            foreach (Match property in PropertyPattern().Matches(classes[className]))
            {
                var (type, name) = (property.Groups["type"].Value, property.Groups["name"].Value);
                var key = prefix + char.ToLowerInvariant(name[0]) + name[1..];
                if (classes.ContainsKey(type.TrimEnd('?')))
                {
                    Walk(type.TrimEnd('?'), key + ":");
                }
                else
                {
                    keys[key] = type;
                }
            }
        }

        Walk("ProxyOptions", "");
        return keys;
    }

    [GeneratedRegex(@"public sealed class (?<name>\w+)\s*\{(?<body>.*?)\n\}", RegexOptions.Singleline)]
    private static partial Regex ClassPattern();

    [GeneratedRegex(@"public (?<type>\w+\??) (?<name>\w+) \{ get; set; \}")]
    private static partial Regex PropertyPattern();

    [GeneratedRegex(@"public enum (?<name>\w+)\s*\{(?<body>.*?)\n\}", RegexOptions.Singleline)]
    private static partial Regex EnumPattern();

    [GeneratedRegex(@"^\s*(?<member>[A-Z]\w*),?\s*$", RegexOptions.Multiline)]
    private static partial Regex MemberPattern();
}

/// <summary>The operator's file read by the real proxy's own configuration loading and validation.</summary>
public sealed class ProxyConfigLoadTests
{
    [Fact]
    public async Task The_proxy_starts_from_the_file_the_operator_writes_with_every_option_it_knows()
    {
        using var dir = ProxyOperator.Testing.TempDirectory.Create("proxy-config-");
        // The files the pod would have mounted from the Secrets, and a store and port this machine has.
        var secrets = Path.Combine(dir.Path, "secrets");
        foreach (var file in new[]
        {
            SecretMounts.S3AccessKeyIdFile, SecretMounts.S3SecretAccessKeyFile, SecretMounts.RedisPasswordFile, SecretMounts.AdminTokenFile,
            SecretMounts.AuthUsersFile, SecretMounts.VcsCredentialsDirectory("corp-git") + "/token",
        })
        {
            var local = Path.Combine(secrets, Path.GetRelativePath(SecretMounts.Directory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(local)!);
            await File.WriteAllTextAsync(local, "user:value\n");
        }

        var yaml = ProxyConfig.Build(Proxies.Everything(), "team/goproxy").Yaml
            .Replace(SecretMounts.Directory, secrets, StringComparison.Ordinal)
            .Replace(ProxyContainer.StoreDirectory, Path.Combine(dir.Path, "store"), StringComparison.Ordinal)
            .Replace($"0.0.0.0:{ProxyContainer.Port}", "127.0.0.1:0", StringComparison.Ordinal);
        var path = Path.Combine(dir.Path, ProxyConfig.FileName);
        await File.WriteAllTextAsync(path, yaml);

        await using var app = ProxyOperator.GoProxy.ProxyApplication.Build(["--config", path]);

        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ProxyOperator.GoProxy.Configuration.ProxyOptions>>().Value;
        Assert.Equal(ProxyOperator.GoProxy.Configuration.StorageType.S3, options.Storage.Type);
        Assert.Equal("modules", options.Storage.S3.Bucket);
        Assert.Equal("40Gi", options.Storage.MaxSize);
        Assert.Equal(ProxyOperator.GoProxy.Configuration.LockType.Redis, options.Lock.Type);
        Assert.Equal("goproxy:team/goproxy:", options.Lock.Redis.KeyPrefix);
        Assert.Equal(Path.Combine(secrets, "admin", "token"), options.Admin.TokenFile);
        Assert.Equal(ProxyOperator.GoProxy.Configuration.AuthType.Basic, options.Auth.Type);
        Assert.Equal("git.corp.example/*", options.PrivateModules.Modules.Single().Pattern);
        Assert.Equal(["github.com/evil/*", "example.com/lib@<v1.2.3"], options.Filters.Deny);
        Assert.True(options.SumDb.Verify);
    }
}
