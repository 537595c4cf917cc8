namespace ProxyOperator.KubeSandbox.Faults;

/// <summary>One active <see cref="FaultInjector.FailRequests"/> rule; disposing it removes it.</summary>
internal sealed class FaultRule(int statusCode, string? verb, string? resource, double share, int? count, TimeSpan retryAfter, FaultInjector owner) : IDisposable
{
    public int StatusCode { get; } = statusCode;

    public string? Verb { get; } = verb;

    public string? Resource { get; } = resource;

    public double Share { get; } = share;

    public int? Remaining { get; set; } = count;

    public TimeSpan RetryAfter { get; } = retryAfter;

    public void Dispose() => owner.Remove(this);
}
