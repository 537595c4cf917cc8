using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("When the proxy moves on to the next upstream (GOPROXY list separators, https://go.dev/ref/mod#goproxy-protocol).")]
[JsonConverter(typeof(JsonStringEnumConverter<FallBack>))]
public enum FallBack
{
    [Doc("Only after a 404 or 410 from this upstream (\",\" in GOPROXY).")]
    OnNotFound,

    [Doc("After any error from this upstream (\"|\" in GOPROXY).")]
    OnAnyError,
}
