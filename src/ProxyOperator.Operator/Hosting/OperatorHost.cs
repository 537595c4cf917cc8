using System.Reflection;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;
using ProxyOperator.Operator.Reconciliation;
using ProxyOperator.Operator.Status;

namespace ProxyOperator.Operator.Hosting;

/// <summary>Builds the operator's web application; used by <see cref="Program"/> and by tests that host it in-process.</summary>
public static class OperatorHost
{
    public const string EnvironmentPrefix = "PROXY_OPERATOR_";

    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        ["--kubeconfig"] = nameof(OperatorOptions.Kubeconfig),
        ["--namespace"] = nameof(OperatorOptions.Namespace),
        ["--workers"] = nameof(OperatorOptions.Workers),
        ["--leader-elect"] = nameof(OperatorOptions.LeaderElect),
        ["--lease-namespace"] = nameof(OperatorOptions.LeaseNamespace),
        ["--proxy-image"] = nameof(OperatorOptions.ProxyImage),
        ["--listen"] = nameof(OperatorOptions.Listen),
        ["--resync-period"] = nameof(OperatorOptions.ResyncPeriod),
        ["--discovery-interval"] = nameof(OperatorOptions.DiscoveryInterval),
        ["--proxy-status-timeout"] = nameof(OperatorOptions.ProxyStatusTimeout),
        ["--proxy-status-concurrency"] = nameof(OperatorOptions.ProxyStatusConcurrency),
        ["--lease-duration"] = nameof(OperatorOptions.LeaseDuration),
        ["--renew-deadline"] = nameof(OperatorOptions.RenewDeadline),
        ["--retry-period"] = nameof(OperatorOptions.RetryPeriod),
    };

    public static string Usage { get; } =
        "usage: proxy-operator [--kubeconfig PATH] [--namespace NS] [--workers N] [--leader-elect true|false]\n" +
        "                      [--lease-namespace NS] [--proxy-image IMAGE] [--listen HOST:PORT]\n" +
        "                      [--resync-period 00:00:30] [--discovery-interval 00:00:30]\n" +
        "                      [--proxy-status-timeout 00:00:02] [--proxy-status-concurrency 16]\n" +
        "                      [--lease-duration 00:00:15] [--renew-deadline 00:00:10] [--retry-period 00:00:02]\n" +
        "Every flag can also be set as a " + EnvironmentPrefix + "* variable (" + EnvironmentPrefix + "WORKERS=4).";

    public static string Version { get; } =
        typeof(OperatorHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Builds the host from flags and <c>PROXY_OPERATOR_</c> variables.</summary>
    /// <exception cref="OptionsValidationException">the options are unusable; the failures say why.</exception>
    /// <exception cref="FormatException">a flag is malformed or unknown.</exception>
    public static WebApplication Build(IReadOnlyList<string> args, Action<IServiceCollection>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal) && !Flags.ContainsKey(arg.Split('=')[0]))
            {
                throw new FormatException($"unknown flag {arg.Split('=')[0]}\n{Usage}");
            }
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        var configuration = builder.Configuration;
        configuration.Sources.Clear();
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        });
        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        configuration.AddCommandLine([.. args], Flags);

        var options = new OperatorOptions();
        configuration.Bind(options);
        var validation = new OperatorOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(OperatorOptions), validation.Failures);
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            console.UseUtcTimestamp = true;
        });

        var listen = ListenAddress.TryParse(options.Listen, out var parsed, out _) ? parsed : throw new InvalidOperationException("validated above");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(listen.Address, listen.Port);
        });

        var services = builder.Services;
        services.AddOptions<OperatorOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OperatorOptions>, OperatorOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<OperatorMetrics>();
        services.AddSingleton<OperatorState>();
        services.AddSingleton<IKubernetes>(_ => new Kubernetes(ClientConfiguration(options)));
        // Replaceable (tests point pods at proxies on 127.0.0.1 through the poller's address seam).
        services.AddSingleton(sp => new ProxyStatusPoller(
            new ProxyStatusPollerOptions { Timeout = options.ProxyStatusTimeout, MaxConcurrency = options.ProxyStatusConcurrency },
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new GoModuleProxyReconciler(
            sp.GetRequiredService<IKubernetes>(),
            new ReconcilerOptions { ProxyImage = options.ProxyImage, DiscoveryInterval = options.DiscoveryInterval },
            sp.GetRequiredService<ILogger<GoModuleProxyReconciler>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ProxyStatusPoller>()));
        services.AddHostedService<OperatorService>();
        configureServices?.Invoke(services);

        var app = builder.Build();
        var metrics = app.Services.GetRequiredService<OperatorMetrics>();
        var state = app.Services.GetRequiredService<OperatorState>();
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", () => state.IsReady ? Results.Text("ok\n") : Results.Text("informers not synced\n", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapMetrics("/metrics", metrics.Registry);
        return app;
    }

    /// <summary>An explicit kubeconfig, else $KUBECONFIG or ~/.kube/config, else the in-cluster service account.</summary>
    private static KubernetesClientConfiguration ClientConfiguration(OperatorOptions options) =>
        options.Kubeconfig is { Length: > 0 } path
            ? KubernetesClientConfiguration.BuildConfigFromConfigFile(path)
            : KubernetesClientConfiguration.BuildDefaultConfig();
}
