using System.Text.Json.Nodes;
using ProxyOperator.KubeSandbox.Http;

namespace ProxyOperator.KubeSandbox.Selectors;

/// <summary>
/// The <c>fieldSelector</c> query: <c>path=value</c>, <c>path==value</c>, <c>path!=value</c>, joined by commas
/// (https://kubernetes.io/docs/concepts/overview/working-with-objects/field-selectors/). Every kind supports
/// metadata.name and metadata.namespace; other dotted paths are compared as strings, a superset of what real kinds allow.
/// </summary>
internal sealed class FieldSelector
{
    private readonly List<(string[] Path, string Value, bool Negated)> _requirements;

    private FieldSelector(List<(string[] Path, string Value, bool Negated)> requirements) => _requirements = requirements;

    public static FieldSelector Everything { get; } = new([]);

    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<(string[], string, bool)>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var negated = part.Contains("!=", StringComparison.Ordinal);
            var separator = negated ? "!=" : part.Contains("==", StringComparison.Ordinal) ? "==" : "=";
            var at = part.IndexOf(separator, StringComparison.Ordinal);
            if (at <= 0)
            {
                throw new ApiException(Statuses.BadRequest($"invalid selector: '{text}'; can't understand '{part}'"));
            }

            requirements.Add((part[..at].Trim().Split('.'), part[(at + separator.Length)..].Trim(), negated));
        }

        return new FieldSelector(requirements);
    }

    /// <summary>The single object name a selector pins, as <c>kubectl wait</c> and informers for one object use.</summary>
    public string? PinnedName => _requirements.Where(r => !r.Negated && r.Path is ["metadata", "name"]).Select(r => r.Value).FirstOrDefault();

    public bool Matches(JsonObject obj) => _requirements.TrueForAll(r => (ValueAt(obj, r.Path) == r.Value) != r.Negated);

    private static string ValueAt(JsonObject obj, string[] path)
    {
        JsonNode? node = obj;
        foreach (var segment in path)
        {
            node = node is JsonObject o ? o[segment] : null;
        }

        return node switch
        {
            null => string.Empty,
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            _ => node.ToJsonString(),
        };
    }
}
