using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("The access mode of the cache volume.")]
[JsonConverter(typeof(JsonStringEnumConverter<VolumeAccessMode>))]
public enum VolumeAccessMode
{
    ReadWriteOnce,

    ReadWriteMany,
}
