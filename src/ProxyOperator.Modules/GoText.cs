using System.Globalization;
using System.Text;

namespace ProxyOperator.Modules;

/// <summary>
/// Small helpers that reproduce Go string behaviour the x/mod rules depend on: <c>%q</c> quoting for
/// messages (so reasons read like the go command's), UTF-8 validity and UTF-8 byte order.
/// </summary>
/// <remarks>
/// Go strings are UTF-8 bytes while .NET strings are UTF-16; x/mod rejects invalid UTF-8
/// (module/module.go <c>checkPath</c>: "invalid UTF-8"), and the UTF-16 equivalent is an unpaired
/// surrogate. Go's <c>sort.Strings</c> orders by bytes, which for valid UTF-8 is code-point order
/// (sumdb/dirhash/hash.go <c>Hash1</c> sorts names this way).
/// </remarks>
internal static class GoText
{
    /// <summary>True when <paramref name="value"/> has no unpaired surrogates, i.e. it round-trips through UTF-8.</summary>
    internal static bool IsValidUnicode(string value)
    {
        var span = value.AsSpan();
        while (!span.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(span, out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }

            span = span[consumed..];
        }

        return true;
    }

    /// <summary>Compares two strings in Unicode code-point order, which equals the byte order of their UTF-8 encodings (Go string order).</summary>
    internal static int CompareCodePoints(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        var n = Math.Min(x.Length, y.Length);
        for (var i = 0; i < n; i++)
        {
            var a = x[i];
            var b = y[i];
            if (a != b)
            {
                return Fix(a).CompareTo(Fix(b));
            }
        }

        return x.Length.CompareTo(y.Length);

        // Surrogates (supplementary planes) sort after U+E000..U+FFFF in code-point order.
        static int Fix(char c) => c switch
        {
            >= '\uD800' and <= '\uDFFF' => c + 0x2000,
            >= '\uE000' => c - 0x800,
            _ => c,
        };
    }

    /// <summary>
    /// <paramref name="value"/> as is when it has no control characters, else quoted: reasons are promised to be
    /// one line, and versions and entry names come from untrusted URLs and archives.
    /// </summary>
    internal static string Display(string value) =>
        value.AsSpan().IndexOfAnyInRange('\0', '\x1f') < 0 && !value.Contains('\x7f', StringComparison.Ordinal) &&
        !value.Contains('\u2028', StringComparison.Ordinal) && !value.Contains('\u2029', StringComparison.Ordinal) && IsValidUnicode(value)
            ? value
            : Quote(value);

    /// <summary>Go's <c>%q</c> for a string: double-quoted with Go escapes.</summary>
    internal static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2);
        sb.Append('"');
        AppendEscaped(sb, value, '"');
        sb.Append('"');
        return sb.ToString();
    }

    /// <summary>Go's <c>%q</c> for a rune: single-quoted with Go escapes.</summary>
    internal static string QuoteRune(Rune rune)
    {
        var sb = new StringBuilder(8);
        sb.Append('\'');
        AppendEscaped(sb, rune.ToString(), '\'');
        sb.Append('\'');
        return sb.ToString();
    }

    private static void AppendEscaped(StringBuilder sb, string value, char quote)
    {
        var span = value.AsSpan();
        while (!span.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(span, out var r, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)span[0]:x4}");
                span = span[1..];
                continue;
            }

            span = span[consumed..];
            if (r.Value == quote || r.Value == '\\')
            {
                sb.Append('\\').Append((char)r.Value);
                continue;
            }

            switch (r.Value)
            {
                case '\a': sb.Append("\\a"); continue;
                case '\b': sb.Append("\\b"); continue;
                case '\f': sb.Append("\\f"); continue;
                case '\n': sb.Append("\\n"); continue;
                case '\r': sb.Append("\\r"); continue;
                case '\t': sb.Append("\\t"); continue;
                case '\v': sb.Append("\\v"); continue;
                default: break;
            }

            if (IsPrint(r))
            {
                sb.Append(r.ToString());
            }
            else if (r.Value < 0x80)
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\x{r.Value:x2}");
            }
            else if (r.Value < 0x10000)
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\u{r.Value:x4}");
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\U{r.Value:x8}");
            }
        }
    }

    // Approximates Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and ASCII space.
    private static bool IsPrint(Rune r)
    {
        if (r.Value == ' ')
        {
            return true;
        }

        return Rune.GetUnicodeCategory(r) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or
            UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.SpaceSeparator or
            UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
            _ => true,
        };
    }
}
