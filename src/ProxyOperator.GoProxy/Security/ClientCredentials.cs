using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace ProxyOperator.GoProxy.Security;

/// <summary>
/// The credentials of one version of the users or tokens file, and the check of what a client presents against them.
/// Comparisons are of SHA-256 hashes with <see cref="CryptographicOperations.FixedTimeEquals"/>, over every entry
/// without an early exit, so timing says neither which part of a secret matched nor which entry did.
/// </summary>
public sealed class ClientCredentials
{
    /// <summary>Bound on remembered bcrypt successes: each check costs tens of milliseconds, and go sends many requests.</summary>
    private const int VerifiedCacheLimit = 1024;

    private readonly IReadOnlyList<UserEntry> _users;
    private readonly IReadOnlyList<byte[]> _tokenHashes;
    private readonly ConcurrentDictionary<string, bool> _verifiedBcrypt = new(StringComparer.Ordinal);

    private ClientCredentials(IReadOnlyList<UserEntry> users, IReadOnlyList<byte[]> tokenHashes)
    {
        _users = users;
        _tokenHashes = tokenHashes;
    }

    /// <summary>Set when the text was unusable; the message never quotes a line, which may hold a secret.</summary>
    public string? Problem { get; private init; }

    public int Count => _users.Count + _tokenHashes.Count;

    /// <summary><c>user:password</c> lines; blank lines and lines starting with <c>#</c> are skipped.</summary>
    public static ClientCredentials ParseUsers(string text)
    {
        var users = new List<UserEntry>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == line.Length - 1)
            {
                return Invalid($"line {lineNumber} is not user:password");
            }

            var user = line[..colon];
            var password = line[(colon + 1)..];
            var bcrypt = IsBcrypt(password);
            if (password.StartsWith("$2", StringComparison.Ordinal) && !bcrypt)
            {
                return Invalid($"line {lineNumber} has a malformed bcrypt hash");
            }

            users.Add(new UserEntry(Hash(user), bcrypt ? password : null, bcrypt ? null : Hash(password)));
        }

        return users.Count == 0 ? Invalid("no users") : new ClientCredentials(users, []);
    }

    /// <summary>One token per line; blank lines and lines starting with <c>#</c> are skipped.</summary>
    public static ClientCredentials ParseTokens(string text)
    {
        var tokens = text.Split('\n').Select(l => l.TrimEnd('\r').Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        if (tokens.Count == 0)
        {
            return Invalid("no tokens");
        }

        return tokens.Any(t => t.Any(char.IsWhiteSpace) || t.Contains(',', StringComparison.Ordinal))
            ? Invalid("a token contains white space or a comma")
            : new ClientCredentials([], tokens.Select(Hash).ToList());
    }

    /// <summary>
    /// True when <paramref name="presented"/> is a listed user with the right password, or a listed token, sent as
    /// <c>Bearer TOKEN</c> or as the password of Basic with any user name (how the go command sends a .netrc entry).
    /// </summary>
    public bool Accepts(PresentedCredential presented)
    {
        if (Problem is not null)
        {
            return false;
        }

        if (_tokenHashes.Count > 0)
        {
            return presented.Kind is CredentialKind.Bearer or CredentialKind.Basic && MatchesAny(Hash(presented.Secret), _tokenHashes);
        }

        return presented.Kind == CredentialKind.Basic && AcceptsUser(presented.User, presented.Secret);
    }

    private bool AcceptsUser(string user, string password)
    {
        var userHash = Hash(user);
        var passwordHash = Hash(password);
        UserEntry? found = null;
        var plainMatch = false;
        foreach (var entry in _users)
        {
            // No early exit: every entry costs the same, so timing does not tell which user names exist.
            var isUser = CryptographicOperations.FixedTimeEquals(userHash, entry.UserHash);
            if (isUser)
            {
                found = entry;
            }

            plainMatch |= isUser && entry.PasswordHash is not null && CryptographicOperations.FixedTimeEquals(passwordHash, entry.PasswordHash);
        }

        if (found is not { BcryptHash: { } bcrypt })
        {
            return plainMatch;
        }

        // Remembered by a hash of user, password and stored hash: never the password itself.
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{user}\0{password}\0{bcrypt}")));
        if (_verifiedBcrypt.ContainsKey(key))
        {
            return true;
        }

        bool verified;
        try
        {
            verified = BCrypt.Net.BCrypt.Verify(password, bcrypt);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            verified = false;
        }

        if (verified)
        {
            if (_verifiedBcrypt.Count >= VerifiedCacheLimit)
            {
                _verifiedBcrypt.Clear();
            }

            _verifiedBcrypt[key] = true;
        }

        return verified;
    }

    private static bool MatchesAny(byte[] given, IReadOnlyList<byte[]> expected)
    {
        var match = false;
        foreach (var hash in expected)
        {
            match |= CryptographicOperations.FixedTimeEquals(given, hash);
        }

        return match;
    }

    private static bool IsBcrypt(string password) =>
        password.Length == 60 && password[0] == '$' && password[1] == '2' && password[2] is 'a' or 'b' or 'y' && password[3] == '$';

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));

    private static ClientCredentials Invalid(string problem) => new([], []) { Problem = problem };

    private sealed record UserEntry(byte[] UserHash, string? BcryptHash, byte[]? PasswordHash);
}
