using System.Text;

namespace ProxyOperator.GoProxy.Security;

public enum CredentialKind
{
    /// <summary>No Authorization header, or an empty one.</summary>
    None,

    /// <summary>A header we cannot read: unknown scheme, bad base64, no colon, invalid UTF-8.</summary>
    Malformed,

    Basic,

    Bearer,
}

/// <summary>What a client presented; <see cref="User"/> is set for Basic only. Never logged.</summary>
public readonly record struct PresentedCredential(CredentialKind Kind, string User, string Secret)
{
    public static PresentedCredential None { get; } = new(CredentialKind.None, "", "");

    public static PresentedCredential Malformed { get; } = new(CredentialKind.Malformed, "", "");

    public override string ToString() => Kind.ToString();
}

/// <summary>
/// Parses an <c>Authorization</c> header (RFC 9110 §11.6.2): <c>Basic base64(user:password)</c> (RFC 7617) or
/// <c>Bearer token</c> (RFC 6750). Total: never throws, whatever the input.
/// </summary>
public static class AuthorizationHeader
{
    /// <summary>Headers longer than this are not credentials anyone issues; refusing them bounds the work.</summary>
    private const int MaxLength = 8192;

    public static PresentedCredential Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return PresentedCredential.None;
        }

        if (header.Length > MaxLength)
        {
            return PresentedCredential.Malformed;
        }

        var text = header.AsSpan().Trim(' ');
        var space = text.IndexOf(' ');
        if (space <= 0)
        {
            return PresentedCredential.Malformed;
        }

        var scheme = text[..space];
        var value = text[(space + 1)..].Trim(' ');
        if (value.IsEmpty || value.ContainsAny(' ', '\t', ','))
        {
            // One credential per header; a list (token68 never contains a space or comma) is not ours to guess at.
            return PresentedCredential.Malformed;
        }

        if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return new PresentedCredential(CredentialKind.Bearer, "", value.ToString());
        }

        if (!scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return PresentedCredential.Malformed;
        }

        var bytes = new byte[(value.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64Chars(value, bytes, out var written))
        {
            return PresentedCredential.Malformed;
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, written);
        }
        catch (ArgumentException)
        {
            return PresentedCredential.Malformed;
        }

        // RFC 7617: the user name cannot contain a colon; the password may.
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? PresentedCredential.Malformed : new PresentedCredential(CredentialKind.Basic, decoded[..colon], decoded[(colon + 1)..]);
    }
}
