using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;
using ProxyOperator.GoProxy.Admin;
using ProxyOperator.GoProxy.Caching;
using ProxyOperator.GoProxy.Caching.Locks;
using ProxyOperator.GoProxy.Configuration;
using ProxyOperator.GoProxy.Filters;
using ProxyOperator.GoProxy.Health;
using ProxyOperator.GoProxy.Private;
using ProxyOperator.GoProxy.Observability;
using ProxyOperator.GoProxy.Protocol;
using ProxyOperator.GoProxy.Security;
using ProxyOperator.GoProxy.Storage;
using ProxyOperator.GoProxy.Storage.Disk;
using ProxyOperator.GoProxy.Storage.Eviction;
using ProxyOperator.GoProxy.Storage.S3;
using ProxyOperator.GoProxy.SumDb;
using ProxyOperator.GoProxy.Upstream;

namespace ProxyOperator.GoProxy;

/// <summary>Builds the proxy's web application; used by <see cref="Program"/> and by tests that host it in-process.</summary>
public static class ProxyApplication
{
    public const string EnvironmentPrefix = "PROXYOP_";

    /// <summary>Builds the application from flags, the YAML file they name, and <c>PROXYOP_</c> variables.</summary>
    /// <exception cref="ProxyConfigurationException">the configuration is unusable; the message says why.</exception>
    public static WebApplication Build(IReadOnlyList<string> args, Action<IServiceCollection>? configureServices = null)
    {
        var commandLine = CommandLine.Parse(args);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });

        // Only our sources: the defaults of CreateSlimBuilder read every environment variable and appsettings.json.
        var configuration = builder.Configuration;
        configuration.Sources.Clear();
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            // HttpClient logs full request URLs, which may carry upstream credentials.
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        });
        if (commandLine.ConfigFile is { } file)
        {
            if (!File.Exists(file))
            {
                throw new ProxyConfigurationException($"configuration file \"{file}\" does not exist");
            }

            try
            {
                configuration.AddYamlFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or IOException or UnauthorizedAccessException)
            {
                throw new ProxyConfigurationException($"configuration file \"{file}\" cannot be read: {OneLine(e)}");
            }
        }

        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        configuration.AddInMemoryCollection(commandLine.Values);

        var options = BindAndValidate(configuration);
        ConfigureLogging(builder.Logging, configuration, options);
        var listen = ListenAddress.TryParse(options.Listen, out var address, out _) ? address : throw new UnreachableException();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            HttpsListeners.Configure(kestrel, listen, options.Tls);
        });

        var services = builder.Services;
        services.AddOptions<ProxyOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProxyOptions>, ProxyOptionsValidator>();
        services.AddSingleton<IValidateOptions<ProxyOptions>, ProxyOptionsSyntaxValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ProxyMetrics>();
        var (moduleStore, storeLocation) = OpenStore(options);
        services.AddSingleton(moduleStore);
        if (options.Storage.MaxBytes is not null && moduleStore is not IStoreMaintenance)
        {
            throw new ProxyConfigurationException($"storage.maxSize is set, but the {moduleStore.Kind} store cannot evict");
        }

        services.AddSingleton<NotFoundCache>();
        services.AddSingleton<UpstreamHealth>();
        services.AddSingleton<StorageHealth>();
        services.AddSingleton<StatusBuilder>();
        services.AddSingleton<ServerCertificates>();
        services.AddFetchLock(options.Lock);
        services.AddSingleton<ModuleSource>();
        services.AddSingleton<PrivateModuleFetcher>();
        services.AddSingleton<ModuleFilter>();
        services.AddHostedService(sp => sp.GetRequiredService<ModuleFilter>());
        services.AddSingleton<SumDbClient>();
        services.AddSingleton<ChecksumVerifier>();
        services.AddSingleton<StoreActivity>();
        services.AddSingleton<EvictionService>();
        services.AddHostedService(sp => sp.GetRequiredService<EvictionService>());
        services.AddHttpClient<UpstreamChain>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                ConnectTimeout = options.UpstreamClient.ConnectTimeout,
                AutomaticDecompression = System.Net.DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AllowAutoRedirect = true,
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddSingleton(sp => sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(UpstreamChain)));
        services.AddRouting();
        configureServices?.Invoke(services);

        var app = builder.Build();
        // Resolved now so that /status counts uptime from start-up, not from the first request.
        _ = app.Services.GetRequiredService<StatusBuilder>();
        // Resolved now so that bad filter rules or private-module credentials stop start-up with their reason.
        _ = app.Services.GetRequiredService<ModuleFilter>();
        _ = app.Services.GetRequiredService<PrivateModuleFetcher>();
        var metrics = app.Services.GetRequiredService<ProxyMetrics>();
        var store = app.Services.GetRequiredService<IModuleStore>();
        metrics.Registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            try
            {
                var usage = await store.GetUsageAsync(cancellationToken).ConfigureAwait(false);
                metrics.CachedArtifacts.Set(usage.Artifacts);
                metrics.CachedBytes.Set(usage.Bytes);
            }
            catch (StorageFailureException)
            {
                // goproxy_storage_ready says the store is down; the last figures stand until it is back.
            }

            if (options.Storage.MaxBytes is { } maxBytes)
            {
                metrics.CacheMaxBytes.Set(maxBytes);
            }
        });

        app.UseMiddleware<RequestLogging>();
        // Before authentication: a plain-HTTP request is redirected or refused before any credential is read.
        app.UseMiddleware<PlainHttpGate>();
        app.UseMiddleware<ClientAuthentication>();
        app.MapHealthEndpoints();
        app.MapMetrics("/metrics", metrics.Registry);
        app.MapAdminEndpoints();
        app.MapGoProxyProtocol();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            // Readiness is known from the start (goproxy_storage_ready), not only after the first probe.
            _ = app.Services.GetRequiredService<StorageHealth>().ProbeAsync(app.Lifetime.ApplicationStopping);
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ProxyApplication));
            Log.Started(logger, HealthEndpoints.ProxyVersion, string.Join(", ", app.Urls), store.Kind, storeLocation,
                options.Offline ? "none (offline)" : UpstreamList.TryParse(options.Upstream, out var list, out _)
                    ? string.Join(" ", list.Proxies.Select(p => p.DisplayName)) : "");
        });
        return app;
    }

    /// <summary>True when <paramref name="exception"/> means the listen address is taken or not ours to bind.</summary>
    public static bool IsBindFailure(Exception exception)
    {
        // Kestrel wraps the cause: IOException("Failed to bind ...") around AddressInUseException or SocketException.
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException || e.GetType().Name == "AddressInUseException")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The configured store, and where it keeps artifacts (for the start-up line).</summary>
    private static (IModuleStore Store, string Location) OpenStore(ProxyOptions options)
    {
        if (options.Storage.Type == StorageType.S3)
        {
            var s3 = S3ModuleStore.Open(options.Storage.S3);
            return (s3, s3.Location);
        }

        return (OpenDiskStore(options.StorageDir), Path.GetFullPath(options.StorageDir));
    }

    private static DiskModuleStore OpenDiskStore(string storageDir)
    {
        try
        {
            return new DiskModuleStore(storageDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ProxyConfigurationException($"storage directory \"{storageDir}\" cannot be used: {OneLine(e)}");
        }
    }

    private static string OneLine(Exception e) => e.Message.ReplaceLineEndings(" ");

    private static ProxyOptions BindAndValidate(ConfigurationManager configuration)
    {
        var options = new ProxyOptions();
        try
        {
            // Strict: a misspelt key (lisTtl) must fail at start-up, not silently keep a default. Logging is the
            // host's section, not ours.
            var ours = new ConfigurationBuilder().AddInMemoryCollection(configuration.AsEnumerable()
                .Where(kv => !kv.Key.Equals("Logging", StringComparison.OrdinalIgnoreCase) &&
                             !kv.Key.StartsWith("Logging:", StringComparison.OrdinalIgnoreCase))).Build();
            ours.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            throw new ProxyConfigurationException(e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message);
        }

        var failures = new List<string>();
        foreach (IValidateOptions<ProxyOptions> validator in new IValidateOptions<ProxyOptions>[] { new ProxyOptionsValidator(), new ProxyOptionsSyntaxValidator() })
        {
            var result = validator.Validate(Options.DefaultName, options);
            if (result.Failed)
            {
                failures.AddRange(result.Failures);
            }
        }

        return failures.Count == 0 ? options : throw new ProxyConfigurationException("invalid configuration: " + string.Join("; ", failures));
    }

    private static void ConfigureLogging(ILoggingBuilder logging, ConfigurationManager configuration, ProxyOptions options)
    {
        logging.ClearProviders();
        logging.AddConfiguration(configuration.GetSection("Logging"));
        if (options.LogFormat == "json")
        {
            logging.AddJsonConsole(o => o.UseUtcTimestamp = true);
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }
    }
}
