using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("An S3-compatible bucket for storage.")]
public sealed class S3StorageSpec
{
    [JsonPropertyName("bucket")]
    [MinLength(1)]
    public required string Bucket { get; set; }

    [JsonPropertyName("prefix")]
    [Doc("A key prefix, so one bucket can hold several proxies.")]
    public string? Prefix { get; set; }

    [JsonPropertyName("endpoint")]
    [Doc("The service endpoint; AWS's for the region when unset.")]
    [Pattern(Patterns.HttpUrl)]
    public string? Endpoint { get; set; }

    [JsonPropertyName("region")]
    public string? Region { get; set; }

    [JsonPropertyName("forcePathStyle")]
    [Doc("Address the bucket in the path rather than the host name, as MinIO and most other S3 servers need.")]
    public bool? ForcePathStyle { get; set; }

    [JsonPropertyName("credentialsSecret")]
    [Doc("A Secret in the same namespace with the access key, mounted as files; the pod's own identity when unset.")]
    [Pattern(Patterns.ObjectName)]
    public string? CredentialsSecret { get; set; }
}
