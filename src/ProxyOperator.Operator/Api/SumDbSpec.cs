using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("The checksum database (https://go.dev/ref/mod#checksum-database) that ingested modules are verified against.")]
public sealed class SumDbSpec
{
    [JsonPropertyName("name")]
    [Doc("The database name, as in GOSUMDB.")]
    [Default(GoModuleProxyDefaults.SumDbName)]
    [MinLength(1)]
    public string? Name { get; set; }

    [JsonPropertyName("key")]
    [Doc("The database's verifier key (name+hash+key, as in GOSUMDB); Go's own key for sum.golang.org when unset.")]
    public string? Key { get; set; }

    [JsonPropertyName("url")]
    [Doc("Where the database is served.")]
    [Default(GoModuleProxyDefaults.SumDbUrl)]
    [Pattern(Patterns.HttpUrl)]
    public string? Url { get; set; }

    [JsonPropertyName("proxy")]
    [Doc("Serve the database through the proxy (/sumdb/NAME/...), for clients that cannot reach it themselves.")]
    [Default(true)]
    public bool? Proxy { get; set; }

    [JsonPropertyName("verify")]
    [Doc("Refuse modules whose h1: hashes disagree with the database.")]
    [Default(true)]
    public bool? Verify { get; set; }
}
