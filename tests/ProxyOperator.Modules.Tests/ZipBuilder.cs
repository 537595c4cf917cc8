using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ProxyOperator.Modules.Tests;

/// <summary>Builds small zip archives in memory for the zip check and hash tests.</summary>
internal static class ZipBuilder
{
    /// <summary>A zip whose entries are written in order; a name ending in '/' becomes a directory entry.</summary>
    internal static MemoryStream Build(params (string Name, string Content)[] entries)
    {
        var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = archive.CreateEntry(name, CompressionLevel.Fastest);
                if (!name.EndsWith('/'))
                {
                    using var stream = entry.Open();
                    stream.Write(Encoding.UTF8.GetBytes(content));
                }
            }
        }

        buffer.Position = 0;
        return buffer;
    }

    /// <summary>A zip with one entry of <paramref name="size"/> zero bytes (deflate shrinks it to almost nothing).</summary>
    internal static MemoryStream BuildZeros(string name, long size, params (string Name, string Content)[] others)
    {
        var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (otherName, content) in others)
            {
                using var otherStream = archive.CreateEntry(otherName, CompressionLevel.Fastest).Open();
                otherStream.Write(Encoding.UTF8.GetBytes(content));
            }

            using var stream = archive.CreateEntry(name, CompressionLevel.Optimal).Open();
            var chunk = new byte[1 << 20];
            for (var left = size; left > 0; left -= chunk.Length)
            {
                stream.Write(chunk, 0, (int)Math.Min(chunk.Length, left));
            }
        }

        buffer.Position = 0;
        return buffer;
    }

    /// <summary>
    /// Rewrites the uncompressed size that the central directory declares for <paramref name="entryName"/>,
    /// as a hostile or broken zip would, without touching the data.
    /// </summary>
    internal static MemoryStream WithDeclaredSize(MemoryStream zip, string entryName, uint declaredSize)
    {
        var bytes = zip.ToArray();
        var nameBytes = Encoding.UTF8.GetBytes(entryName);
        for (var i = 0; i + 46 <= bytes.Length; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i)) != 0x02014b50)
            {
                continue;
            }

            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i + 28));
            if (bytes.AsSpan(i + 46, nameLength).SequenceEqual(nameBytes))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 24), declaredSize);
                return new MemoryStream(bytes, writable: false);
            }
        }

        throw new InvalidOperationException($"no central directory entry for {entryName}");
    }

    /// <summary>Re-creates <paramref name="zip"/> with extra directory entries in front, keeping every file's name and content.</summary>
    internal static MemoryStream RepackWithDirectories(Stream zip, params string[] directories)
    {
        var buffer = new MemoryStream();
        using (var source = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true))
        using (var target = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var directory in directories)
            {
                target.CreateEntry(directory);
            }

            foreach (var entry in source.Entries)
            {
                using var from = entry.Open();
                using var to = target.CreateEntry(entry.FullName, CompressionLevel.SmallestSize).Open();
                from.CopyTo(to);
            }
        }

        buffer.Position = 0;
        return buffer;
    }
}
