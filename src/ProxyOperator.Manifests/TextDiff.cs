using System.Globalization;
using System.Text;

namespace ProxyOperator.Manifests;

/// <summary>A short diff-like account of where two texts part: the changed block between their common first and last lines.</summary>
internal static class TextDiff
{
    private const int MaxLinesShown = 40;

    public static string Describe(string committed, string generated)
    {
        var before = committed.ReplaceLineEndings("\n").Split('\n');
        var after = generated.ReplaceLineEndings("\n").Split('\n');
        var prefix = 0;
        while (prefix < before.Length && prefix < after.Length && before[prefix] == after[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < before.Length - prefix && suffix < after.Length - prefix
            && before[before.Length - 1 - suffix] == after[after.Length - 1 - suffix])
        {
            suffix++;
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"@@ line {prefix + 1} @@\n");
        Append(text, '-', before.AsSpan(prefix, before.Length - prefix - suffix));
        Append(text, '+', after.AsSpan(prefix, after.Length - prefix - suffix));
        return text.ToString();
    }

    private static void Append(StringBuilder text, char sign, ReadOnlySpan<string> lines)
    {
        foreach (var line in lines[..Math.Min(lines.Length, MaxLinesShown)])
        {
            text.Append(sign).Append(line).Append('\n');
        }

        if (lines.Length > MaxLinesShown)
        {
            text.Append(CultureInfo.InvariantCulture, $"{sign}... {lines.Length - MaxLinesShown} more lines\n");
        }
    }
}
