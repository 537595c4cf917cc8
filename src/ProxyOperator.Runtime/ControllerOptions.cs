namespace ProxyOperator.Runtime;

public sealed class ControllerOptions
{
    /// <summary>Name in logs and metrics.</summary>
    public string Name { get; set; } = "controller";

    /// <summary>Reconciles running at once (controller-runtime's MaxConcurrentReconciles); never two for one key.</summary>
    public int Workers { get; set; } = 2;

    /// <summary>
    /// Every existing primary object is reconciled again this long after its last successful reconcile, to refresh
    /// status and repair drift that no watch reports. Null or zero disables it.
    /// </summary>
    public TimeSpan? ResyncPeriod { get; set; } = TimeSpan.FromSeconds(30);

    public WorkQueueOptions Queue { get; set; } = new();
}
