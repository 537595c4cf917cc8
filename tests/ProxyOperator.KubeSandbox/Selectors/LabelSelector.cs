using System.Text.RegularExpressions;
using ProxyOperator.KubeSandbox.Http;

namespace ProxyOperator.KubeSandbox.Selectors;

/// <summary>
/// The <c>labelSelector</c> query syntax: <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a in (x,y)</c>, <c>a notin (x,y)</c>,
/// <c>a</c>, <c>!a</c>, joined by commas (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors).
/// As in Kubernetes, <c>!=</c> and <c>notin</c> also match objects without the label.
/// </summary>
internal sealed partial class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _requirements;

    private LabelSelector(List<Func<IReadOnlyDictionary<string, string>, bool>> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEverything => _requirements.Count == 0;

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<Func<IReadOnlyDictionary<string, string>, bool>>();
        foreach (var part in SplitTopLevel(text))
        {
            requirements.Add(ParseRequirement(part.Trim(), text));
        }

        return new LabelSelector(requirements);
    }

    /// <summary>A LabelSelector object's matchLabels and matchExpressions, rendered as the query syntax (what a Scale shows).</summary>
    public static string Render(System.Text.Json.Nodes.JsonObject? selector)
    {
        if (selector is null)
        {
            return string.Empty;
        }

        var parts = new List<string>();
        if (selector["matchLabels"] is System.Text.Json.Nodes.JsonObject labels)
        {
            parts.AddRange(labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
        }

        if (selector["matchExpressions"] is System.Text.Json.Nodes.JsonArray expressions)
        {
            foreach (var expression in expressions.OfType<System.Text.Json.Nodes.JsonObject>())
            {
                var key = (string?)expression["key"];
                var values = expression["values"] is System.Text.Json.Nodes.JsonArray v ? string.Join(",", v.Select(x => x?.ToString())) : string.Empty;
                parts.Add((string?)expression["operator"] switch
                {
                    "In" => $"{key} in ({values})",
                    "NotIn" => $"{key} notin ({values})",
                    "Exists" => key!,
                    _ => "!" + key,
                });
            }
        }

        return string.Join(",", parts);
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.TrueForAll(r => r(labels));

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseRequirement(string part, string whole)
    {
        var set = SetRequirement().Match(part);
        if (set.Success)
        {
            var key = set.Groups["key"].Value;
            var values = set.Groups["values"].Value.Split(',', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            return set.Groups["op"].Value == "in"
                ? labels => labels.TryGetValue(key, out var v) && values.Contains(v)
                : labels => !labels.TryGetValue(key, out var v) || !values.Contains(v);
        }

        var equality = EqualityRequirement().Match(part);
        if (equality.Success)
        {
            var key = equality.Groups["key"].Value;
            var value = equality.Groups["value"].Value;
            return equality.Groups["op"].Value == "!="
                ? labels => !labels.TryGetValue(key, out var v) || v != value
                : labels => labels.TryGetValue(key, out var v) && v == value;
        }

        var exists = ExistsRequirement().Match(part);
        if (exists.Success)
        {
            var key = exists.Groups["key"].Value;
            return exists.Groups["not"].Success ? labels => !labels.ContainsKey(key) : labels => labels.ContainsKey(key);
        }

        throw new ApiException(Statuses.BadRequest($"unable to parse requirement: found '{part}' in label selector \"{whole}\""));
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    [GeneratedRegex(@"^(?<key>[A-Za-z0-9_./-]+)\s+(?<op>in|notin)\s*\((?<values>[^)]*)\)$")]
    private static partial Regex SetRequirement();

    [GeneratedRegex(@"^(?<key>[A-Za-z0-9_./-]+)\s*(?<op>==|=|!=)\s*(?<value>[A-Za-z0-9_.-]*)$")]
    private static partial Regex EqualityRequirement();

    [GeneratedRegex(@"^(?<not>!)?\s*(?<key>[A-Za-z0-9_./-]+)$")]
    private static partial Regex ExistsRequirement();
}
