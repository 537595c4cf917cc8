using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("An upstream module proxy, one entry of the GOPROXY chain.")]
public sealed class UpstreamSpec
{
    [JsonPropertyName("url")]
    [Doc("The upstream's base URL.")]
    [Pattern(Patterns.HttpUrl)]
    public required string Url { get; set; }

    // No default here: defaults inside list items make Argo CD report OutOfSync forever (DESIGN §3).
    [JsonPropertyName("fallBack")]
    [Doc("When to try the next upstream; OnNotFound when unset.")]
    public FallBack? FallBack { get; set; }
}
