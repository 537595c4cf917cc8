using System.Text.Json.Serialization;
using k8s.Models;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("The PersistentVolumeClaim for disk storage.")]
public sealed class DiskStorageSpec
{
    [JsonPropertyName("size")]
    [Doc("The requested volume size.")]
    [Default(GoModuleProxyDefaults.DiskSize)]
    public ResourceQuantity? Size { get; set; }

    [JsonPropertyName("storageClassName")]
    [Doc("The StorageClass; the cluster's default when unset.")]
    public string? StorageClassName { get; set; }

    [JsonPropertyName("accessMode")]
    [Doc("ReadWriteOnce gives each replica its own volume (a StatefulSet); ReadWriteMany shares one (a Deployment).")]
    [Default(nameof(VolumeAccessMode.ReadWriteOnce))]
    public VolumeAccessMode? AccessMode { get; set; }
}
