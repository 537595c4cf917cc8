using ProxyOperator.GoProxy.Configuration;

namespace ProxyOperator.GoProxy.Tests.Eviction;

/// <summary>storage.maxSize takes what the operator passes through: a Kubernetes quantity, or plain bytes.</summary>
public sealed class MaxSizeTests
{
    [Theory]
    [InlineData("1000", 1000L)]
    [InlineData("40Gi", 40L << 30)]
    [InlineData("512Mi", 512L << 20)]
    [InlineData("1.5Ki", 1536L)]
    [InlineData("500M", 500_000_000L)]
    [InlineData("2k", 2000L)]
    [InlineData("1e9", 1_000_000_000L)]
    [InlineData("1Ti", 1L << 40)]
    public void Quantity_is_read_as_bytes(string text, long expected)
    {
        Assert.True(ByteQuantity.TryParse(text, out var bytes, out var error), error);
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("40GB")]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("Gi")]
    [InlineData("10 Gi")]
    [InlineData("9999999Ei")]
    public void Unusable_size_is_refused_with_a_reason(string text)
    {
        Assert.False(ByteQuantity.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Invalid_max_size_fails_validation_with_the_key_named()
    {
        var options = new ProxyOptions { Storage = new StorageOptions { MaxSize = "forty gigs" } };
        var result = new ProxyOptionsSyntaxValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("storage.maxSize:", StringComparison.Ordinal));
    }
}
