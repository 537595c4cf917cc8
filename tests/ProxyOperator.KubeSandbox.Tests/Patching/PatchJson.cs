using System.Text.Json.Nodes;

namespace ProxyOperator.KubeSandbox.Patching;

/// <summary>Helpers for writing JSON test vectors compactly.</summary>
internal static class PatchJson
{
    /// <summary>Parses JSON written with single quotes (test vectors read better without escaped double quotes).</summary>
    public static JsonNode? Parse(string text) => JsonNode.Parse(text.Replace('\'', '"'));

    public static JsonObject Object(string text) => (JsonObject)Parse(text)!;

    public static JsonArray Array(string text) => (JsonArray)Parse(text)!;

    /// <summary>Asserts structural equality (member order ignored, array order significant) with a readable failure.</summary>
    public static void Equal(string expected, JsonNode? actual)
    {
        var want = Parse(expected);
        if (!JsonNode.DeepEquals(want, actual))
        {
            Assert.Fail($"expected {want?.ToJsonString() ?? "null"}\n  actual {actual?.ToJsonString() ?? "null"}");
        }
    }
}
