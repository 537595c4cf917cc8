using System.Collections.Concurrent;
using System.Diagnostics;

namespace ProxyOperator.Runtime.Tests;

public sealed class WorkQueueTests
{
    private static readonly ObjectKey A = new("default", "a");
    private static readonly ObjectKey B = new("default", "b");

    private static async Task<ObjectKey?> TakeAsync(WorkQueue queue, TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(5));
        try
        {
            return await queue.GetAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    [Fact]
    public async Task A_key_added_many_times_before_a_worker_takes_it_is_handed_out_once()
    {
        using var queue = new WorkQueue();
        queue.Add(A);
        queue.Add(B);
        queue.Add(A);
        queue.Add(A);

        Assert.Equal(2, queue.Depth);
        Assert.Equal(A, await TakeAsync(queue));
        Assert.Equal(B, await TakeAsync(queue));
        Assert.Null(await TakeAsync(queue, TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task A_key_added_while_processing_is_handed_out_again_once_only_after_done()
    {
        using var queue = new WorkQueue();
        queue.Add(A);
        var taken = await TakeAsync(queue);

        queue.Add(A);
        queue.Add(A);

        // Not to a second worker while the first still holds it.
        Assert.Equal(0, queue.Depth);
        Assert.Null(await TakeAsync(queue, TimeSpan.FromMilliseconds(100)));
        queue.Done(taken!.Value);
        Assert.Equal(A, await TakeAsync(queue));
        Assert.Equal(0, queue.Depth);
    }

    [Fact]
    public async Task Many_workers_never_process_one_key_at_the_same_time()
    {
        using var queue = new WorkQueue();
        var keys = Enumerable.Range(0, 5).Select(i => new ObjectKey("default", "k" + i)).ToArray();
        var inFlight = new int[keys.Length];
        var overlaps = 0;
        var processed = 0;
        using var stop = new CancellationTokenSource();

        async Task Worker()
        {
            while (await queue.GetAsync(stop.Token) is { } key)
            {
                var index = Array.IndexOf(keys, key);
                if (Interlocked.Increment(ref inFlight[index]) > 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                await Task.Delay(1);
                Interlocked.Decrement(ref inFlight[index]);
                Interlocked.Increment(ref processed);
                queue.Done(key);
            }
        }

        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(Worker)).ToArray();
        for (var round = 0; round < 200; round++)
        {
            queue.Add(keys[round % keys.Length]);
            if (round % 10 == 0)
            {
                await Task.Delay(1);
            }
        }

        await Cluster.EventuallyAsync(() => queue.Depth == 0 && keys.All(k => inFlight[Array.IndexOf(keys, k)] == 0));
        queue.ShutDown();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(0, overlaps);
        Assert.InRange(processed, keys.Length, 200);
    }

    [Fact]
    public void The_failure_backoff_starts_at_5ms_doubles_and_stops_at_1000s()
    {
        var options = new WorkQueueOptions();
        TimeSpan After(int failures) => ExponentialBackoff.Delay(options.BaseRetryDelay, options.MaxRetryDelay, failures);

        Assert.Equal(TimeSpan.FromMilliseconds(5), After(0));
        Assert.Equal(TimeSpan.FromMilliseconds(10), After(1));
        Assert.Equal(TimeSpan.FromMilliseconds(20), After(2));
        Assert.Equal(TimeSpan.FromMilliseconds(5 * 1024), After(10));
        Assert.Equal(TimeSpan.FromSeconds(1000), After(18));
        Assert.Equal(TimeSpan.FromSeconds(1000), After(10_000));
    }

    /// <summary>The real clock, noting every delay a timer is asked for: exact backoff checks without sleeping on bounds.</summary>
    private sealed class RecordingClock : TimeProvider
    {
        public ConcurrentQueue<TimeSpan> Delays { get; } = new();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Delays.Enqueue(dueTime);
            return System.CreateTimer(callback, state, dueTime, period);
        }
    }

    [Fact]
    public async Task A_failing_key_comes_back_after_5_10_20_40_80_ms_and_forget_starts_over()
    {
        var clock = new RecordingClock();
        using var queue = new WorkQueue(clock: clock);
        queue.Add(A);
        for (var failure = 0; failure < 5; failure++)
        {
            var key = await TakeAsync(queue);
            Assert.Equal(A, key);
            queue.AddRateLimited(A);
            queue.Done(A);
        }

        Assert.Equal(A, await TakeAsync(queue));
        Assert.Equal([5, 10, 20, 40, 80], clock.Delays.Select(d => d.TotalMilliseconds));
        Assert.Equal(5, queue.NumRequeues(A));
        Assert.Equal(5, queue.Retries);

        queue.Forget(A);
        Assert.Equal(0, queue.NumRequeues(A));
        queue.AddRateLimited(A);
        queue.Done(A);
        Assert.Equal(A, await TakeAsync(queue));
        Assert.Equal(TimeSpan.FromMilliseconds(5), clock.Delays.Last());
    }

    [Fact]
    public async Task AddAfter_hands_the_key_out_after_the_delay_and_an_earlier_request_wins()
    {
        using var queue = new WorkQueue();
        var watch = Stopwatch.StartNew();
        queue.AddAfter(A, TimeSpan.FromSeconds(30));
        queue.AddAfter(A, TimeSpan.FromMilliseconds(100));
        queue.AddAfter(A, TimeSpan.FromSeconds(20));

        Assert.Equal(0, queue.Depth);
        Assert.Equal(A, await TakeAsync(queue));
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(80), $"handed out after {watch.Elapsed}");
        queue.Done(A);
        Assert.Null(await TakeAsync(queue, TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task Shutting_down_hands_out_the_queued_keys_then_null_and_drops_delayed_ones()
    {
        var queue = new WorkQueue();
        queue.Add(A);
        queue.AddAfter(B, TimeSpan.FromMilliseconds(50));

        queue.ShutDown();
        queue.Add(B);

        Assert.True(queue.IsShuttingDown);
        Assert.Equal(A, await TakeAsync(queue));
        Assert.Null(await TakeAsync(queue));
        await Task.Delay(100);
        Assert.Null(await TakeAsync(queue));
    }
}
