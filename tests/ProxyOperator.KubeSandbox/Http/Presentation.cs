using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProxyOperator.KubeSandbox.Resources;

namespace ProxyOperator.KubeSandbox.Http;

/// <summary>A stored object as a client sees it: a copy, in the version it asked for, apiVersion and kind first.</summary>
internal static class Presentation
{
    /// <summary>Writes quotes and '+' as themselves, like Go's encoder, so that text such as managedFields keys reads as on a real cluster.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonObject Present(ResourceDefinition definition, string version, JsonObject obj)
    {
        var presented = new JsonObject
        {
            ["apiVersion"] = definition.ApiVersion(version),
            ["kind"] = definition.Kind,
        };
        foreach (var (key, value) in obj)
        {
            if (key is not ("apiVersion" or "kind"))
            {
                presented[key] = value?.DeepClone();
            }
        }

        return presented;
    }
}
