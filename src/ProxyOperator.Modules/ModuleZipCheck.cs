namespace ProxyOperator.Modules;

/// <summary>
/// The outcome of <see cref="ModuleZip.Check"/>, mirroring golang.org/x/mod zip.CheckedFiles: which entries
/// are valid and why the others (or the archive as a whole) are not.
/// </summary>
public sealed class ModuleZipCheck
{
    internal ModuleZipCheck(IReadOnlyList<string> errors, IReadOnlyList<string> validFiles)
    {
        Errors = errors;
        ValidFiles = validFiles;
    }

    /// <summary>True when there are no <see cref="Errors"/>: the go command would accept and extract the zip.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>
    /// One-line reasons, worded like the go command's: archive-level problems (bad version, too large,
    /// unreadable) alone, or per-entry problems as "entry name: reason" in archive order (size problems first).
    /// </summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>Full entry names (with the "path@version/" prefix) of regular files that passed every check (zip.CheckedFiles.Valid).</summary>
    public IReadOnlyList<string> ValidFiles { get; }

    internal static ModuleZipCheck Invalid(string error) => new([error], []);
}
