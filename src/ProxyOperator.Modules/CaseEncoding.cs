using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ProxyOperator.Modules;

/// <summary>
/// The "!"-escaping of upper-case letters used for module paths and versions in module cache paths and
/// proxy URLs: every upper-case ASCII letter becomes '!' followed by its lower-case form
/// (https://go.dev/ref/mod#goproxy-protocol, golang.org/x/mod module/module.go <c>escapeString</c>,
/// <c>unescapeString</c>, <c>EscapeVersion</c>, <c>UnescapeVersion</c>).
/// </summary>
/// <remarks>
/// The escaped form never needs two casings of one URL or file name, so a proxy can serve from a
/// case-insensitive file system. Since import paths never contain '!', the encoding is unambiguous;
/// and since it is only defined for ASCII, anything else is refused rather than guessed.
/// </remarks>
public static class CaseEncoding
{
    /// <summary>
    /// module.escapeString: "Upper" → "!upper". Fails when <paramref name="value"/> contains '!' or a
    /// non-ASCII character (the escaping would then be ambiguous). Does not otherwise validate the value.
    /// </summary>
    public static bool TryEscape(string value, [NotNullWhen(true)] out string? escaped)
    {
        ArgumentNullException.ThrowIfNull(value);
        escaped = null;
        var haveUpper = false;
        foreach (var c in value)
        {
            if (c == '!' || c >= 0x80)
            {
                return false;
            }

            haveUpper |= c is >= 'A' and <= 'Z';
        }

        if (!haveUpper)
        {
            escaped = value;
            return true;
        }

        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is >= 'A' and <= 'Z')
            {
                sb.Append('!').Append((char)(c + ('a' - 'A')));
            }
            else
            {
                sb.Append(c);
            }
        }

        escaped = sb.ToString();
        return true;
    }

    /// <summary>
    /// module.unescapeString: "!upper" → "Upper". Fails on a raw upper-case letter, on '!' not followed by
    /// a lower-case ASCII letter, on a trailing '!', and on non-ASCII input. Does not otherwise validate.
    /// </summary>
    public static bool TryUnescape(string escaped, [NotNullWhen(true)] out string? value)
    {
        ArgumentNullException.ThrowIfNull(escaped);
        value = null;
        var sb = new StringBuilder(escaped.Length);
        var bang = false;
        foreach (var c in escaped)
        {
            if (c >= 0x80)
            {
                return false;
            }

            if (bang)
            {
                bang = false;
                if (c is < 'a' or > 'z')
                {
                    return false;
                }

                sb.Append((char)(c - ('a' - 'A')));
                continue;
            }

            if (c == '!')
            {
                bang = true;
                continue;
            }

            if (c is >= 'A' and <= 'Z')
            {
                return false;
            }

            sb.Append(c);
        }

        if (bang)
        {
            return false;
        }

        value = sb.ToString();
        return true;
    }

    /// <summary>
    /// module.EscapeVersion: a version (or query) must be a valid file name element (module.checkElem with
    /// file-name rules) and contain no '!' before it is escaped, because it becomes a file name in the
    /// proxy layout (<c>$module/@v/$version.info</c>).
    /// </summary>
    public static bool TryEscapeVersion(string version, [NotNullWhen(true)] out string? escaped)
    {
        ArgumentNullException.ThrowIfNull(version);
        escaped = null;
        if (!GoText.IsValidUnicode(version) || PathRules.CheckElem(version, PathKind.File) is not null)
        {
            return false;
        }

        return TryEscape(version, out escaped);
    }

    /// <summary>module.UnescapeVersion: undoes <see cref="TryEscapeVersion"/> and re-checks the file-name rules.</summary>
    public static bool TryUnescapeVersion(string escaped, [NotNullWhen(true)] out string? version)
    {
        if (!TryUnescape(escaped, out version))
        {
            return false;
        }

        if (PathRules.CheckElem(version, PathKind.File) is not null)
        {
            version = null;
            return false;
        }

        return true;
    }
}
