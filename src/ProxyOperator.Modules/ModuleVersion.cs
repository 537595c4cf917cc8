namespace ProxyOperator.Modules;

/// <summary>
/// Whether a version may be paired with a module path: golang.org/x/mod module/module.go <c>Check</c>,
/// <c>CheckPathMajor</c>, <c>CanonicalVersion</c> and <c>PathMajorPrefix</c>, plus the canonical-form
/// requirement that module zips and proxy artifacts carry (zip/zip.go <c>checkZip</c>;
/// https://go.dev/ref/mod#major-version-suffixes, https://go.dev/ref/mod#incompatible-versions).
/// </summary>
public static class ModuleVersion
{
    private const string Incompatible = "+incompatible";

    /// <summary>
    /// Like module.Check, additionally requiring the canonical form a proxy stores: null when
    /// <paramref name="version"/> is a canonical semantic version whose major version matches the path's
    /// major suffix, else a one-line reason.
    /// </summary>
    /// <remarks>
    /// No suffix accepts v0 and v1, and vN+incompatible for N &gt;= 2; "/vN" accepts only vN; gopkg.in ".vN"
    /// accepts only vN (".v0" only v0), with the historic exception that ".v1" also accepts "v0.0.0-"
    /// pseudo-versions (module.CheckPathMajor). module.Check alone would also let "+incompatible" through
    /// with a suffix or on v0/v1; the go command refuses those when it resolves a version
    /// (cmd/go/internal/modfetch/coderepo.go: "+incompatible suffix not allowed"), so a proxy must not
    /// serve them either (https://go.dev/ref/mod#incompatible-versions).
    /// </remarks>
    public static string? Check(ModulePath module, string version)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(version);
        if (!SemVer.IsValid(version))
        {
            return $"{module.Value}@{GoText.Display(version)}: invalid version: not a semantic version";
        }

        var canonical = Canonical(version);
        if (!string.Equals(canonical, version, StringComparison.Ordinal))
        {
            return $"{module.Value}@{version}: invalid version: not canonical (should be {GoText.Quote(canonical)})";
        }

        if (CheckPathMajor(version, module.PathMajor) is { } reason)
        {
            return $"{module.Value}@{version}: invalid version: {reason}";
        }

        if (string.Equals(SemVer.Build(version), Incompatible, StringComparison.Ordinal))
        {
            if (module.PathMajor.Length != 0)
            {
                return $"{module.Value}@{version}: invalid version: +incompatible suffix not allowed: module path includes a major version suffix, so major version must match";
            }

            if (CheckPathMajor(version[..^Incompatible.Length], "") is null)
            {
                return $"{module.Value}@{version}: invalid version: +incompatible suffix not allowed: major version {SemVer.Major(version)} is compatible";
            }
        }

        return null;
    }

    /// <summary>
    /// Whether <paramref name="version"/> is valid and already in module.CanonicalVersion form: "v1.2.0" and
    /// "v2.0.0+incompatible" are canonical; "v1.2", "v1.2.0+meta" and "1.2.0" are not.
    /// </summary>
    public static bool IsCanonical(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return SemVer.IsValid(version) && string.Equals(Canonical(version), version, StringComparison.Ordinal);
    }

    /// <summary>
    /// module.CanonicalVersion: <see cref="SemVer.Canonical"/>, but keeping the "+incompatible" build suffix,
    /// which is the only build metadata that carries meaning for modules. "" when invalid.
    /// </summary>
    public static string Canonical(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var canonical = SemVer.Canonical(version);
        if (canonical.Length != 0 && string.Equals(SemVer.Build(version), Incompatible, StringComparison.Ordinal))
        {
            canonical += Incompatible;
        }

        return canonical;
    }

    /// <summary>
    /// module.CheckPathMajor: null when semantic version <paramref name="version"/> matches the path's major
    /// suffix <paramref name="pathMajor"/> ("", "/vN", ".vN", ".vN-unstable"), else "should be X, not Y".
    /// </summary>
    public static string? CheckPathMajor(string version, string pathMajor)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(pathMajor);
        if (pathMajor.StartsWith(".v", StringComparison.Ordinal) && pathMajor.EndsWith("-unstable", StringComparison.Ordinal))
        {
            pathMajor = pathMajor[..^"-unstable".Length];
        }

        if (version.StartsWith("v0.0.0-", StringComparison.Ordinal) && pathMajor == ".v1")
        {
            // Old vgo generated v0.0.0- pseudo-versions for gopkg.in .v1 paths; x/mod keeps accepting them.
            return null;
        }

        var m = SemVer.Major(version);
        string want;
        if (pathMajor.Length == 0)
        {
            if (m is "v0" or "v1" || SemVer.Build(version) == Incompatible)
            {
                return null;
            }

            want = "v0 or v1";
        }
        else if (pathMajor[0] is '/' or '.')
        {
            if (string.Equals(m, pathMajor[1..], StringComparison.Ordinal))
            {
                return null;
            }

            want = pathMajor[1..];
        }
        else
        {
            want = pathMajor;
        }

        return $"should be {want}, not {m}";
    }

    /// <summary>module.MatchPathMajor: <see cref="CheckPathMajor"/> is null.</summary>
    public static bool MatchPathMajor(string version, string pathMajor) => CheckPathMajor(version, pathMajor) is null;

    /// <summary>
    /// module.PathMajorPrefix: the major version tag prefix implied by a path suffix ("" → "", "/v2" → "v2",
    /// ".v1-unstable" → "v1"). Throws <see cref="ArgumentException"/> for a malformed suffix, where x/mod panics.
    /// </summary>
    public static string PathMajorPrefix(string pathMajor)
    {
        ArgumentNullException.ThrowIfNull(pathMajor);
        if (pathMajor.Length == 0)
        {
            return "";
        }

        if (pathMajor[0] is not ('/' or '.'))
        {
            throw new ArgumentException($"pathMajor suffix {pathMajor} lacks separator", nameof(pathMajor));
        }

        if (pathMajor.StartsWith(".v", StringComparison.Ordinal) && pathMajor.EndsWith("-unstable", StringComparison.Ordinal))
        {
            pathMajor = pathMajor[..^"-unstable".Length];
        }

        var m = pathMajor[1..];
        if (!string.Equals(m, SemVer.Major(m), StringComparison.Ordinal))
        {
            throw new ArgumentException($"pathMajor suffix {pathMajor} is not a valid major version", nameof(pathMajor));
        }

        return m;
    }
}
