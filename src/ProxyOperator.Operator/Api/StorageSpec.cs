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

    [JsonPropertyName("lock")]
    [Doc("How replicas sharing the store coordinate fetches; None when unset.")]
    public LockSpec? Lock { get; set; }

    [JsonPropertyName("retainPolicy")]
    [Doc("For type Disk: whether the cache volumes are deleted with the resource. A StatefulSet's per-replica claims " +
         "outlive it in Kubernetes 1.20 to 1.26, so the operator deletes them itself, through a finalizer. An S3 bucket is never emptied.")]
    [Default(nameof(Api.RetainPolicy.Delete))]
    public RetainPolicy? RetainPolicy { get; set; }
}
