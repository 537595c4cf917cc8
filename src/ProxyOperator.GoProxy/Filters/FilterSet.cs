namespace ProxyOperator.GoProxy.Filters;

/// <summary>
/// Deny and allow rules, immutable once parsed. Semantics (the resource's FilterSpec says the same):
/// <list type="bullet">
/// <item>a deny rule that covers the module (and version) refuses it, even when an allow rule also covers it;</item>
/// <item>when there is at least one allow rule, only what an allow rule covers is served (an allow-list);</item>
/// <item>deny rules match module paths case-insensitively, because hosts such as GitHub do, so
/// <c>github.com/Evil/x</c> cannot slip past <c>github.com/evil/*</c>; allow rules match exactly, so case cannot
/// widen an allow-list.</item>
/// </list>
/// A request that names no version (list, @latest, a branch query) is refused only by a rule without a version
/// range; for the others the version it resolves to is checked, and lists leave out the refused versions.
/// </summary>
public sealed class FilterSet
{
    public static FilterSet Empty { get; } = new([], []);

    private FilterSet(IReadOnlyList<FilterRule> deny, IReadOnlyList<FilterRule> allow)
    {
        Deny = deny;
        Allow = allow;
    }

    public IReadOnlyList<FilterRule> Deny { get; }

    public IReadOnlyList<FilterRule> Allow { get; }

    public bool IsEmpty => Deny.Count == 0 && Allow.Count == 0;

    /// <summary>Parses every rule; the errors name each rule that could not be read (and the set is then unusable).</summary>
    public static FilterSet Parse(IEnumerable<string?>? deny, IEnumerable<string?>? allow, out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        var denyRules = ParseAll(deny, problems);
        var allowRules = ParseAll(allow, problems);
        errors = problems;
        return problems.Count == 0 ? new FilterSet(denyRules, allowRules) : Empty;
    }

    /// <summary>Why <paramref name="module"/> (at <paramref name="version"/>, when one is known) is refused, or null when it may be served.</summary>
    public string? Refusal(string module, string? version)
    {
        var subject = version is null ? module : $"{module}@{version}";
        foreach (var rule in Deny)
        {
            if (rule.CoversModule(module, ignoreCase: true) && (version is null ? rule.Comparison == VersionComparison.Any : rule.CoversVersion(version)))
            {
                return $"{subject} is denied by this proxy's filter rule \"{rule.Text}\"";
            }
        }

        if (Allow.Count == 0)
        {
            return null;
        }

        foreach (var rule in Allow)
        {
            if (rule.CoversModule(module, ignoreCase: false) && (version is null || rule.CoversVersion(version)))
            {
                return null;
            }
        }

        return $"{subject} is not on this proxy's allow list";
    }

    private static List<FilterRule> ParseAll(IEnumerable<string?>? texts, List<string> problems)
    {
        var rules = new List<FilterRule>();
        foreach (var text in texts ?? [])
        {
            if (FilterRule.TryParse(text, out var rule, out var error))
            {
                rules.Add(rule);
            }
            else
            {
                problems.Add(error);
            }
        }

        return rules;
    }
}
