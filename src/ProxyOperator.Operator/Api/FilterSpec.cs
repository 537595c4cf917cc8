using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("Which modules the proxy serves: module path globs, each optionally with a version range (example.com/m@<v1.2.0).")]
public sealed class FilterSpec
{
    [JsonPropertyName("deny")]
    [Doc("Refused, even when also allowed.")]
    public IList<string>? Deny { get; set; }

    [JsonPropertyName("allow")]
    [Doc("When set, only these are served.")]
    public IList<string>? Allow { get; set; }
}
