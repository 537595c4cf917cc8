using System.Text;

namespace ProxyOperator.Modules;

/// <summary>
/// Case folding for collision detection, standing in for zip/zip.go <c>strToFold</c> (which folds with
/// Go's <c>unicode.SimpleFold</c>): two names collide when <c>strings.EqualFold</c> says they are equal,
/// because case-insensitive file systems (Windows, macOS) could not extract both.
/// </summary>
/// <remarks>
/// .NET has no SimpleFold; mapping each rune to lower(upper(r)) yields the same equivalence classes for
/// the simple case-folding pairs (including K/k/U+212A KELVIN SIGN and s/S/U+017F LONG S). U+0130 and
/// U+0131 (Turkish dotted/dotless i) have no simple folding in Unicode and are kept as themselves.
/// </remarks>
internal static class CaseFold
{
    internal static string Fold(string s)
    {
        var fast = true;
        foreach (var c in s)
        {
            if (c >= 0x80 || c is >= 'A' and <= 'Z')
            {
                fast = false;
                break;
            }
        }

        if (fast)
        {
            return s;
        }

        var sb = new StringBuilder(s.Length);
        foreach (var r in s.EnumerateRunes())
        {
            if (r.Value is 0x130 or 0x131)
            {
                sb.Append(r.ToString());
                continue;
            }

            sb.Append(Rune.ToLowerInvariant(Rune.ToUpperInvariant(r)).ToString());
        }

        return sb.ToString();
    }
}
