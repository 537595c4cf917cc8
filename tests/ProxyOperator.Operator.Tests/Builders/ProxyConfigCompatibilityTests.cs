using System.Globalization;
using System.Text.RegularExpressions;
using ProxyOperator.Operator.Builders;
using ProxyOperator.Operator.Tests.Manifests;
using YamlDotNet.RepresentationModel;

namespace ProxyOperator.Operator.Tests.Builders;

/// <summary>
/// The proxy binds its file strictly: an unknown key or a value of the wrong form stops it at start-up. This test
/// project cannot reference the proxy, so it reads the option properties from ProxyOptions.cs itself and checks the
/// YAML (parsed by YamlDotNet, the parser under the proxy's YAML provider) against them.
/// </summary>
public sealed partial class ProxyConfigCompatibilityTests
{
    private static readonly string OptionsSource = File.ReadAllText(Path.Combine(
        RepositoryRoot.Path, "src", "ProxyOperator.GoProxy", "Configuration", "ProxyOptions.cs"));

    [Fact]
    public void Every_key_the_operator_writes_is_a_proxy_option_of_the_right_type()
    {
        var options = OptionTypes(OptionsSource);
        var keys = Flatten(ParseYaml(ProxyConfig.Build(Proxies.Full()).Yaml));

        Assert.NotEmpty(keys);
        foreach (var (key, value) in keys)
        {
            Assert.True(options.TryGetValue(key, out var type), $"\"{key}\" is not a ProxyOptions property; the proxy would refuse the file");
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
        var keys = Flatten(ParseYaml(ProxyConfig.Build(Proxies.Full()).Yaml)).Select(pair => pair.Key);

        Assert.Equal(["cache:listTtl", "cache:notFoundTtl", "cache:staleIfError", "listen", "logFormat", "offline", "storageDir", "upstream"], keys.Order(StringComparer.Ordinal));
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
                if (classes.ContainsKey(type))
                {
                    Walk(type, key + ":");
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

    [GeneratedRegex(@"public (?<type>\w+) (?<name>\w+) \{ get; set; \}")]
    private static partial Regex PropertyPattern();
}
