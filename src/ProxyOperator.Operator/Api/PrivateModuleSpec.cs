using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("Modules fetched directly from their version control system and never asked of an upstream (like GOPRIVATE).")]
public sealed class PrivateModuleSpec
{
    [JsonPropertyName("pattern")]
    [Doc("A module path glob as in GOPRIVATE, for example git.corp.example/*.")]
    [MinLength(1)]
    public required string Pattern { get; set; }

    [JsonPropertyName("credentialsSecret")]
    [Doc("A Secret in the same namespace with the VCS credentials, mounted as files.")]
    [Pattern(Patterns.ObjectName)]
    public string? CredentialsSecret { get; set; }

    [JsonPropertyName("skipSumDB")]
    [Doc("Do not verify these modules against the checksum database (like GONOSUMDB); false when unset.")]
    public bool? SkipSumDb { get; set; }
}
