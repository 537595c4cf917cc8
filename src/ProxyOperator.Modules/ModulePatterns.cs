namespace ProxyOperator.Modules;

/// <summary>
/// GOPRIVATE-style patterns: comma-separated globs, each matched (with Go's path.Match) against the prefix of a module
/// path that has as many elements as the glob, so <c>git.corp.example</c> and <c>*/team</c> match every path below
/// them. A port of cmd/go's <c>module.MatchPrefixPatterns</c> (golang.org/x/mod/module), which decides for the go
/// command what GOPRIVATE, GONOPROXY and GONOSUMDB cover: the proxy must draw the same line.
/// </summary>
public static class ModulePatterns
{
    /// <summary>True when any glob in the comma-separated <paramref name="globs"/> matches a prefix of <paramref name="target"/>.</summary>
    public static bool MatchPrefixPatterns(string globs, string target)
    {
        ArgumentNullException.ThrowIfNull(globs);
        ArgumentNullException.ThrowIfNull(target);
        foreach (var raw in globs.Split(','))
        {
            if (MatchPrefix(raw, target))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One glob (no commas) against the prefix of <paramref name="target"/> with as many elements.</summary>
    public static bool MatchPrefix(string glob, string target)
    {
        ArgumentNullException.ThrowIfNull(glob);
        ArgumentNullException.ThrowIfNull(target);
        glob = glob.EndsWith('/') ? glob[..^1] : glob;
        if (glob.Length == 0)
        {
            return false;
        }

        var slashes = glob.Count(c => c == '/');
        var prefix = target;
        for (var i = 0; i < target.Length; i++)
        {
            if (target[i] == '/')
            {
                if (slashes == 0)
                {
                    prefix = target[..i];
                    break;
                }

                slashes--;
            }
        }

        return slashes == 0 && Match(glob, prefix);
    }

    /// <summary>Why <paramref name="glob"/> is not a valid path.Match pattern, or null when it is.</summary>
    public static string? CheckGlob(string glob)
    {
        ArgumentNullException.ThrowIfNull(glob);
        for (var i = 0; i < glob.Length; i++)
        {
            switch (glob[i])
            {
                case '\\':
                    if (++i >= glob.Length)
                    {
                        return $"pattern \"{glob}\" ends with a lone backslash";
                    }

                    break;
                case '[':
                    if (ParseClass(glob, i, '\0', out _) is not { } end)
                    {
                        return $"pattern \"{glob}\" has a malformed character class";
                    }

                    i = end - 1;
                    break;
                case ']':
                    // Go accepts a stray ']' as a literal.
                    break;
            }
        }

        return null;
    }

    /// <summary>Go's <c>path.Match</c>: <c>*</c> and <c>?</c> never match '/'; a malformed pattern matches nothing.</summary>
    public static bool Match(string pattern, string name)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(name);
        return CheckGlob(pattern) is null && MatchFrom(pattern, 0, name, 0);
    }

    private static bool MatchFrom(string p, int pi, string s, int si)
    {
        while (pi < p.Length)
        {
            var c = p[pi];
            if (c == '*')
            {
                while (pi < p.Length && p[pi] == '*')
                {
                    pi++;
                }

                // A star spans any run of non-separator characters; try each length, shortest first.
                for (var k = si; k <= s.Length; k++)
                {
                    if (MatchFrom(p, pi, s, k))
                    {
                        return true;
                    }

                    if (k < s.Length && s[k] == '/')
                    {
                        return false;
                    }
                }

                return false;
            }

            if (si >= s.Length)
            {
                return false;
            }

            switch (c)
            {
                case '?':
                    if (s[si] == '/')
                    {
                        return false;
                    }

                    pi++;
                    break;
                case '[':
                    if (ParseClass(p, pi, s[si], out var matched) is not { } end || !matched)
                    {
                        return false;
                    }

                    pi = end;
                    break;
                case '\\':
                    if (p[pi + 1] != s[si])
                    {
                        return false;
                    }

                    pi += 2;
                    break;
                default:
                    if (c != s[si])
                    {
                        return false;
                    }

                    pi++;
                    break;
            }

            si++;
        }

        return si == s.Length;
    }

    /// <summary>
    /// Parses the class starting at <paramref name="start"/> ('['), returning the index after its ']' (null when
    /// malformed) and whether <paramref name="c"/> is in it.
    /// </summary>
    private static int? ParseClass(string p, int start, char c, out bool matched)
    {
        matched = false;
        var i = start + 1;
        var negated = i < p.Length && p[i] == '^';
        if (negated)
        {
            i++;
        }

        var any = false;
        var count = 0;
        while (true)
        {
            if (i >= p.Length)
            {
                return null;
            }

            if (p[i] == ']' && count > 0)
            {
                i++;
                break;
            }

            if (ClassChar(p, ref i) is not { } lo)
            {
                return null;
            }

            var hi = lo;
            if (i < p.Length && p[i] == '-')
            {
                i++;
                if (ClassChar(p, ref i) is not { } upper)
                {
                    return null;
                }

                hi = upper;
            }

            if (lo <= c && c <= hi)
            {
                any = true;
            }

            count++;
        }

        matched = any != negated;
        return i;
    }

    private static char? ClassChar(string p, ref int i)
    {
        if (i >= p.Length || p[i] == '-' || p[i] == ']')
        {
            return null;
        }

        if (p[i] == '\\')
        {
            i++;
            if (i >= p.Length)
            {
                return null;
            }
        }

        return p[i++];
    }
}
