using ProxyOperator.GoProxy.Configuration;

namespace ProxyOperator.GoProxy;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        WebApplication app;
        try
        {
            if (CommandLine.Parse(args).Help)
            {
                await Console.Out.WriteLineAsync(CommandLine.Usage).ConfigureAwait(false);
                return 0;
            }

            app = ProxyApplication.Build(args);
        }
        catch (ProxyConfigurationException e)
        {
            await Console.Error.WriteLineAsync($"goproxy: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        await using (app.ConfigureAwait(false))
        {
            try
            {
                await app.RunAsync().ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (ProxyApplication.IsBindFailure(e))
            {
                await Console.Error.WriteLineAsync($"goproxy: cannot listen: {e.Message}").ConfigureAwait(false);
                return 1;
            }
            catch (Microsoft.Extensions.Options.OptionsValidationException e)
            {
                await Console.Error.WriteLineAsync($"goproxy: invalid configuration: {string.Join("; ", e.Failures)}").ConfigureAwait(false);
                return 2;
            }
        }
    }
}
