using System.Text.Json.Serialization;
using k8s.Models;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("Where the proxy keeps the modules it has fetched. The workload follows: Disk with ReadWriteOnce is a StatefulSet, the rest a Deployment.")]
[CelRule("!has(self.type) || self.type != 'S3' || has(self.s3)", SpecMessages.S3Required, FieldPath = ".s3", Reason = "FieldValueRequired")]
public sealed class StorageSpec
{
    [JsonPropertyName("type")]
    [Default(nameof(StorageType.Disk))]
    public StorageType? Type { get; set; }

    [JsonPropertyName("disk")]
    [Doc("The volume, for type Disk; a 10Gi ReadWriteOnce claim on the default StorageClass when unset.")]
    public DiskStorageSpec? Disk { get; set; }

    [JsonPropertyName("s3")]
    [Doc("The bucket, for type S3 (required then).")]
    public S3StorageSpec? S3 { get; set; }

    [JsonPropertyName("maxSize")]
    [Doc("Evict the least recently used modules beyond this size; no limit when unset.")]
    public ResourceQuantity? MaxSize { get; set; }
}
