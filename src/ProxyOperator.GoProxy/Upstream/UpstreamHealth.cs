namespace ProxyOperator.GoProxy.Upstream;

/// <summary>What <c>/status</c> says of the upstreams: reachable when the latest contact of any of them worked.</summary>
public sealed class UpstreamHealth(TimeProvider time)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastSuccess;
    private DateTimeOffset? _lastFailure;
    private string? _lastError;
    private long _errors;

    public void RecordSuccess()
    {
        lock (_gate)
        {
            _lastSuccess = time.GetUtcNow();
        }
    }

    public void RecordFailure(string error)
    {
        lock (_gate)
        {
            _lastFailure = time.GetUtcNow();
            _lastError = error;
            _errors++;
        }
    }

    public UpstreamHealthSnapshot Snapshot()
    {
        lock (_gate)
        {
            var reachable = _lastFailure is null || (_lastSuccess is { } success && success >= _lastFailure);
            return new UpstreamHealthSnapshot(reachable, _lastSuccess, _lastFailure, _lastError, _errors);
        }
    }
}

public sealed record UpstreamHealthSnapshot(bool Reachable, DateTimeOffset? LastSuccess, DateTimeOffset? LastFailure, string? LastError, long Errors);
