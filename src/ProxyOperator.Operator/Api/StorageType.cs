using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("Where cached modules are stored.")]
[JsonConverter(typeof(JsonStringEnumConverter<StorageType>))]
public enum StorageType
{
    [Doc("A PersistentVolumeClaim: one per replica with ReadWriteOnce (a StatefulSet), one shared with ReadWriteMany (a Deployment).")]
    Disk,

    [Doc("An S3-compatible bucket shared by all replicas.")]
    S3,

    [Doc("An emptyDir: the cache is lost when a pod goes.")]
    Ephemeral,
}
