using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("The proxy's cache maintenance API (GET /_admin/modules, DELETE /_admin/modules/MODULE[/@v/VERSION]); off when unset.")]
public sealed class AdminSpec
{
    [JsonPropertyName("tokenSecret")]
    [Doc("A Secret in the same namespace whose key \"token\" is the bearer token the admin API demands, mounted as a file.")]
    [Pattern(Patterns.ObjectName)]
    public string? TokenSecret { get; set; }
}
