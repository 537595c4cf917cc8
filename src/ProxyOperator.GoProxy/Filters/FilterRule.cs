using System.Diagnostics.CodeAnalysis;
using ProxyOperator.Modules;

namespace ProxyOperator.GoProxy.Filters;

/// <summary>How a rule's version bound compares.</summary>
public enum VersionComparison
{
    Any,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
}

/// <summary>
/// One filter rule in the syntax of the GoModuleProxy resource's <c>filters</c> (FilterSpec): a module path glob with
/// GOPRIVATE semantics (<c>github.com/evil/*</c> covers every module below it), optionally followed by <c>@</c> and
/// one comparison with a semantic version: <c>example.com/lib@&lt;v1.2.3</c>, <c>@&lt;=</c>, <c>@&gt;</c>,
/// <c>@&gt;=</c>, <c>@=v1.2.3</c> or <c>@v1.2.3</c> (exactly that version).
/// </summary>
public sealed record FilterRule(string Text, string Glob, VersionComparison Comparison, string? Version)
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out FilterRule? rule, [NotNullWhen(false)] out string? error)
    {
        rule = null;
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length == 0)
        {
            error = "a filter rule is empty";
            return false;
        }

        var at = trimmed.IndexOf('@', StringComparison.Ordinal);
        var glob = (at < 0 ? trimmed : trimmed[..at]).TrimEnd('/');
        if (glob.Length == 0 || glob.Contains(',', StringComparison.Ordinal) || glob.Any(char.IsWhiteSpace))
        {
            error = $"filter rule \"{trimmed}\" needs one module path pattern (no commas or spaces) before any '@'";
            return false;
        }

        if (ModulePatterns.CheckGlob(glob) is { } globProblem)
        {
            error = $"filter rule \"{trimmed}\": {globProblem}";
            return false;
        }

        if (at < 0)
        {
            rule = new FilterRule(trimmed, glob, VersionComparison.Any, null);
            error = null;
            return true;
        }

        var range = trimmed[(at + 1)..].Trim();
        var (comparison, length) = range switch
        {
            _ when range.StartsWith("<=", StringComparison.Ordinal) => (VersionComparison.LessOrEqual, 2),
            _ when range.StartsWith(">=", StringComparison.Ordinal) => (VersionComparison.GreaterOrEqual, 2),
            _ when range.StartsWith('<') => (VersionComparison.Less, 1),
            _ when range.StartsWith('>') => (VersionComparison.Greater, 1),
            _ when range.StartsWith('=') => (VersionComparison.Equal, 1),
            _ => (VersionComparison.Equal, 0),
        };
        var version = range[length..].Trim();
        if (!SemVer.IsValid(version))
        {
            error = $"filter rule \"{trimmed}\": \"{version}\" is not a semantic version such as v1.2.3 (write <, <=, >, >= or = before it)";
            return false;
        }

        rule = new FilterRule(trimmed, glob, comparison, version);
        error = null;
        return true;
    }

    /// <summary>True when the rule covers <paramref name="module"/>; module paths are compared case-insensitively when <paramref name="ignoreCase"/>.</summary>
    public bool CoversModule(string module, bool ignoreCase) => ignoreCase
        ? ModulePatterns.MatchPrefix(Glob.ToLowerInvariant(), module.ToLowerInvariant())
        : ModulePatterns.MatchPrefix(Glob, module);

    /// <summary>True when the rule's range holds <paramref name="version"/> (any version for a rule without one).</summary>
    public bool CoversVersion(string version)
    {
        if (Comparison == VersionComparison.Any)
        {
            return true;
        }

        // An invalid version compares below every valid one in SemVer.Compare; such a request never reaches here,
        // because the protocol parser refuses it.
        var order = SemVer.Compare(version, Version!);
        return Comparison switch
        {
            VersionComparison.Less => order < 0,
            VersionComparison.LessOrEqual => order <= 0,
            VersionComparison.Greater => order > 0,
            VersionComparison.GreaterOrEqual => order >= 0,
            _ => order == 0,
        };
    }
}
