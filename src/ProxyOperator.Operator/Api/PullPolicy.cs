using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("The image pull policy (https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy).")]
[JsonConverter(typeof(JsonStringEnumConverter<PullPolicy>))]
public enum PullPolicy
{
    Always,

    IfNotPresent,

    Never,
}
