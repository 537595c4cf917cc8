using System.Text;
using ProxyOperator.GoProxy.Caching;
using ProxyOperator.GoProxy.Filters;
using ProxyOperator.GoProxy.Observability;
using ProxyOperator.GoProxy.Protocol;

namespace ProxyOperator.GoProxy.Tests.Filters;

public sealed class FilteredAnswersTests
{
    private static readonly FilterSet Rules = FilterSet.Parse(["example.com/lib@<v1.2.0"], [], out _);

    [Theory]
    [InlineData("example.com/lib/@v/v1.1.info", """{"Version":"v1.1.3","Time":"2024-01-01T00:00:00Z"}""", 403)]
    [InlineData("example.com/lib/@v/main.info", """{"Version":"v1.2.1-0.20240101000000-abcdefabcdef","Time":"2024-01-01T00:00:00Z"}""", 200)]
    [InlineData("example.com/lib/@latest", """{"Version":"v1.1.0","Time":"2024-01-01T00:00:00Z"}""", 403)]
    [InlineData("example.com/lib/@latest", """{"Version":"v1.2.0","Time":"2024-01-01T00:00:00Z"}""", 200)]
    public async Task A_query_or_latest_is_refused_when_it_resolves_into_a_denied_range(string path, string info, int status)
    {
        var request = ProtocolRequest.Parse("/" + path).Request!;
        Assert.Null(FilteredAnswers.RefusalBefore(Rules, request));
        var answer = await FilteredAnswers.AfterAsync(Rules, request, ProxyAnswer.Content(Encoding.UTF8.GetBytes(info), CacheResult.Miss), CancellationToken.None);
        Assert.Equal(status, answer.StatusCode);
    }

    [Fact]
    public async Task A_list_leaves_out_denied_versions()
    {
        var request = ProtocolRequest.Parse("/example.com/lib/@v/list").Request!;
        var answer = await FilteredAnswers.AfterAsync(Rules, request, ProxyAnswer.Content("v1.0.0\nv1.1.9\nv1.2.0\nv2.0.0+incompatible\n"u8.ToArray(), CacheResult.Hit), CancellationToken.None);
        Assert.Equal("v1.2.0\nv2.0.0+incompatible\n", Encoding.UTF8.GetString(answer.Body!));
    }
}
