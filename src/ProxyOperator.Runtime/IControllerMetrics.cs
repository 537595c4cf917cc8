namespace ProxyOperator.Runtime;

/// <summary>
/// What the runtime reports for the host to export (prometheus-net in the operator). Implementations must be cheap
/// and thread-safe: they are called on informer loops and workers.
/// </summary>
public interface IControllerMetrics
{
    void WatchRestarted(string resource, WatchRestartReason reason);

    void Relisted(string resource);

    void QueueDepthChanged(string controller, int depth);

    /// <summary>A key was put back with failure backoff.</summary>
    void Retried(string controller);

    void Reconciled(string controller, ReconcileOutcome outcome, TimeSpan duration);
}
