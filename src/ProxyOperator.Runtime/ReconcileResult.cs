namespace ProxyOperator.Runtime;

/// <summary>
/// How a successful reconcile wants to be called again. Failure is an exception: the key is retried with backoff.
/// </summary>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter)
{
    /// <summary>Nothing to do until something changes (or the periodic resync).</summary>
    public static ReconcileResult Done { get; }

    /// <summary>Reconcile again after <paramref name="delay"/>, e.g. to poll a rollout's progress.</summary>
    public static ReconcileResult After(TimeSpan delay) => new(delay);
}
