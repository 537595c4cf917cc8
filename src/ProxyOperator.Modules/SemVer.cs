namespace ProxyOperator.Modules;

/// <summary>
/// Port of golang.org/x/mod/semver: Go's dialect of Semantic Versioning 2.0.0 where versions carry a
/// leading "v" and the shorthands "vMAJOR" and "vMAJOR.MINOR" (without prerelease or build) are valid
/// (https://go.dev/ref/mod#versions, semver/semver.go).
/// </summary>
/// <remarks>
/// The proxy must order and compare versions exactly like the go command does, otherwise <c>@v/list</c>
/// and <c>@latest</c> answers would disagree with what clients compute; hence a line-for-line port rather
/// than a general-purpose SemVer library (those reject the "v" prefix and the shorthands).
/// </remarks>
public static class SemVer
{
    /// <summary>semver.IsValid: whether <paramref name="v"/> is a valid semantic version string.</summary>
    public static bool IsValid(string v) => TryParse(v, out _);

    /// <summary>
    /// semver.Canonical: the canonical formatting of <paramref name="v"/>, with a missing minor or patch
    /// filled in as ".0" and build metadata removed (all of it, "+incompatible" included: use
    /// <see cref="ModuleVersion.Canonical"/> for module.CanonicalVersion, which keeps "+incompatible").
    /// Returns "" for an invalid version.
    /// </summary>
    public static string Canonical(string v)
    {
        if (!TryParse(v, out var p))
        {
            return "";
        }

        if (p.Build.Length != 0)
        {
            return v[..^p.Build.Length];
        }

        if (p.Short.Length != 0)
        {
            return v + p.Short;
        }

        return v;
    }

    /// <summary>semver.Major: the major version prefix, "v2" for "v2.1.0"; "" when invalid.</summary>
    public static string Major(string v) => TryParse(v, out var p) ? v[..(1 + p.MajorPart.Length)] : "";

    /// <summary>semver.MajorMinor: "v2.1" for "v2.1.0" (and for "v2.1"), "v2.0" for "v2"; "" when invalid.</summary>
    public static string MajorMinor(string v)
    {
        if (!TryParse(v, out var p))
        {
            return "";
        }

        var i = 1 + p.MajorPart.Length;
        var j = i + 1 + p.Minor.Length;
        if (j <= v.Length && v[i] == '.' && string.Equals(v[(i + 1)..j], p.Minor, StringComparison.Ordinal))
        {
            return v[..j];
        }

        return v[..i] + "." + p.Minor;
    }

    /// <summary>semver.Prerelease: "-pre.1" for "v1.2.3-pre.1+meta"; "" when none or invalid.</summary>
    public static string Prerelease(string v) => TryParse(v, out var p) ? p.PrereleasePart : "";

    /// <summary>semver.Build: "+meta" for "v1.2.3+meta"; "" when none or invalid.</summary>
    public static string Build(string v) => TryParse(v, out var p) ? p.Build : "";

    /// <summary>
    /// semver.Compare: -1, 0 or +1. An invalid version compares less than any valid one and equal to
    /// other invalid ones; build metadata is ignored (SemVer 2.0.0 §10, §11).
    /// </summary>
    public static int Compare(string v, string w)
    {
        var ok1 = TryParse(v, out var pv);
        var ok2 = TryParse(w, out var pw);
        if (!ok1 && !ok2)
        {
            return 0;
        }

        if (!ok1)
        {
            return -1;
        }

        if (!ok2)
        {
            return 1;
        }

        var c = CompareInt(pv.MajorPart, pw.MajorPart);
        if (c != 0)
        {
            return c;
        }

        c = CompareInt(pv.Minor, pw.Minor);
        if (c != 0)
        {
            return c;
        }

        c = CompareInt(pv.Patch, pw.Patch);
        if (c != 0)
        {
            return c;
        }

        return ComparePrerelease(pv.PrereleasePart, pw.PrereleasePart);
    }

    /// <summary>semver.Max: the larger of two versions, in canonical form.</summary>
    public static string Max(string v, string w)
    {
        v = Canonical(v);
        w = Canonical(w);
        return Compare(v, w) > 0 ? v : w;
    }

    /// <summary>
    /// The ordering semver.Sort uses (semver.ByVersion.Less): <see cref="Compare"/>, then ordinal string
    /// order as a tie-break so that e.g. "v1.0" and "v1.0.0" have a deterministic order.
    /// </summary>
    public static int CompareForSort(string v, string w)
    {
        var c = Compare(v, w);
        return c != 0 ? c : string.CompareOrdinal(v, w) switch { < 0 => -1, > 0 => 1, _ => 0 };
    }

    /// <summary>semver.Sort: sorts <paramref name="versions"/> in place by <see cref="CompareForSort"/>.</summary>
    public static void Sort(List<string> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        versions.Sort(CompareForSort);
    }

    private readonly record struct Parsed(string MajorPart, string Minor, string Patch, string Short, string PrereleasePart, string Build);

    // semver.parse
    private static bool TryParse(string? v, out Parsed parsed)
    {
        parsed = default;
        if (string.IsNullOrEmpty(v) || v[0] != 'v')
        {
            return false;
        }

        if (!TryParseInt(v, 1, out var major, out var pos))
        {
            return false;
        }

        if (pos == v.Length)
        {
            parsed = new Parsed(major, "0", "0", ".0.0", "", "");
            return true;
        }

        if (v[pos] != '.' || !TryParseInt(v, pos + 1, out var minor, out pos))
        {
            return false;
        }

        if (pos == v.Length)
        {
            parsed = new Parsed(major, minor, "0", ".0", "", "");
            return true;
        }

        if (v[pos] != '.' || !TryParseInt(v, pos + 1, out var patch, out pos))
        {
            return false;
        }

        var prerelease = "";
        if (pos < v.Length && v[pos] == '-')
        {
            if (!TryParsePrerelease(v, pos, out prerelease, out pos))
            {
                return false;
            }
        }

        var build = "";
        if (pos < v.Length && v[pos] == '+')
        {
            if (!TryParseBuild(v, pos, out build, out pos))
            {
                return false;
            }
        }

        if (pos != v.Length)
        {
            return false;
        }

        parsed = new Parsed(major, minor, patch, "", prerelease, build);
        return true;
    }

    // semver.parseInt: decimal digits without a leading zero (except "0" itself).
    private static bool TryParseInt(string v, int start, out string value, out int end)
    {
        value = "";
        end = start;
        if (start >= v.Length || v[start] is < '0' or > '9')
        {
            return false;
        }

        var i = start + 1;
        while (i < v.Length && v[i] is >= '0' and <= '9')
        {
            i++;
        }

        if (v[start] == '0' && i != start + 1)
        {
            return false;
        }

        value = v[start..i];
        end = i;
        return true;
    }

    // semver.parsePrerelease: dot-separated non-empty identifiers of [0-9A-Za-z-]; numeric ones without leading zeros.
    private static bool TryParsePrerelease(string v, int start, out string value, out int end)
    {
        value = "";
        end = start;
        var i = start + 1;
        var identStart = i;
        while (i < v.Length && v[i] != '+')
        {
            if (!IsIdentChar(v[i]) && v[i] != '.')
            {
                return false;
            }

            if (v[i] == '.')
            {
                if (identStart == i || IsBadNum(v.AsSpan(identStart, i - identStart)))
                {
                    return false;
                }

                identStart = i + 1;
            }

            i++;
        }

        if (identStart == i || IsBadNum(v.AsSpan(identStart, i - identStart)))
        {
            return false;
        }

        value = v[start..i];
        end = i;
        return true;
    }

    // semver.parseBuild: dot-separated non-empty identifiers of [0-9A-Za-z-] (leading zeros allowed).
    private static bool TryParseBuild(string v, int start, out string value, out int end)
    {
        value = "";
        end = start;
        var i = start + 1;
        var identStart = i;
        while (i < v.Length)
        {
            if (!IsIdentChar(v[i]) && v[i] != '.')
            {
                return false;
            }

            if (v[i] == '.')
            {
                if (identStart == i)
                {
                    return false;
                }

                identStart = i + 1;
            }

            i++;
        }

        if (identStart == i)
        {
            return false;
        }

        value = v[start..i];
        end = i;
        return true;
    }

    private static bool IsIdentChar(char c) =>
        c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-';

    private static bool IsBadNum(ReadOnlySpan<char> v)
    {
        var i = 0;
        while (i < v.Length && v[i] is >= '0' and <= '9')
        {
            i++;
        }

        return i == v.Length && i > 1 && v[0] == '0';
    }

    private static bool IsNum(ReadOnlySpan<char> v) => v.IndexOfAnyExceptInRange('0', '9') < 0;

    private static int CompareInt(string x, string y)
    {
        if (string.Equals(x, y, StringComparison.Ordinal))
        {
            return 0;
        }

        if (x.Length != y.Length)
        {
            return x.Length < y.Length ? -1 : 1;
        }

        return string.CompareOrdinal(x, y) < 0 ? -1 : 1;
    }

    // semver.comparePrerelease: no prerelease sorts after any prerelease; identifiers compare numerically
    // when both are numeric, numeric before alphanumeric, otherwise in ASCII order; a shorter list of
    // equal identifiers sorts first (SemVer 2.0.0 §11).
    private static int ComparePrerelease(string x, string y)
    {
        if (string.Equals(x, y, StringComparison.Ordinal))
        {
            return 0;
        }

        if (x.Length == 0)
        {
            return 1;
        }

        if (y.Length == 0)
        {
            return -1;
        }

        var xs = x.AsSpan();
        var ys = y.AsSpan();
        while (!xs.IsEmpty && !ys.IsEmpty)
        {
            xs = xs[1..]; // skip '-' or '.'
            ys = ys[1..];
            var dx = NextIdent(ref xs);
            var dy = NextIdent(ref ys);
            if (!dx.SequenceEqual(dy))
            {
                var ix = IsNum(dx);
                var iy = IsNum(dy);
                if (ix != iy)
                {
                    return ix ? -1 : 1;
                }

                if (ix && dx.Length != dy.Length)
                {
                    return dx.Length < dy.Length ? -1 : 1;
                }

                return dx.SequenceCompareTo(dy) < 0 ? -1 : 1;
            }
        }

        return xs.IsEmpty ? -1 : 1;
    }

    private static ReadOnlySpan<char> NextIdent(ref ReadOnlySpan<char> x)
    {
        var i = x.IndexOf('.');
        if (i < 0)
        {
            i = x.Length;
        }

        var ident = x[..i];
        x = x[i..];
        return ident;
    }
}
