using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace ProxyOperator.GoProxy.SumDb;

/// <summary>A signed tree head: the size of the log and the root hash of its Merkle tree.</summary>
public sealed record TreeHead(long Size, byte[] Root);

/// <summary>
/// The checksum database's Merkle tree, a port of what golang.org/x/mod/sumdb/tlog needs to check that a record is
/// in a signed tree: record and node hashes (RFC 6962 with Go's layout), tiles of height 8, tree notes and lookup
/// answers.
/// </summary>
public static class TransparencyLog
{
    /// <summary>sum.golang.org and the go command use tiles of height 8 (256 hashes wide).</summary>
    public const int TileHeight = 8;

    private const string TreePrefix = "go.sum database tree\n";

    public static byte[] RecordHash(ReadOnlySpan<byte> data)
    {
        var input = new byte[data.Length + 1];
        data.CopyTo(input.AsSpan(1));
        return SHA256.HashData(input);
    }

    public static byte[] NodeHash(byte[] left, byte[] right)
    {
        var input = new byte[65];
        input[0] = 1;
        left.CopyTo(input, 1);
        right.CopyTo(input, 33);
        return SHA256.HashData(input);
    }

    /// <summary>tlog.ParseTree: "go.sum database tree", the size, the base64 root hash, one per line.</summary>
    public static TreeHead? ParseTree(string text)
    {
        if (!text.StartsWith(TreePrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var lines = text.Split('\n');
        if (lines.Length < 4 || !long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            return null;
        }

        try
        {
            var root = Convert.FromBase64String(lines[2]);
            return root.Length == 32 ? new TreeHead(size, root) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>tlog.ParseRecord: the record id line, the record text (ending in a newline), a blank line, the signed tree note.</summary>
    public static (long Id, byte[] Text, byte[] TreeNote)? ParseLookup(byte[] body)
    {
        var span = body.AsSpan();
        var newline = span.IndexOf((byte)'\n');
        if (newline < 0 || !long.TryParse(Encoding.ASCII.GetString(span[..newline]), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        var rest = span[(newline + 1)..];
        var end = rest.IndexOf("\n\n"u8);
        return end < 0 ? null : (id, rest[..(end + 1)].ToArray(), rest[(end + 2)..].ToArray());
    }

    /// <summary>The tile path <c>tile/8/L/N[.p/W]</c>, with N in Go's x001/x234/067 form.</summary>
    public static string TilePath(int level, long index, int width)
    {
        var n = (index % 1000).ToString("000", CultureInfo.InvariantCulture);
        for (var rest = index / 1000; rest > 0; rest /= 1000)
        {
            n = $"x{rest % 1000:000}/{n}";
        }

        var full = 1 << TileHeight;
        return width == full ? $"tile/{TileHeight}/{level}/{n}" : $"tile/{TileHeight}/{level}/{n}.p/{width}";
    }

    /// <summary>
    /// Whether the record <paramref name="id"/> with text <paramref name="record"/> is in the tree
    /// <paramref name="tree"/>: recomputes the root from the record's own hash and the hashes of the complete
    /// subtrees beside its path, read from tiles. The tiles need not be trusted: only a true proof yields the signed
    /// root (what tlog.ProveRecord and CheckRecord establish together).
    /// </summary>
    public static async Task<bool> ContainsAsync(
        TreeHead tree,
        long id,
        byte[] record,
        Func<string, CancellationToken, Task<byte[]?>> readTile,
        CancellationToken cancellationToken)
    {
        if (id < 0 || id >= tree.Size)
        {
            return false;
        }

        var reader = new TileReader(tree.Size, readTile);
        var leaf = RecordHash(record);
        var root = await SubtreeAsync(0, tree.Size).ConfigureAwait(false);
        return root is not null && CryptographicOperations.FixedTimeEquals(root, tree.Root);

        async Task<byte[]?> SubtreeAsync(long lo, long hi)
        {
            var size = hi - lo;
            var containsLeaf = lo <= id && id < hi;
            if (!containsLeaf && BitOperations.IsPow2(size))
            {
                var level = BitOperations.Log2((ulong)size);
                return await reader.HashAsync(level, lo >> level, cancellationToken).ConfigureAwait(false);
            }

            if (size == 1)
            {
                return leaf;
            }

            var split = 1L << BitOperations.Log2((ulong)(size - 1));
            var left = await SubtreeAsync(lo, lo + split).ConfigureAwait(false);
            var right = left is null ? null : await SubtreeAsync(lo + split, hi).ConfigureAwait(false);
            return right is null ? null : NodeHash(left!, right);
        }
    }

    /// <summary>Hashes of complete subtrees, from the tiles of one tree size; each tile is read once.</summary>
    private sealed class TileReader(long treeSize, Func<string, CancellationToken, Task<byte[]?>> readTile)
    {
        private readonly Dictionary<string, byte[]?> _tiles = new(StringComparer.Ordinal);

        public async Task<byte[]?> HashAsync(int level, long index, CancellationToken cancellationToken)
        {
            if (level % TileHeight != 0)
            {
                // Tiles store only their bottom row; the levels inside a tile are recomputed from it.
                var left = await HashAsync(level - 1, 2 * index, cancellationToken).ConfigureAwait(false);
                var right = left is null ? null : await HashAsync(level - 1, (2 * index) + 1, cancellationToken).ConfigureAwait(false);
                return right is null ? null : NodeHash(left!, right);
            }

            var tileLevel = level / TileHeight;
            var full = 1L << TileHeight;
            var count = treeSize >> level;
            var tile = index / full;
            var width = (int)Math.Min(full, count - (tile * full));
            var path = TilePath(tileLevel, tile, width);
            if (!_tiles.TryGetValue(path, out var data))
            {
                data = await readTile(path, cancellationToken).ConfigureAwait(false);
                _tiles[path] = data is not null && data.Length == width * 32 ? data : null;
                data = _tiles[path];
            }

            var position = (int)(index % full);
            return data?.AsSpan(position * 32, 32).ToArray();
        }
    }
}
