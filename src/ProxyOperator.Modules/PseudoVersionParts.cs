namespace ProxyOperator.Modules;

/// <summary>
/// The pieces of a pseudo-version "vX.Y.Z-[pre.]0.yyyymmddhhmmss-revision[+build]" as golang.org/x/mod
/// module/pseudo.go <c>parsePseudoVersion</c> splits them (https://go.dev/ref/mod#pseudo-versions).
/// </summary>
public sealed class PseudoVersionParts
{
    internal PseudoVersionParts(string rawBase, string timestamp, string revision, string build)
    {
        RawBase = rawBase;
        Timestamp = timestamp;
        Revision = revision;
        Build = build;
    }

    /// <summary>
    /// The version text before the timestamp: "vX.0.0" (no base tag), "vX.Y.(Z+1)-0" (after release vX.Y.Z)
    /// or "vX.Y.Z-pre.0" (after prerelease vX.Y.Z-pre). See <see cref="PseudoVersion.TryGetBase"/> for the tag itself.
    /// </summary>
    public string RawBase { get; }

    /// <summary>The 14-digit UTC commit time, "yyyyMMddHHmmss" (Go layout "20060102150405").</summary>
    public string Timestamp { get; }

    /// <summary>The revision identifier, usually a 12-character commit hash prefix.</summary>
    public string Revision { get; }

    /// <summary>The build suffix, "" or e.g. "+incompatible".</summary>
    public string Build { get; }

    /// <summary>
    /// True for form (1) "vX.0.0-yyyymmddhhmmss-rev": no tagged version precedes the commit, so the
    /// pseudo-version has no base (module.PseudoVersionBase returns "").
    /// </summary>
    public bool IsZeroBase => SemVer.Prerelease(RawBase).Length == 0;
}
