using System.Text.Json.Nodes;

namespace ProxyOperator.KubeSandbox.Resources;

/// <summary>Reads and writes simple dotted paths such as <c>.spec.replicas</c>, the form scale subresource paths take.</summary>
internal static class FieldPath
{
    public static JsonNode? Get(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var segment in Segments(path))
        {
            node = node is JsonObject o ? o[segment] : null;
        }

        return node;
    }

    public static void Set(JsonObject obj, string path, JsonNode? value)
    {
        var segments = Segments(path);
        var current = obj;
        foreach (var segment in segments[..^1])
        {
            if (current[segment] is not JsonObject next)
            {
                next = new JsonObject();
                current[segment] = next;
            }

            current = next;
        }

        current[segments[^1]] = value;
    }

    private static string[] Segments(string path) => path.TrimStart('.').Split('.');
}
