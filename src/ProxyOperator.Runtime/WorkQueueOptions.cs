namespace ProxyOperator.Runtime;

public sealed class WorkQueueOptions
{
    /// <summary>Backoff after a key's first failure; doubled per further failure (controller-runtime: 5 ms).</summary>
    public TimeSpan BaseRetryDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Cap of the per-key backoff (controller-runtime: 1000 s).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(1000);
}
