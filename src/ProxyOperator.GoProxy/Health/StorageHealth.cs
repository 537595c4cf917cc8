using ProxyOperator.GoProxy.Observability;
using ProxyOperator.GoProxy.Storage;

namespace ProxyOperator.GoProxy.Health;

/// <summary>Probes the store with a tight timeout and remembers the answer for <c>/status</c> and metrics.</summary>
public sealed class StorageHealth(IModuleStore store, ProxyMetrics metrics)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private volatile string? _lastError;
    private volatile bool _probed;

    public bool Ready => _probed && _lastError is null;

    public string? LastError => _lastError;

    public async Task<bool> ProbeAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await store.CheckWritableAsync(timeout.Token).ConfigureAwait(false);
            _lastError = null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _lastError = $"no answer within {ProbeTimeout.TotalSeconds:0}s";
        }
        catch (Exception e) when (StorageFailureException.IsStorageFault(e))
        {
            _lastError = e.Message.ReplaceLineEndings(" ");
        }

        _probed = true;
        metrics.StorageReady.Set(_lastError is null ? 1 : 0);
        return _lastError is null;
    }
}
