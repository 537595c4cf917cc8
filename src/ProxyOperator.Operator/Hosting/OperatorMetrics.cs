using Prometheus;
using ProxyOperator.Runtime;

namespace ProxyOperator.Operator.Hosting;

/// <summary>The operator's Prometheus metrics, named in one place; fed by the runtime through <see cref="IControllerMetrics"/>.</summary>
internal sealed class OperatorMetrics : IControllerMetrics
{
    private readonly Counter _reconciles;
    private readonly Histogram _reconcileDuration;
    private readonly Counter _retries;
    private readonly Gauge _queueDepth;
    private readonly Counter _watchRestarts;
    private readonly Counter _relists;

    public OperatorMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        _reconciles = factory.CreateCounter("proxy_operator_reconcile_total", "Reconciles by result (success, requeue, error).", "controller", "result");
        _reconcileDuration = factory.CreateHistogram("proxy_operator_reconcile_duration_seconds", "Time one reconcile took.", new HistogramConfiguration
        {
            LabelNames = ["controller"],
            Buckets = Histogram.ExponentialBuckets(0.005, 2, 14),
        });
        _retries = factory.CreateCounter("proxy_operator_reconcile_retries_total", "Keys put back with failure backoff.", "controller");
        _queueDepth = factory.CreateGauge("proxy_operator_workqueue_depth", "Keys waiting in the work queue.", "controller");
        _watchRestarts = factory.CreateCounter("proxy_operator_watch_restarts_total", "Watches started again, by reason.", "resource", "reason");
        _relists = factory.CreateCounter("proxy_operator_relists_total", "Full lists after a watch could not resume.", "resource");
    }

    public CollectorRegistry Registry { get; }

    public void WatchRestarted(string resource, WatchRestartReason reason) =>
        _watchRestarts.WithLabels(resource, reason.ToString().ToLowerInvariant()).Inc();

    public void Relisted(string resource) => _relists.WithLabels(resource).Inc();

    public void QueueDepthChanged(string controller, int depth) => _queueDepth.WithLabels(controller).Set(depth);

    public void Retried(string controller) => _retries.WithLabels(controller).Inc();

    public void Reconciled(string controller, ReconcileOutcome outcome, TimeSpan duration)
    {
        _reconciles.WithLabels(controller, outcome.ToString().ToLowerInvariant()).Inc();
        _reconcileDuration.WithLabels(controller).Observe(duration.TotalSeconds);
    }
}
