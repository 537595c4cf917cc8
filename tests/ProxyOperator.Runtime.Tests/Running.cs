namespace ProxyOperator.Runtime.Tests;

/// <summary>Something started in the background for a test, stopped (and its failure surfaced) on dispose.</summary>
internal sealed class Running : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    private Running(Func<CancellationToken, Task> run)
    {
        Task = System.Threading.Tasks.Task.Run(() => run(_stop.Token));
    }

    public Task Task { get; }

    public static Running Start(Func<CancellationToken, Task> run) => new(run);

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
