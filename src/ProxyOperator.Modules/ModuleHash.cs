using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace ProxyOperator.Modules;

/// <summary>
/// The "h1:" hashes recorded in go.sum and served by the checksum database: a port of golang.org/x/mod
/// sumdb/dirhash <c>Hash1</c> and <c>HashZip</c> (https://go.dev/ref/mod#go-sum-files).
/// </summary>
/// <remarks>
/// Hash1 is "h1:" + base64(SHA-256(summary)) where the summary has one line per file, in sorted name order:
/// lowercase-hex SHA-256 of the content, two spaces, the name, a newline — like
/// <c>find . -type f | sort | sha256sum</c>. Only names and contents count, so the zip encoding,
/// compression and timestamps do not. A proxy recomputes it to compare what it serves against go.sum
/// and sum.golang.org.
/// </remarks>
public static class ModuleHash
{
    /// <summary>
    /// dirhash.HashZip with Hash1: hashes every entry of the zip under its full name (directory entries
    /// included, as x/mod does — so adding directory entries changes the hash), streaming each entry.
    /// </summary>
    /// <exception cref="InvalidDataException">The archive cannot be read, or an entry name contains a newline.</exception>
    public static string HashZip(Stream zip)
    {
        ArgumentNullException.ThrowIfNull(zip);
        using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        var byName = IndexEntries(archive);
        var summary = new StringBuilder();
        foreach (var name in SortedNames(archive))
        {
            using var content = byName[name].Open();
            AppendLine(summary, SHA256.HashData(content), name);
        }

        return Finish(summary);
    }

    /// <summary>Asynchronous <see cref="HashZip"/>: entry contents are read asynchronously.</summary>
    public static async Task<string> HashZipAsync(Stream zip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(zip);
        var archive = await ZipArchive.CreateAsync(zip, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken).ConfigureAwait(false);
        await using (archive.ConfigureAwait(false))
        {
            var byName = IndexEntries(archive);
            var summary = new StringBuilder();
            foreach (var name in SortedNames(archive))
            {
                var content = await byName[name].OpenAsync(cancellationToken).ConfigureAwait(false);
                await using (content.ConfigureAwait(false))
                {
                    AppendLine(summary, await SHA256.HashDataAsync(content, cancellationToken).ConfigureAwait(false), name);
                }
            }

            return Finish(summary);
        }
    }

    /// <summary>
    /// The hash of a go.mod file alone, as go.sum's "path version/go.mod h1:..." line holds it:
    /// Hash1 over the single file named "go.mod" (cmd/go modfetch uses <c>dirhash.Hash1([]string{"go.mod"}, ...)</c>).
    /// </summary>
    public static string HashGoMod(ReadOnlySpan<byte> goMod)
    {
        var summary = new StringBuilder();
        AppendLine(summary, SHA256.HashData(goMod), "go.mod");
        return Finish(summary);
    }

    /// <summary>
    /// dirhash.Hash1 over arbitrary named files: <paramref name="open"/> is called once per name, in
    /// sorted order, and the returned stream is disposed after hashing.
    /// </summary>
    /// <exception cref="ArgumentException">A name contains a newline (dirhash refuses those).</exception>
    public static string Hash1(IEnumerable<string> names, Func<string, Stream> open)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(open);
        var sorted = names.ToList();
        sorted.Sort(GoText.CompareCodePoints);
        if (sorted.Any(n => n.Contains('\n', StringComparison.Ordinal)))
        {
            throw new ArgumentException("dirhash: filenames with newlines are not supported", nameof(names));
        }

        var summary = new StringBuilder();
        foreach (var name in sorted)
        {
            using var content = open(name);
            AppendLine(summary, SHA256.HashData(content), name);
        }

        return Finish(summary);
    }

    // dirhash.HashZip maps each name to its zip.File; with duplicate names the last entry wins,
    // and it is hashed once per occurrence.
    private static Dictionary<string, ZipArchiveEntry> IndexEntries(ZipArchive archive)
    {
        var byName = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries)
        {
            byName[entry.FullName] = entry;
        }

        return byName;
    }

    // sort.Strings order: bytes of UTF-8, i.e. code points. Names with newlines are an error in dirhash.
    private static List<string> SortedNames(ZipArchive archive)
    {
        var names = archive.Entries.Select(e => e.FullName).ToList();
        names.Sort(GoText.CompareCodePoints);
        if (names.Any(n => n.Contains('\n', StringComparison.Ordinal)))
        {
            throw new InvalidDataException("dirhash: filenames with newlines are not supported");
        }

        return names;
    }

    private static void AppendLine(StringBuilder summary, byte[] digest, string name) =>
        summary.Append(Convert.ToHexStringLower(digest)).Append("  ").Append(name).Append('\n');

    private static string Finish(StringBuilder summary) =>
        "h1:" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(summary.ToString())));
}
