namespace ProxyOperator.Modules.Tests;

/// <summary>
/// The "!" case encoding of https://go.dev/ref/mod#goproxy-protocol, with vectors from golang.org/x/mod
/// module/module_test.go (escapeTests, badUnescape).
/// </summary>
public sealed class CaseEncodingTests
{
    [Theory]
    [InlineData("Upper", "!upper")]
    [InlineData("github.com/GoogleCloudPlatform/omega", "github.com/!google!cloud!platform/omega")]
    [InlineData("github.com/Azure/azure-sdk-for-go", "github.com/!azure/azure-sdk-for-go")]
    [InlineData("github.com/Sirupsen/logrus", "github.com/!sirupsen/logrus")]
    [InlineData("ascii.com/abcdefghijklmnopqrstuvwxyz.-/~_0123456789", "ascii.com/abcdefghijklmnopqrstuvwxyz.-/~_0123456789")]
    [InlineData("v1.0.0-RC1", "v1.0.0-!r!c1")]
    [InlineData("ABC", "!a!b!c")]
    [InlineData("", "")]
    public void Uppercase_letters_escape_to_bang_lowercase(string value, string escaped)
    {
        Assert.True(CaseEncoding.TryEscape(value, out var got));
        Assert.Equal(escaped, got);
        Assert.True(CaseEncoding.TryUnescape(escaped, out var back));
        Assert.Equal(value, back);
    }

    [Theory]
    [InlineData("has!bang")]
    [InlineData("!")]
    [InlineData("unicodé")]
    public void Escaping_refuses_bangs_and_non_ascii(string value)
    {
        Assert.False(CaseEncoding.TryEscape(value, out var escaped));
        Assert.Null(escaped);
    }

    [Theory]
    [InlineData("github.com/GoogleCloudPlatform/omega")]
    [InlineData("github.com/!google!cloud!platform!/omega")]
    [InlineData("github.com/!0google!cloud!platform/omega")]
    [InlineData("github.com/!_google!cloud!platform/omega")]
    [InlineData("github.com/!!google!cloud!platform/omega")]
    [InlineData("trailing!")]
    [InlineData("!A")]
    [InlineData("é")]
    public void Unescaping_refuses_raw_uppercase_and_dangling_bangs(string escaped)
    {
        Assert.False(CaseEncoding.TryUnescape(escaped, out var value));
        Assert.Null(value);
    }

    [Theory]
    [InlineData("v1.0.0", "v1.0.0")]
    [InlineData("v1.0.0-RC1", "v1.0.0-!r!c1")]
    [InlineData("master", "master")]
    [InlineData("Branch", "!branch")]
    public void Versions_escape_when_they_are_valid_file_names(string version, string escaped)
    {
        Assert.True(CaseEncoding.TryEscapeVersion(version, out var got));
        Assert.Equal(escaped, got);
        Assert.True(CaseEncoding.TryUnescapeVersion(escaped, out var back));
        Assert.Equal(version, back);
    }

    [Theory]
    [InlineData("v1.0.0!")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("v1.")]
    [InlineData("")]
    [InlineData("com1")]
    [InlineData("v1*")]
    public void Versions_that_are_not_file_names_do_not_escape(string version)
    {
        Assert.False(CaseEncoding.TryEscapeVersion(version, out _));
    }

    [Theory]
    [InlineData("a!/b")]
    [InlineData("..")]
    [InlineData("nul")]
    public void Escaped_versions_that_decode_to_bad_file_names_are_rejected(string escaped)
    {
        Assert.False(CaseEncoding.TryUnescapeVersion(escaped, out var version));
        Assert.Null(version);
    }
}
