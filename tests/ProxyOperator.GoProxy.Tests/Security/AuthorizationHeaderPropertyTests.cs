using System.Text;
using CsCheck;
using ProxyOperator.GoProxy.Security;

namespace ProxyOperator.GoProxy.Tests.Security;

/// <summary>The Authorization header parser and the credential check against random and near-miss headers.</summary>
public sealed class AuthorizationHeaderPropertyTests
{
    private static readonly ClientCredentials Users = ClientCredentials.ParseUsers(
        $"alice:secret\nbob:{BCrypt.Net.BCrypt.HashPassword("hunter2", workFactor: 4)}\n");

    private static readonly ClientCredentials Tokens = ClientCredentials.ParseTokens("tok-1\ntok-2\n");

    private static readonly string[] Valid =
    [
        Basic("alice", "secret"), Basic("bob", "hunter2"), "Bearer tok-1", Basic("x", "tok-2"),
    ];

    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    /// <summary>Random text, base64 of random user:password pairs, and mutations of valid headers.</summary>
    private static readonly Gen<string> Headers = Gen.OneOf(
        Gen.String,
        Gen.String[Gen.Char.AlphaNumeric, 0, 20].Select(Gen.String, (scheme, rest) => scheme + " " + rest),
        Gen.String.Select(Gen.String, (u, p) => Basic(u, p)),
        Gen.Int[0, Valid.Length - 1].Select(Gen.Int[0, 80], Gen.Char, (i, at, c) =>
        {
            var valid = Valid[i];
            var position = Math.Min(at, valid.Length - 1);
            return valid[..position] + c + valid[(position + 1)..];
        }),
        Gen.Int[0, Valid.Length - 1].Select(Gen.Int[0, 80], (i, cut) => Valid[i][..Math.Min(cut, Valid[i].Length)]),
        Gen.Const("Basic " + new string('A', 20000)));

    [Fact]
    public void Parse_never_throws_and_nothing_but_a_listed_credential_is_accepted()
    {
        Headers.Sample(header =>
        {
            var presented = AuthorizationHeader.Parse(header);
            var byUsers = Users.Accepts(presented);
            var byTokens = Tokens.Accepts(presented);
            var legitimateUser = presented.Kind == CredentialKind.Basic &&
                ((presented.User, presented.Secret) is ("alice", "secret") or ("bob", "hunter2"));
            var legitimateToken = presented.Kind is CredentialKind.Basic or CredentialKind.Bearer && presented.Secret is "tok-1" or "tok-2";
            return byUsers == legitimateUser && byTokens == legitimateToken;
        }, iter: 20_000);
    }

    [Fact]
    public void Valid_headers_are_accepted_in_any_scheme_case_with_surrounding_spaces()
    {
        Assert.True(Users.Accepts(AuthorizationHeader.Parse("  bAsIc " + Valid[0][6..] + "  ")));
        Assert.True(Users.Accepts(AuthorizationHeader.Parse(Valid[1])));
        Assert.True(Tokens.Accepts(AuthorizationHeader.Parse("bearer tok-1")));
        Assert.True(Tokens.Accepts(AuthorizationHeader.Parse(Valid[3])));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic")]
    [InlineData("Basic ")]
    [InlineData("Basic !!!!")]
    [InlineData("Basic YWxpY2U=")]
    [InlineData("Bearer tok-1, Bearer tok-2")]
    [InlineData("Bearer tok-1 tok-2")]
    [InlineData("Digest tok-1")]
    [InlineData("tok-1")]
    public void Malformed_or_missing_headers_are_refused(string? header)
    {
        var presented = AuthorizationHeader.Parse(header);
        Assert.False(Users.Accepts(presented));
        Assert.False(Tokens.Accepts(presented));
    }

    [Fact]
    public void A_basic_user_is_not_accepted_with_another_users_password_nor_a_token_as_a_user()
    {
        Assert.False(Users.Accepts(AuthorizationHeader.Parse(Basic("bob", "secret"))));
        Assert.False(Users.Accepts(AuthorizationHeader.Parse(Basic("alice", "hunter2"))));
        Assert.False(Users.Accepts(AuthorizationHeader.Parse(Basic("carol", ""))));
        Assert.False(Tokens.Accepts(AuthorizationHeader.Parse(Basic("tok-1", ""))));
        Assert.False(Users.Accepts(AuthorizationHeader.Parse("Bearer secret")));
    }
}
