using System.Globalization;
using System.IO.Compression;

namespace ProxyOperator.Modules;

/// <summary>
/// Validation of module zip files as the go command would validate them before extracting: a port of
/// golang.org/x/mod zip/zip.go <c>CheckZip</c> (https://go.dev/ref/mod#zip-files).
/// </summary>
/// <remarks>
/// A proxy that stores a zip the go command later rejects would poison every client (and the checksum
/// database cannot vouch for it), so uploads and upstream fetches are checked with the same rules.
/// Only the central directory is read; entry contents are not decompressed, as in x/mod.
/// </remarks>
public static class ModuleZip
{
    /// <summary>
    /// zip.CheckZip: checks <paramref name="zip"/> (a readable, seekable stream; it is not buffered in
    /// memory) as the zip of <paramref name="module"/> at <paramref name="version"/>. Never throws on bad
    /// content: an unreadable archive is reported as invalid with a reason.
    /// </summary>
    /// <remarks>
    /// Rules, in x/mod's order: the version is canonical and matches the path (module.Check); the file is at
    /// most <see cref="ModuleZipLimits.MaxZipFile"/>; every entry starts with "path@version/"; names are clean
    /// (path.Clean) and valid file paths (module.CheckFilePath); no two entries are equal under case folding
    /// and none is both a file and a directory; go.mod appears only at the root and spelled "go.mod"; the
    /// declared uncompressed sizes total at most MaxZipFile; go.mod and LICENSE are at most 16 MiB.
    /// </remarks>
    public static ModuleZipCheck Check(Stream zip, ModulePath module, string version)
    {
        ArgumentNullException.ThrowIfNull(zip);
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(version);
        if (!zip.CanRead || !zip.CanSeek)
        {
            throw new ArgumentException("The zip stream must be readable and seekable.", nameof(zip));
        }

        var canonical = ModuleVersion.Canonical(version);
        if (!string.Equals(canonical, version, StringComparison.Ordinal))
        {
            return ModuleZipCheck.Invalid($"version {GoText.Quote(version)} is not canonical (should be {GoText.Quote(canonical)})");
        }

        if (ModuleVersion.Check(module, version) is { } versionProblem)
        {
            return ModuleZipCheck.Invalid(versionProblem);
        }

        var zipSize = zip.Length;
        if (zipSize > ModuleZipLimits.MaxZipFile)
        {
            return ModuleZipCheck.Invalid(string.Create(CultureInfo.InvariantCulture,
                $"module zip file is too large ({zipSize} bytes; limit is {ModuleZipLimits.MaxZipFile} bytes)"));
        }

        List<(string Name, long Length)> entries;
        try
        {
            using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
            entries = archive.Entries.Select(e => (e.FullName, e.Length)).ToList();
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or ArgumentException)
        {
            return ModuleZipCheck.Invalid("module zip is unreadable: " + OneLine(e.Message));
        }

        return CheckEntries(entries, $"{module.Value}@{version}/");
    }

    private static ModuleZipCheck CheckEntries(List<(string Name, long Length)> entries, string prefix)
    {
        var fileErrors = new List<string>();
        string? sizeError = null;
        var valid = new List<string>();
        var collisions = new Dictionary<string, (string Path, bool IsDir)>(StringComparer.Ordinal);
        long size = 0;
        foreach (var (entryName, declaredSize) in entries)
        {
            if (!entryName.StartsWith(prefix, StringComparison.Ordinal))
            {
                fileErrors.Add($"{entryName}: path does not have prefix {GoText.Quote(prefix)}");
                continue;
            }

            var name = entryName[prefix.Length..];
            if (name.Length == 0)
            {
                continue; // the "path@version/" directory entry itself
            }

            var isDir = name.EndsWith('/');
            if (isDir)
            {
                name = name[..^1];
            }

            if (!string.Equals(GoPath.Clean(name), name, StringComparison.Ordinal))
            {
                fileErrors.Add($"{entryName}: file path is not clean");
                continue;
            }

            if (PathRules.CheckFilePath(name) is { } pathProblem)
            {
                fileErrors.Add($"{entryName}: {pathProblem}");
                continue;
            }

            if (CheckCollision(collisions, name, isDir) is { } collision)
            {
                fileErrors.Add($"{entryName}: {collision}");
                continue;
            }

            if (isDir)
            {
                continue;
            }

            var baseName = GoPath.Base(name);
            if (string.Equals(baseName, "go.mod", StringComparison.OrdinalIgnoreCase))
            {
                if (!string.Equals(baseName, name, StringComparison.Ordinal))
                {
                    fileErrors.Add($"{entryName}: go.mod file not in module root directory");
                    continue;
                }

                if (name != "go.mod")
                {
                    fileErrors.Add($"{entryName}: go.mod files must have lowercase names");
                    continue;
                }
            }

            if (declaredSize >= 0 && ModuleZipLimits.MaxZipFile - size >= declaredSize)
            {
                size += declaredSize;
            }
            else
            {
                sizeError ??= string.Create(CultureInfo.InvariantCulture,
                    $"total uncompressed size of module contents too large (max size is {ModuleZipLimits.MaxZipFile} bytes)");
            }

            if (name == "go.mod" && declaredSize > ModuleZipLimits.MaxGoMod)
            {
                fileErrors.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{entryName}: go.mod file too large (max size is {ModuleZipLimits.MaxGoMod} bytes)"));
                continue;
            }

            if (name == "LICENSE" && declaredSize > ModuleZipLimits.MaxLicense)
            {
                fileErrors.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{entryName}: LICENSE file too large (max size is {ModuleZipLimits.MaxLicense} bytes)"));
                continue;
            }

            valid.Add(entryName);
        }

        var errors = new List<string>(fileErrors.Count + 1);
        if (sizeError is not null)
        {
            errors.Add(sizeError);
        }

        errors.AddRange(fileErrors.Select(OneLine));
        return new ModuleZipCheck(errors, valid);
    }

    // zip.collisionChecker.check: names are compared after case folding; a path seen as a file may not
    // reappear, in any case, as a file or directory; parents are registered as directories recursively.
    private static string? CheckCollision(Dictionary<string, (string Path, bool IsDir)> seen, string path, bool isDir)
    {
        while (true)
        {
            var fold = CaseFold.Fold(path);
            if (seen.TryGetValue(fold, out var other))
            {
                if (!string.Equals(path, other.Path, StringComparison.Ordinal))
                {
                    return $"case-insensitive file name collision: {GoText.Quote(other.Path)} and {GoText.Quote(path)}";
                }

                if (isDir != other.IsDir)
                {
                    return $"entry {GoText.Quote(path)} is both a file and a directory";
                }

                if (!isDir)
                {
                    return $"multiple entries for file {GoText.Quote(path)}";
                }
            }
            else
            {
                seen[fold] = (path, isDir);
            }

            var parent = GoPath.Dir(path);
            if (parent == ".")
            {
                return null;
            }

            path = parent;
            isDir = true;
        }
    }

    // Entry names may contain control characters; Errors promises one line per problem.
    private static string OneLine(string message) =>
        message.Contains('\n', StringComparison.Ordinal) || message.Contains('\r', StringComparison.Ordinal)
            ? message.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)
            : message;
}
