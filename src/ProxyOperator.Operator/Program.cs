using Microsoft.Extensions.Options;
using ProxyOperator.Operator.Hosting;

namespace ProxyOperator.Operator;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            await Console.Out.WriteLineAsync(OperatorHost.Usage).ConfigureAwait(false);
            return 0;
        }

        WebApplication app;
        try
        {
            app = OperatorHost.Build(args);
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"proxy-operator: {e.Message}").ConfigureAwait(false);
            return 2;
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync($"proxy-operator: invalid configuration: {string.Join("; ", e.Failures)}").ConfigureAwait(false);
            return 2;
        }

        await using (app.ConfigureAwait(false))
        {
            await app.RunAsync().ConfigureAwait(false);
        }

        // Non-zero when leadership was lost (set by the operator service), so the kubelet restarts the container.
        return Environment.ExitCode;
    }
}
