using Microsoft.Extensions.Options;
using ProxyOperator.GoProxy.Upstream;

namespace ProxyOperator.GoProxy.Configuration;

/// <summary>Checks the data annotations on <see cref="ProxyOptions"/> without reflection.</summary>
[OptionsValidator]
internal sealed partial class ProxyOptionsValidator : IValidateOptions<ProxyOptions>;

/// <summary>Rules that annotations cannot say: the upstream chain's syntax and the listen address.</summary>
internal sealed class ProxyOptionsSyntaxValidator : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        var failures = new List<string>();
        if (!ListenAddress.TryParse(options.Listen, out _, out var listenError))
        {
            failures.Add(listenError);
        }

        if (!options.Offline && !UpstreamList.TryParse(options.Upstream, out _, out var upstreamError))
        {
            failures.Add(upstreamError);
        }

        if (options.UpstreamClient.MaxBackoff < options.UpstreamClient.InitialBackoff)
        {
            failures.Add("upstreamClient.maxBackoff must not be shorter than upstreamClient.initialBackoff");
        }

        failures.AddRange(options.Lock.Problems());
        failures.AddRange(options.Storage.Problems());
        failures.AddRange(options.Admin.Problems());
        failures.AddRange(options.Auth.Problems());
        failures.AddRange(options.Tls.Problems());
        failures.AddRange(options.SumDb.Problems());
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
