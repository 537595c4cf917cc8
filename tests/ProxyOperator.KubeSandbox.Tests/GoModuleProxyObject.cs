using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace ProxyOperator.KubeSandbox.Tests;

/// <summary>A custom resource for GenericClient with spec and status kept as raw JSON, so tests see exactly what the server stored.</summary>
internal sealed class GoModuleProxyObject : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = CustomResourceTests.Group + "/v1alpha1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "GoModuleProxy";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public JsonObject? Spec { get; set; }

    [JsonPropertyName("status")]
    public JsonObject? Status { get; set; }
}
