using System.Buffers;
using System.Text;

namespace ProxyOperator.Modules;

/// <summary>
/// Port of the path checks in golang.org/x/mod module/module.go (<c>CheckPath</c>, <c>CheckImportPath</c>,
/// <c>CheckFilePath</c>, <c>checkPath</c>, <c>checkElem</c>, <c>SplitPathVersion</c>).
/// </summary>
/// <remarks>
/// The rules exist because module paths become file system paths in module caches and URL paths in
/// the proxy protocol (https://go.dev/ref/mod#go-mod-file-ident, https://go.dev/ref/mod#goproxy-protocol),
/// which must be unambiguous on case-insensitive file systems and on Windows.
/// </remarks>
internal static class PathRules
{
    // module/module.go badWindowsNames: reserved names on Windows, matched case-insensitively
    // against the element up to its first dot ("com1.txt" is reserved too).
    private static readonly SearchValues<string> BadWindowsNames = SearchValues.Create(
    [
        "CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ], StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// module.CheckPath: a valid import path whose first element is a lower-case LDH domain-like name
    /// containing a dot, and whose major-version suffix is well formed. Returns null or the reason.
    /// </summary>
    internal static string? CheckModulePath(string path)
    {
        var reason = CheckModulePathReason(path);
        return reason is null ? null : $"malformed module path {GoText.Quote(path)}: {reason}";
    }

    /// <summary>module.CheckImportPath. Returns null or the reason.</summary>
    internal static string? CheckImportPath(string path)
    {
        var reason = CheckPath(path, PathKind.Import);
        return reason is null ? null : $"malformed import path {GoText.Quote(path)}: {reason}";
    }

    /// <summary>module.CheckFilePath. Returns null or the reason.</summary>
    internal static string? CheckFilePath(string path)
    {
        var reason = CheckPath(path, PathKind.File);
        return reason is null ? null : $"malformed file path {GoText.Quote(path)}: {reason}";
    }

    private static string? CheckModulePathReason(string path)
    {
        if (CheckPath(path, PathKind.Module) is { } reason)
        {
            return reason;
        }

        var i = path.IndexOf('/', StringComparison.Ordinal);
        if (i < 0)
        {
            i = path.Length;
        }

        if (i == 0)
        {
            return "leading slash";
        }

        var first = path.AsSpan(0, i);
        if (!first.Contains('.'))
        {
            return "missing dot in first path element";
        }

        if (path[0] == '-')
        {
            return "leading dash in first path element";
        }

        foreach (var r in first.EnumerateRunes())
        {
            if (!FirstPathOk(r))
            {
                return $"invalid char {GoText.QuoteRune(r)} in first path element";
            }
        }

        if (!TrySplitPathVersion(path, out _, out _))
        {
            return "invalid version";
        }

        return null;
    }

    /// <summary>module.checkPath: the checks shared by module, import and file paths.</summary>
    internal static string? CheckPath(string path, PathKind kind)
    {
        if (!GoText.IsValidUnicode(path))
        {
            return "invalid UTF-8";
        }

        if (path.Length == 0)
        {
            return "empty string";
        }

        if (path[0] == '-' && kind != PathKind.File)
        {
            return "leading dash";
        }

        if (path.Contains("//", StringComparison.Ordinal))
        {
            return "double slash";
        }

        if (path[^1] == '/')
        {
            return "trailing slash";
        }

        var start = 0;
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '/')
            {
                if (CheckElem(path[start..i], kind) is { } reason)
                {
                    return reason;
                }

                start = i + 1;
            }
        }

        return CheckElem(path[start..], kind);
    }

    /// <summary>module.checkElem: one slash-free element.</summary>
    internal static string? CheckElem(string elem, PathKind kind)
    {
        if (elem.Length == 0)
        {
            return "empty path element";
        }

        if (elem.AsSpan().IndexOfAnyExcept('.') < 0)
        {
            return $"invalid path element {GoText.Quote(elem)}";
        }

        if (elem[0] == '.' && kind == PathKind.Module)
        {
            return "leading dot in path element";
        }

        if (elem[^1] == '.')
        {
            return "trailing dot in path element";
        }

        foreach (var r in elem.EnumerateRunes())
        {
            var ok = kind switch
            {
                PathKind.Module => ModPathOk(r),
                PathKind.Import => ImportPathOk(r),
                _ => FileNameOk(r),
            };
            if (!ok)
            {
                return $"invalid char {GoText.QuoteRune(r)}";
            }
        }

        var dot = elem.IndexOf('.', StringComparison.Ordinal);
        var shortName = dot >= 0 ? elem[..dot] : elem;
        if (shortName.Length is 3 or 4 && BadWindowsNames.Contains(shortName))
        {
            return $"{GoText.Quote(shortName)} disallowed as path element component on Windows";
        }

        if (kind == PathKind.File)
        {
            // Windows short names (FOO~1) only matter for import paths, not files in a zip.
            return null;
        }

        var tilde = shortName.LastIndexOf('~');
        if (tilde >= 0 && tilde < shortName.Length - 1 &&
            shortName.AsSpan(tilde + 1).IndexOfAnyExceptInRange('0', '9') < 0)
        {
            return "trailing tilde and digits in path element";
        }

        return null;
    }

    /// <summary>module.firstPathOK: the first element is an LDH domain name, lower case only.</summary>
    private static bool FirstPathOk(Rune r) =>
        r.Value == '-' || r.Value == '.' || r.Value is >= '0' and <= '9' || r.Value is >= 'a' and <= 'z';

    /// <summary>module.modPathOK: ASCII letters, digits and "-._~" only.</summary>
    private static bool ModPathOk(Rune r) =>
        r.Value == '-' || r.Value == '.' || r.Value == '_' || r.Value == '~' ||
        r.Value is >= '0' and <= '9' || r.Value is >= 'A' and <= 'Z' || r.Value is >= 'a' and <= 'z';

    /// <summary>module.importPathOK: modPathOK plus '+'.</summary>
    private static bool ImportPathOk(Rune r) => ModPathOk(r) || r.Value == '+';

    /// <summary>module.fileNameOK: ASCII letters/digits, "!#$%&amp;()+,-.=@[]^_{}~ " and any Unicode letter.</summary>
    private static bool FileNameOk(Rune r)
    {
        if (r.IsAscii)
        {
            return r.Value is >= '0' and <= '9' || r.Value is >= 'A' and <= 'Z' || r.Value is >= 'a' and <= 'z' ||
                "!#$%&()+,-.=@[]^_{}~ ".Contains((char)r.Value, StringComparison.Ordinal);
        }

        return Rune.IsLetter(r);
    }

    /// <summary>
    /// module.SplitPathVersion: splits off "/vN" (N &gt;= 2, no leading zero, no dots), or for gopkg.in
    /// paths ".vN" (optionally "-unstable"). Returns false for malformed suffixes like "/v1" or "/v1.2".
    /// </summary>
    internal static bool TrySplitPathVersion(string path, out string prefix, out string pathMajor)
    {
        if (path.StartsWith("gopkg.in/", StringComparison.Ordinal))
        {
            return TrySplitGopkgIn(path, out prefix, out pathMajor);
        }

        var i = path.Length;
        var dot = false;
        while (i > 0 && (path[i - 1] is >= '0' and <= '9' || path[i - 1] == '.'))
        {
            if (path[i - 1] == '.')
            {
                dot = true;
            }

            i--;
        }

        prefix = path;
        pathMajor = "";
        if (i <= 1 || i == path.Length || path[i - 1] != 'v' || path[i - 2] != '/')
        {
            return true;
        }

        var major = path[(i - 2)..];
        if (dot || major.Length <= 2 || major[2] == '0' || major == "/v1")
        {
            return false;
        }

        prefix = path[..(i - 2)];
        pathMajor = major;
        return true;
    }

    /// <summary>module.splitGopkgIn: gopkg.in paths must end in ".vN" (".v0" allowed), optionally "-unstable".</summary>
    private static bool TrySplitGopkgIn(string path, out string prefix, out string pathMajor)
    {
        prefix = path;
        pathMajor = "";
        var i = path.Length;
        if (path.EndsWith("-unstable", StringComparison.Ordinal))
        {
            i -= "-unstable".Length;
        }

        while (i > 0 && path[i - 1] is >= '0' and <= '9')
        {
            i--;
        }

        if (i <= 1 || path[i - 1] != 'v' || path[i - 2] != '.')
        {
            return false;
        }

        var major = path[(i - 2)..];
        if (major.Length <= 2 || (major[2] == '0' && major != ".v0"))
        {
            return false;
        }

        prefix = path[..(i - 2)];
        pathMajor = major;
        return true;
    }
}
