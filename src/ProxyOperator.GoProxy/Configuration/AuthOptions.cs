using ProxyOperator.GoProxy.Security;

namespace ProxyOperator.GoProxy.Configuration;

public enum AuthType
{
    /// <summary>Anyone who can reach the proxy may use it (the default).</summary>
    None,

    /// <summary><c>user:password</c> lines in <see cref="AuthOptions.UsersFile"/>; the password may be a bcrypt hash.</summary>
    Basic,

    /// <summary>One token per line in <see cref="AuthOptions.TokensFile"/>.</summary>
    Bearer,
}

/// <summary>
/// The <c>auth</c> section: who may download modules. The files are mounted Secrets (the operator mounts them under
/// <c>/var/run/secrets/goproxy/auth</c>, keys <c>users</c> and <c>tokens</c>) and are re-read when they change, so a
/// rotated Secret takes effect without a restart. <c>/healthz</c>, <c>/readyz</c> and <c>/status</c> stay open for
/// probes and the operator; <c>/metrics</c> unless <see cref="ProtectMetrics"/>; <c>/_admin/</c> has its own token.
/// </summary>
public sealed class AuthOptions
{
    public AuthType Type { get; set; } = AuthType.None;

    /// <summary>For <c>basic</c>: <c>user:password</c> per line, password plain or bcrypt (<c>$2a$</c>, <c>$2b$</c>, <c>$2y$</c>).</summary>
    public string? UsersFile { get; set; }

    /// <summary>For <c>bearer</c>: one token per line. The go command sends them as a .netrc password (Basic).</summary>
    public string? TokensFile { get; set; }

    /// <summary>Require credentials on <c>/metrics</c> too (Prometheus then needs them).</summary>
    public bool ProtectMetrics { get; set; }

    internal string? CredentialsFile => Type switch
    {
        AuthType.Basic => UsersFile,
        AuthType.Bearer => TokensFile,
        _ => null,
    };

    /// <summary>What data annotations cannot say; empty when the section is usable.</summary>
    internal IEnumerable<string> Problems()
    {
        var key = Type == AuthType.Basic ? "auth.usersFile" : "auth.tokensFile";
        if (Type == AuthType.None)
        {
            yield break;
        }

        if (string.IsNullOrEmpty(CredentialsFile))
        {
            yield return $"auth.type {Type.ToString().ToLowerInvariant()} needs {key}";
            yield break;
        }

        string? problem;
        try
        {
            var text = File.ReadAllText(CredentialsFile);
            problem = Type == AuthType.Basic ? ClientCredentials.ParseUsers(text).Problem : ClientCredentials.ParseTokens(text).Problem;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            problem = e.Message.ReplaceLineEndings(" ");
        }

        if (problem is not null)
        {
            yield return $"{key} \"{CredentialsFile}\" cannot be used: {problem}";
        }
    }
}
