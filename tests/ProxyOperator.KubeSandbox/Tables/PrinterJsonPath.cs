using System.Globalization;
using System.Text.Json.Nodes;

namespace ProxyOperator.KubeSandbox.Tables;

/// <summary>
/// The subset of kubectl JSONPath that printer columns use (https://kubernetes.io/docs/reference/kubectl/jsonpath/):
/// field steps (<c>.status.replicas</c>), indices (<c>[0]</c>), wildcards (<c>[*]</c>) and equality filters
/// (<c>[?(@.type=="Ready")]</c>). Returns every match.
/// </summary>
internal static class PrinterJsonPath
{
    public static IReadOnlyList<JsonNode?> Evaluate(JsonNode? root, string path)
    {
        var current = new List<JsonNode?> { root };
        var text = path.Trim().TrimStart('{').TrimEnd('}').Trim();
        var i = 0;
        while (i < text.Length && current.Count > 0)
        {
            if (text[i] == '.')
            {
                var end = i + 1;
                while (end < text.Length && text[end] != '.' && text[end] != '[')
                {
                    end++;
                }

                var field = text[(i + 1)..end];
                current = current.Select(n => n is JsonObject o ? o[field] : null).Where(n => n is not null).ToList();
                i = end;
            }
            else if (text[i] == '[')
            {
                var end = text.IndexOf(']', i);
                if (end < 0)
                {
                    return [];
                }

                // A filter's quoted value may itself hold ']': find the one closing ")]".
                if (text[i + 1] == '?')
                {
                    end = text.IndexOf(")]", i, StringComparison.Ordinal) + 1;
                }

                current = Step(current, text[(i + 1)..end]);
                i = end + 1;
            }
            else
            {
                return [];
            }
        }

        return current;
    }

    private static List<JsonNode?> Step(List<JsonNode?> nodes, string selector)
    {
        var arrays = nodes.OfType<JsonArray>().ToList();
        if (selector == "*")
        {
            return arrays.SelectMany(a => a).ToList();
        }

        if (int.TryParse(selector, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
        {
            return arrays.Select(a => index < 0 ? (a.Count + index >= 0 ? a[a.Count + index] : null) : (index < a.Count ? a[index] : null))
                .Where(n => n is not null).ToList();
        }

        if (selector.StartsWith("?(@.", StringComparison.Ordinal) && selector.EndsWith(')'))
        {
            var condition = selector[4..^1];
            var negated = condition.Contains("!=", StringComparison.Ordinal);
            var parts = condition.Split(negated ? "!=" : "==", 2);
            if (parts.Length != 2)
            {
                return [];
            }

            var field = parts[0].Trim();
            var expected = parts[1].Trim().Trim('"', '\'');
            return arrays.SelectMany(a => a)
                .Where(n => n is JsonObject o && (Render(First(Evaluate(o, "." + field))) == expected) != negated)
                .ToList();
        }

        return [];
    }

    public static JsonNode? First(IReadOnlyList<JsonNode?> nodes) => nodes.Count > 0 ? nodes[0] : null;

    public static string Render(JsonNode? node) => node switch
    {
        null => string.Empty,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => node.ToJsonString(),
    };
}
