using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace ProxyOperator.KubeSandbox.Tests;

internal sealed class GoModuleProxyList : IKubernetesObject<V1ListMeta>, IItems<GoModuleProxyObject>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = CustomResourceTests.Group + "/v1alpha1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "GoModuleProxyList";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<GoModuleProxyObject> Items { get; set; } = [];
}
