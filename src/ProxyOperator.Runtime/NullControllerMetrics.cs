namespace ProxyOperator.Runtime;

/// <summary>Discards every measurement; the default when a host exports none.</summary>
public sealed class NullControllerMetrics : IControllerMetrics
{
    public static NullControllerMetrics Instance { get; } = new();

    public void WatchRestarted(string resource, WatchRestartReason reason)
    {
    }

    public void Relisted(string resource)
    {
    }

    public void QueueDepthChanged(string controller, int depth)
    {
    }

    public void Retried(string controller)
    {
    }

    public void Reconciled(string controller, ReconcileOutcome outcome, TimeSpan duration)
    {
    }
}
