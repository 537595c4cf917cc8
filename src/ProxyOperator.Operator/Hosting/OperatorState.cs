namespace ProxyOperator.Operator.Hosting;

/// <summary>What /readyz reports: ready once the caches synced, and always while waiting to lead (a standby is healthy).</summary>
internal sealed class OperatorState
{
    private volatile bool _leading;
    private volatile bool _synced;

    public bool IsReady => !_leading || _synced;

    public bool IsLeading => _leading;

    public void StartedLeading() => _leading = true;

    public void Synced() => _synced = true;
}
