using System.Text.Json.Serialization;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("How clients authenticate to the proxy.")]
[JsonConverter(typeof(JsonStringEnumConverter<AuthType>))]
public enum AuthType
{
    None,

    Basic,

    Bearer,
}
