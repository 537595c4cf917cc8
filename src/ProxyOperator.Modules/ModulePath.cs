using System.Diagnostics.CodeAnalysis;

namespace ProxyOperator.Modules;

/// <summary>
/// A module path that golang.org/x/mod <c>module.CheckPath</c> accepts, together with its case-escaped
/// form and its major-version suffix (https://go.dev/ref/mod#module-path, module/module.go).
/// </summary>
/// <remarks>
/// Only obtainable through <see cref="TryParse"/> / <see cref="TryParseEscaped"/>, so holding a
/// <see cref="ModulePath"/> proves the path is valid: code that builds cache keys and URLs from
/// <see cref="Escaped"/> never sees a path the go command would refuse. Equality is ordinal because
/// module paths are case-sensitive ("example.com/A" and "example.com/a" are different modules).
/// </remarks>
public sealed class ModulePath : IEquatable<ModulePath>
{
    private ModulePath(string value, string escaped, string prefix, string pathMajor)
    {
        Value = value;
        Escaped = escaped;
        Prefix = prefix;
        PathMajor = pathMajor;
    }

    /// <summary>The module path as written in go.mod, e.g. "example.com/Upper/Case".</summary>
    public string Value { get; }

    /// <summary>The case-encoded path used in proxy URLs and cache paths, e.g. "example.com/!upper/!case" (module.EscapePath).</summary>
    public string Escaped { get; }

    /// <summary>The path without its major-version suffix (module.SplitPathVersion prefix): "example.com/m" for "example.com/m/v2".</summary>
    public string Prefix { get; }

    /// <summary>
    /// The major-version suffix (module.SplitPathVersion pathMajor): "" when absent, "/v2" and up for
    /// ordinary paths, ".v0", ".v1", ... (optionally "-unstable") for gopkg.in paths.
    /// </summary>
    public string PathMajor { get; }

    /// <summary>
    /// The major version the suffix demands (module.PathMajorPrefix): "" when there is no suffix (v0, v1,
    /// or +incompatible allowed), else e.g. "v2".
    /// </summary>
    public string MajorPrefix => ModuleVersion.PathMajorPrefix(PathMajor);

    /// <summary>Whether this is a gopkg.in path, whose major version is spelled ".vN" (module.splitGopkgIn).</summary>
    public bool IsGopkgIn => Value.StartsWith("gopkg.in/", StringComparison.Ordinal);

    /// <summary>Validates <paramref name="path"/> with module.CheckPath.</summary>
    /// <param name="path">An unescaped module path.</param>
    /// <param name="module">The parsed path when valid.</param>
    /// <param name="error">A one-line reason when invalid, worded like the go command's.</param>
    public static bool TryParse(string path, [NotNullWhen(true)] out ModulePath? module, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(path);
        module = null;
        error = PathRules.CheckModulePath(path);
        if (error is not null)
        {
            return false;
        }

        if (!CaseEncoding.TryEscape(path, out var escaped))
        {
            // Unreachable for a path CheckPath accepted (no '!', ASCII only); x/mod reports the same.
            error = "internal error: inconsistency in EscapePath";
            return false;
        }

        PathRules.TrySplitPathVersion(path, out var prefix, out var pathMajor);
        module = new ModulePath(path, escaped, prefix, pathMajor);
        return true;
    }

    /// <summary>
    /// module.UnescapePath: decodes the "!x" case encoding of a path as it arrives in a proxy URL (after
    /// percent-decoding), refusing raw upper case and a '!' not followed by a-z, then applies CheckPath.
    /// </summary>
    public static bool TryParseEscaped(string escaped, [NotNullWhen(true)] out ModulePath? module, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(escaped);
        module = null;
        if (!CaseEncoding.TryUnescape(escaped, out var path))
        {
            error = $"invalid escaped module path {GoText.Quote(escaped)}";
            return false;
        }

        if (!TryParse(path, out module, out var pathError))
        {
            error = $"invalid escaped module path {GoText.Quote(escaped)}: {pathError}";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>Parses a path known to be valid; throws <see cref="FormatException"/> otherwise.</summary>
    public static ModulePath Parse(string path) =>
        TryParse(path, out var module, out var error) ? module : throw new FormatException(error);

    /// <summary>module.CheckPath: null when <paramref name="path"/> is a valid module path, else the reason.</summary>
    public static string? CheckPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return PathRules.CheckModulePath(path);
    }

    /// <summary>
    /// module.CheckImportPath: null when <paramref name="path"/> is a valid package import path (like a module
    /// path but without the first-element and major-suffix rules, allowing '+' and leading dots), else the reason.
    /// </summary>
    public static string? CheckImportPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return PathRules.CheckImportPath(path);
    }

    /// <summary>
    /// module.CheckFilePath: null when <paramref name="path"/> is a valid slash-separated file path inside a
    /// module (Unicode letters, space and "!#$%&amp;()+,-.=@[]^_{}~" allowed), else the reason.
    /// </summary>
    public static string? CheckFilePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return PathRules.CheckFilePath(path);
    }

    /// <summary>
    /// module.SplitPathVersion: <paramref name="prefix"/> + <paramref name="pathMajor"/> == <paramref name="path"/>;
    /// false when the final element looks like a malformed suffix ("/v1", "/v0", "/v1.2", "/v02", gopkg.in without ".vN").
    /// </summary>
    public static bool TrySplitPathVersion(string path, out string prefix, out string pathMajor)
    {
        ArgumentNullException.ThrowIfNull(path);
        return PathRules.TrySplitPathVersion(path, out prefix, out pathMajor);
    }

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <inheritdoc />
    public bool Equals(ModulePath? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ModulePath other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Ordinal equality of <see cref="Value"/>.</summary>
    public static bool operator ==(ModulePath? left, ModulePath? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Ordinal inequality of <see cref="Value"/>.</summary>
    public static bool operator !=(ModulePath? left, ModulePath? right) => !(left == right);
}
