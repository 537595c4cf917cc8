using System.Text.Json.Serialization;
using k8s.Models;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Api;

[Doc("The proxy's container image. Unset fields take the proxy image of the operator's own version.")]
public sealed class ImageSpec
{
    [JsonPropertyName("repository")]
    [Doc("The image repository, for example registry.example/goproxy.")]
    [MinLength(1)]
    public string? Repository { get; set; }

    [JsonPropertyName("tag")]
    [Doc("The image tag.")]
    [MinLength(1)]
    public string? Tag { get; set; }

    [JsonPropertyName("pullPolicy")]
    public PullPolicy? PullPolicy { get; set; }

    [JsonPropertyName("pullSecrets")]
    [Doc("Secrets for pulling the image from a private registry.")]
    public IList<V1LocalObjectReference>? PullSecrets { get; set; }
}
