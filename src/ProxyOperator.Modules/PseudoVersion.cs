using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ProxyOperator.Modules;

/// <summary>
/// Pseudo-versions, the versions the go command invents for untagged commits
/// (https://go.dev/ref/mod#pseudo-versions; port of golang.org/x/mod module/pseudo.go).
/// </summary>
/// <remarks>
/// A proxy needs to tell pseudo-versions apart because they are never listed in <c>@v/list</c>
/// (https://go.dev/ref/mod#goproxy-protocol) and are not candidates for <c>@latest</c> while a release exists.
/// </remarks>
public static partial class PseudoVersion
{
    /// <summary>The timestamp layout, equivalent to Go's module.PseudoVersionTimestampFormat "20060102150405".</summary>
    public const string TimestampFormat = "yyyyMMddHHmmss";

    // module/pseudo.go pseudoVersionRE, with \d spelled [0-9] (RE2's \d is ASCII-only, .NET's is not)
    // and $ spelled \z (.NET's $ also matches before a final newline).
    [GeneratedRegex(@"^v[0-9]+\.(0\.0-|[0-9]+\.[0-9]+-([^+]*\.)?0\.)[0-9]{14}-[A-Za-z0-9]+(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex PseudoVersionPattern();

    /// <summary>module.IsPseudoVersion: a valid semantic version in one of the three pseudo-version forms.</summary>
    public static bool IsPseudo(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return version.AsSpan().Count('-') >= 2 && SemVer.IsValid(version) && PseudoVersionPattern().IsMatch(version);
    }

    /// <summary>module.IsZeroPseudoVersion: the placeholder "vX.0.0-00010101000000-000000000000".</summary>
    public static bool IsZero(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return string.Equals(version, Zero(SemVer.Major(version)), StringComparison.Ordinal);
    }

    /// <summary>module.ZeroPseudoVersion: a pseudo-version with zero time and revision, used as a placeholder.</summary>
    public static string Zero(string major) => Build(major, "", DateTimeOffset.MinValue, "000000000000");

    /// <summary>
    /// module.PseudoVersion: the pseudo-version for a commit at <paramref name="time"/> with revision
    /// <paramref name="revision"/>, given the major version (used only when there is no
    /// <paramref name="older"/> tag; "" means "v0") and the most recent older tag ("" when none).
    /// </summary>
    public static string Build(string major, string older, DateTimeOffset time, string revision)
    {
        ArgumentNullException.ThrowIfNull(major);
        ArgumentNullException.ThrowIfNull(older);
        ArgumentNullException.ThrowIfNull(revision);
        if (major.Length == 0)
        {
            major = "v0";
        }

        var segment = time.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture) + "-" + revision;
        var build = SemVer.Build(older);
        older = SemVer.Canonical(older);
        if (older.Length == 0)
        {
            return major + ".0.0-" + segment; // form (1)
        }

        if (SemVer.Prerelease(older).Length != 0)
        {
            return older + ".0." + segment + build; // forms (4), (5)
        }

        // Forms (2), (3): vX.Y.(Z+1)-0.
        var i = older.LastIndexOf('.') + 1;
        return older[..i] + IncDecimal(older[i..]) + "-0." + segment + build;
    }

    /// <summary>Splits a pseudo-version into its parts (module.parsePseudoVersion); false when it is not one.</summary>
    public static bool TryParse(string version, [NotNullWhen(true)] out PseudoVersionParts? parts)
    {
        parts = null;
        if (version is null || !IsPseudo(version))
        {
            return false;
        }

        var build = SemVer.Build(version);
        var v = version[..^build.Length];
        var j = v.LastIndexOf('-');
        var revision = v[(j + 1)..];
        v = v[..j];
        var i = v.LastIndexOf('-');
        var dot = v.LastIndexOf('.');
        string rawBase, timestamp;
        if (dot > i)
        {
            rawBase = v[..dot]; // "vX.Y.Z-pre.0" or "vX.Y.(Z+1)-0"
            timestamp = v[(dot + 1)..];
        }
        else
        {
            rawBase = v[..i]; // "vX.0.0"
            timestamp = v[(i + 1)..];
        }

        parts = new PseudoVersionParts(rawBase, timestamp, revision, build);
        return true;
    }

    /// <summary>
    /// module.PseudoVersionTime: the commit time (UTC). False when <paramref name="version"/> is not a
    /// pseudo-version or its timestamp is not a real date (month 13, Feb 30, hour 24...).
    /// </summary>
    public static bool TryGetTime(string version, out DateTimeOffset time)
    {
        time = default;
        if (!TryParse(version, out var parts))
        {
            return false;
        }

        if (!DateTime.TryParseExact(parts.Timestamp, TimestampFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return false;
        }

        time = new DateTimeOffset(parsed, TimeSpan.Zero);
        return true;
    }

    /// <summary>module.PseudoVersionRev: the revision identifier; false when not a pseudo-version.</summary>
    public static bool TryGetRevision(string version, [NotNullWhen(true)] out string? revision)
    {
        revision = TryParse(version, out var parts) ? parts.Revision : null;
        return revision is not null;
    }

    /// <summary>
    /// module.PseudoVersionBase: the canonical tag the pseudo-version builds on ("" for form (1), which has
    /// none), e.g. "v1.2.3" for "v1.2.4-0.20060102150405-hash" and "v1.2.3-pre" for
    /// "v1.2.3-pre.0.20060102150405-hash"; "+incompatible" carries over. False with a reason when
    /// <paramref name="version"/> is not a pseudo-version or encodes an impossible base.
    /// </summary>
    public static bool TryGetBase(string version, [NotNullWhen(true)] out string? baseVersion, [NotNullWhen(false)] out string? error)
    {
        baseVersion = null;
        if (!TryParse(version, out var parts))
        {
            error = $"pseudo-version {GoText.Quote(version ?? "")} invalid: syntax error";
            return false;
        }

        var rawBase = parts.RawBase;
        var pre = SemVer.Prerelease(rawBase);
        if (pre.Length == 0)
        {
            // vX.0.0-yyyymmddhhmmss-rev: no base. "+incompatible" (or any build) here is nonsensical:
            // there is no parent tag whose major version could be incompatible.
            if (parts.Build.Length != 0)
            {
                error = $"pseudo-version {GoText.Quote(version)} invalid: lacks base version, but has build metadata {GoText.Quote(parts.Build)}";
                return false;
            }

            baseVersion = "";
            error = null;
            return true;
        }

        if (pre == "-0")
        {
            // vX.Y.(Z+1)-0.… → vX.Y.Z
            var b = rawBase[..^pre.Length];
            var i = b.LastIndexOf('.');
            var patch = DecDecimal(b[(i + 1)..]);
            if (patch.Length == 0)
            {
                error = $"pseudo-version {GoText.Quote(version)} invalid: version before {b} would have negative patch number";
                return false;
            }

            baseVersion = b[..(i + 1)] + patch + parts.Build;
            error = null;
            return true;
        }

        // vX.Y.Z-pre.0.… → vX.Y.Z-pre (the pattern guarantees the ".0" suffix).
        baseVersion = rawBase[..^".0".Length] + parts.Build;
        error = null;
        return true;
    }

    // module.incDecimal: decimal string plus one.
    internal static string IncDecimal(string value)
    {
        var digits = value.ToCharArray();
        var i = digits.Length - 1;
        for (; i >= 0 && digits[i] == '9'; i--)
        {
            digits[i] = '0';
        }

        if (i >= 0)
        {
            digits[i]++;
            return new string(digits);
        }

        return "1" + new string(digits);
    }

    // module.decDecimal: decimal string minus one, "" when it is all zeros.
    internal static string DecDecimal(string value)
    {
        var digits = value.ToCharArray();
        var i = digits.Length - 1;
        for (; i >= 0 && digits[i] == '0'; i--)
        {
            digits[i] = '9';
        }

        if (i < 0)
        {
            return "";
        }

        if (i == 0 && digits[i] == '1' && digits.Length > 1)
        {
            return new string(digits, 1, digits.Length - 1);
        }

        digits[i]--;
        return new string(digits);
    }
}
