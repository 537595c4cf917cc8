using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

// The proxy refuses lifetimes beyond a day at start-up: a spec asking for more would crash-loop every pod.
[CelRule("!has(self.listTTL) || duration(self.listTTL) <= duration('24h')", SpecMessages.ListTtlTooLong, FieldPath = ".listTTL")]
[CelRule("!has(self.notFoundTTL) || duration(self.notFoundTTL) <= duration('24h')", SpecMessages.NotFoundTtlTooLong, FieldPath = ".notFoundTTL")]
[Doc("Cache lifetimes. .info, .mod and .zip never change once stored; only lists and not-found answers expire.")]
public sealed class CacheSpec
{
    [JsonPropertyName("listTTL")]
    [Doc("How long a version list or @latest answer is served before asking the upstream again.")]
    [Default(GoModuleProxyDefaults.ListTtl)]
    [Pattern(Patterns.Duration)]
    public string? ListTtl { get; set; }

    [JsonPropertyName("notFoundTTL")]
    [Doc("How long a not-found answer is remembered.")]
    [Default(GoModuleProxyDefaults.NotFoundTtl)]
    [Pattern(Patterns.Duration)]
    public string? NotFoundTtl { get; set; }

    [JsonPropertyName("staleIfError")]
    [Doc("Serve an expired list when the upstream fails.")]
    [Default(true)]
    public bool? StaleIfError { get; set; }
}
