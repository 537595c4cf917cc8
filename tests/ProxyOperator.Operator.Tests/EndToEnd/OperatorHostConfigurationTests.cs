using Microsoft.Extensions.Options;
using ProxyOperator.Operator.Hosting;

namespace ProxyOperator.Operator.Tests.EndToEnd;

/// <summary>The host refuses an unusable configuration before it starts, saying why.</summary>
public sealed class OperatorHostConfigurationTests
{
    [Fact]
    public void Invalid_options_are_all_reported_at_start()
    {
        var e = Assert.Throws<OptionsValidationException>(() => OperatorHost.Build(["--workers", "0", "--listen", "nowhere", "--kubeconfig", "/does/not/exist"]));

        Assert.Contains(e.Failures, f => f.Contains("workers", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.Contains("listen", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.Contains("/does/not/exist", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_flag_is_refused_with_the_usage()
    {
        var e = Assert.Throws<FormatException>(() => OperatorHost.Build(["--worker", "2"]));

        Assert.Contains("--worker", e.Message, StringComparison.Ordinal);
        Assert.Contains("usage:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Leader_election_timings_must_nest()
    {
        var e = Assert.Throws<OptionsValidationException>(() => OperatorHost.Build(["--lease-duration", "00:00:05", "--renew-deadline", "00:00:10"]));

        Assert.Contains(e.Failures, f => f.Contains("leader election", StringComparison.Ordinal));
    }
}
