using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Builders;
using ProxyOperator.Operator.Reconciliation;
using ProxyOperator.Runtime;

namespace ProxyOperator.Operator.Hosting;

/// <summary>
/// Runs the GoModuleProxy controller (informers of the resource and of every kind it owns, the work queue, the
/// reconciler) while this process leads, and stops the application when leadership is lost.
/// </summary>
internal sealed class OperatorService(
    IKubernetes client,
    GoModuleProxyReconciler reconciler,
    IOptions<OperatorOptions> options,
    OperatorMetrics metrics,
    OperatorState state,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggers) : BackgroundService
{
    private readonly OperatorOptions _options = options.Value;
    private readonly ILogger _logger = loggers.CreateLogger<OperatorService>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        OperatorLog.Started(_logger, OperatorHost.Version, _options.WatchedNamespace ?? "all namespaces", _options.Workers,
            _options.LeaderElect ? "on" : "off", (client as Kubernetes)?.BaseUri.ToString() ?? "?");
        if (!_options.LeaderElect)
        {
            state.StartedLeading();
            await RunControllerAsync(stoppingToken).ConfigureAwait(false);
            return;
        }

        var runner = new LeaderElectedRunner(client, new LeaderElectionOptions
        {
            Namespace = _options.EffectiveLeaseNamespace,
            LeaseDuration = _options.LeaseDuration,
            RenewDeadline = _options.RenewDeadline,
            RetryPeriod = _options.RetryPeriod,
        }, loggers.CreateLogger<LeaderElectedRunner>());
        runner.LeadershipLost += (_, _) =>
        {
            // LeaderElector cannot campaign again cleanly: exit and let the Deployment restart us (DESIGN §3).
            OperatorLog.StoppingAfterLostLeadership(_logger);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        };
        await runner.RunAsync(
            leading =>
            {
                state.StartedLeading();
                return RunControllerAsync(leading);
            },
            stoppingToken).ConfigureAwait(false);
    }

    private async Task RunControllerAsync(CancellationToken cancellationToken)
    {
        var informerOptions = new InformerOptions
        {
            InitialRetryDelay = TimeSpan.FromMilliseconds(100),
            MaxRetryDelay = TimeSpan.FromSeconds(5),
            // Handlers read names, owners and generations; the reconciler reads what it needs from the API server.
            Transform = obj =>
            {
                if (obj is IMetadata<V1ObjectMeta> { Metadata: { } meta })
                {
                    meta.ManagedFields = null;
                }

                return obj;
            },
        };
        var ns = _options.WatchedNamespace;
        // Only objects we label: the caches stay small in a busy cluster.
        var owned = Labels.ManagedBy + "=" + Labels.OperatorName;
        Informer<TObject> Watch<TObject>(string group, string version, string plural, string? selector)
            where TObject : class, IKubernetesObject<V1ObjectMeta> =>
            new(new KubernetesResourceClient<TObject>(client, group, version, plural, ns, selector), informerOptions, loggers.CreateLogger<Informer<TObject>>(), metrics);

        var proxies = Watch<GoModuleProxy>(GoModuleProxy.KubeGroup, GoModuleProxy.KubeApiVersion, GoModuleProxy.KubePluralName, null);
        var controller = new Controller<GoModuleProxy>(
            proxies,
            reconciler.ReconcileAsync,
            new ControllerOptions { Name = "gomoduleproxy", Workers = _options.Workers, ResyncPeriod = _options.ResyncPeriod },
            loggers.CreateLogger<Controller<GoModuleProxy>>(),
            metrics);
        var informers = new List<Func<CancellationToken, Task>> { proxies.WaitForSyncAsync };
        void Own<TObject>(string group, string version, string plural)
            where TObject : class, IKubernetesObject<V1ObjectMeta>
        {
            var informer = Watch<TObject>(group, version, plural, owned);
            controller.Owns(informer, GoModuleProxy.GroupVersion, GoModuleProxy.KubeKind);
            informers.Add(informer.WaitForSyncAsync);
        }

        Own<V1ConfigMap>(string.Empty, "v1", "configmaps");
        Own<V1Service>(string.Empty, "v1", "services");
        Own<V1PersistentVolumeClaim>(string.Empty, "v1", "persistentvolumeclaims");
        Own<V1Deployment>("apps", "v1", "deployments");
        Own<V1StatefulSet>("apps", "v1", "statefulsets");
        Own<V1PodDisruptionBudget>("policy", "v1", "poddisruptionbudgets");
        Own<V1Ingress>("networking.k8s.io", "v1", "ingresses");
        Own<V2HorizontalPodAutoscaler>("autoscaling", "v2", "horizontalpodautoscalers");
        Own<V1NetworkPolicy>("networking.k8s.io", "v1", "networkpolicies");
        // ServiceMonitors are not watched: their API may not exist, and may come and go; the periodic resync repairs them.

        var running = controller.RunAsync(cancellationToken);
        var synced = Task.WhenAll(informers.Select(sync => sync(cancellationToken)));
        if (await Task.WhenAny(running, synced).ConfigureAwait(false) == synced && synced.IsCompletedSuccessfully)
        {
            state.Synced();
        }

        await running.ConfigureAwait(false);
    }
}
