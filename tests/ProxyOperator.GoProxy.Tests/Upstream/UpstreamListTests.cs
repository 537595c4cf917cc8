using ProxyOperator.GoProxy.Upstream;

namespace ProxyOperator.GoProxy.Tests.Upstream;

public sealed class UpstreamListTests
{
    [Fact]
    public void Separators_set_how_each_proxy_falls_through()
    {
        Assert.True(UpstreamList.TryParse("https://a.example,https://b.example|https://c.example", out var list, out _));
        Assert.Equal(
            [("https://a.example", FallBack.OnNotFound), ("https://b.example", FallBack.OnAnyError), ("https://c.example", FallBack.OnNotFound)],
            list.Proxies.Select(p => (p.DisplayName, p.FallBack)));
    }

    [Fact]
    public void Off_ends_the_chain()
    {
        Assert.True(UpstreamList.TryParse("https://a.example,off,https://never.example", out var list, out _));
        Assert.Single(list.Proxies);
    }

    [Fact]
    public void Base_url_keeps_its_path_for_relative_requests()
    {
        Assert.True(UpstreamList.TryParse("https://artifacts.example/api/go/", out var list, out _));
        Assert.Equal("https://artifacts.example/api/go/example.com/a/@v/list", new Uri(list.Proxies[0].BaseUrl, "example.com/a/@v/list").ToString());
    }

    [Fact]
    public void Credentials_never_appear_in_the_display_name()
    {
        Assert.True(UpstreamList.TryParse("https://user:secret@artifacts.example/go", out var list, out _));
        Assert.DoesNotContain("secret", list.Proxies[0].DisplayName, StringComparison.Ordinal);
        Assert.False(UpstreamList.TryParse("ftp://user:secret@x", out _, out var error));
        Assert.DoesNotContain("secret", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("off")]
    [InlineData("direct")]
    [InlineData("https://a.example,,https://b.example")]
    [InlineData("ftp://a.example")]
    [InlineData("not a url")]
    [InlineData("https://a.example/?q=1")]
    public void Unusable_lists_are_refused_with_a_reason(string value)
    {
        Assert.False(UpstreamList.TryParse(value, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }
}
