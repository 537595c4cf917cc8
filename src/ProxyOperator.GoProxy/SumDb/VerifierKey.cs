using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace ProxyOperator.GoProxy.SumDb;

/// <summary>
/// A checksum database's verifier key, <c>NAME+HASH+BASE64</c> as in GOSUMDB, and the signed-note check it makes:
/// a port of golang.org/x/mod/sumdb/note (NewVerifier, Open) for Ed25519, the only algorithm it defines.
/// </summary>
public sealed class VerifierKey
{
    private const byte AlgorithmEd25519 = 1;

    private readonly PublicKey _key;

    private VerifierKey(string name, uint hash, PublicKey key)
    {
        Name = name;
        Hash = hash;
        _key = key;
    }

    public string Name { get; }

    /// <summary>The first four bytes of SHA-256(name, newline, algorithm byte, key): names the key in signatures.</summary>
    public uint Hash { get; }

    public static bool TryParse(string text, [NotNullWhen(true)] out VerifierKey? key, out string error)
    {
        key = null;
        // The name ends at the first '+', the hash at the second; base64 may hold more.
        var parts = text.Split('+', 3);
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length != 8)
        {
            error = "a verifier key is NAME+HASH+KEY (HASH 8 hex digits)";
            return false;
        }

        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            error = "the key part is not base64";
            return false;
        }

        if (blob.Length != 33 || blob[0] != AlgorithmEd25519)
        {
            error = "the key part is not an Ed25519 key (algorithm byte 1 and 32 bytes)";
            return false;
        }

        var hash = KeyHash(parts[0], blob);
        if (!uint.TryParse(parts[1], System.Globalization.NumberStyles.AllowHexSpecifier, null, out var declared) || declared != hash)
        {
            error = $"the key hash {parts[1]} does not match the key ({hash:x8})";
            return false;
        }

        if (!PublicKey.TryImport(SignatureAlgorithm.Ed25519, blob.AsSpan(1), KeyBlobFormat.RawPublicKey, out var publicKey))
        {
            error = "the key is not a valid Ed25519 public key";
            return false;
        }

        key = new VerifierKey(parts[0], hash, publicKey!);
        error = "";
        return true;
    }

    /// <summary>
    /// The text of a signed note when one of its signatures is this key's and verifies; null otherwise. A note is
    /// text ending in a newline, a blank line, then lines <c>— NAME BASE64(hash4 + signature)</c>.
    /// </summary>
    public string? OpenNote(ReadOnlySpan<byte> note)
    {
        var split = note.LastIndexOf("\n\n"u8);
        if (split < 0)
        {
            return null;
        }

        var text = note[..(split + 1)];
        var signatures = Encoding.UTF8.GetString(note[(split + 2)..]);
        var prefix = $"\u2014 {Name} ";
        foreach (var line in signatures.Split('\n'))
        {
            if (!line.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            byte[] signature;
            try
            {
                signature = Convert.FromBase64String(line[prefix.Length..]);
            }
            catch (FormatException)
            {
                continue;
            }

            if (signature.Length == 4 + 64 &&
                BinaryPrimitives.ReadUInt32BigEndian(signature) == Hash &&
                SignatureAlgorithm.Ed25519.Verify(_key, text, signature.AsSpan(4)))
            {
                return Encoding.UTF8.GetString(text);
            }
        }

        return null;
    }

    private static uint KeyHash(string name, byte[] blob)
    {
        var input = new byte[Encoding.UTF8.GetByteCount(name) + 1 + blob.Length];
        var written = Encoding.UTF8.GetBytes(name, input);
        input[written] = (byte)'\n';
        blob.CopyTo(input, written + 1);
        return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(input));
    }
}
