using Microsoft.Extensions.Options;

namespace ProxyOperator.Operator.Hosting;

/// <summary>Rejects an unusable configuration at start-up with every reason at once.</summary>
internal sealed class OperatorOptionsValidator : IValidateOptions<OperatorOptions>
{
    public ValidateOptionsResult Validate(string? name, OperatorOptions options)
    {
        var failures = new List<string>();
        if (options.Workers is < 1 or > 256)
        {
            failures.Add($"workers must be between 1 and 256, not {options.Workers}");
        }

        if (!ListenAddress.TryParse(options.Listen, out _, out var listenProblem))
        {
            failures.Add($"listen \"{options.Listen}\": {listenProblem}");
        }

        if (options.Kubeconfig is { Length: > 0 } kubeconfig && !File.Exists(kubeconfig))
        {
            failures.Add($"kubeconfig \"{kubeconfig}\" does not exist");
        }

        if (options.RenewDeadline >= options.LeaseDuration || options.RetryPeriod >= options.RenewDeadline || options.RetryPeriod <= TimeSpan.Zero)
        {
            failures.Add("leader election needs retry period < renew deadline < lease duration");
        }

        if (options.ResyncPeriod <= TimeSpan.Zero)
        {
            failures.Add("resync period must be positive");
        }

        if (options.ProxyStatusTimeout <= TimeSpan.Zero)
        {
            failures.Add("proxy status timeout must be positive");
        }

        if (options.ProxyStatusConcurrency < 1)
        {
            failures.Add($"proxy status concurrency must be at least 1, not {options.ProxyStatusConcurrency}");
        }

        if (options.DiscoveryInterval <= TimeSpan.Zero)
        {
            failures.Add("discovery interval must be positive");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
