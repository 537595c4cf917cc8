using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyOperator.GoProxy.Configuration;
using ProxyOperator.GoProxy.Observability;
using ProxyOperator.GoProxy.Upstream;
using StackExchange.Redis;

namespace ProxyOperator.GoProxy.Caching.Locks;

/// <summary>
/// Lock type <c>redis</c>: one key per artifact, taken with <c>SET key token NX PX ttl</c>, renewed by its holder
/// every third of the TTL while it fetches, and deleted by the holder (only while still its own) when done; the holder
/// then publishes its result on one channel. Waiters wait for that result however long the fetch takes (Athens'
/// waiters failed after a fixed 15 s, gomods/athens#1972) and poll storage and the key in case a message is lost; a
/// crashed holder stops renewing, so its key expires within one TTL and a waiter takes over (no leaked leases as in
/// #1886). Waiters serve only what storage has committed, which is atomic, so never a partial artifact (#1957).
/// </summary>
public sealed class RedisFetchLock : IFetchLock, IAsyncDisposable
{
    // Compare-and-delete and compare-and-renew: a holder whose key expired and was taken by another replica must not
    // delete or extend the new holder's lock.
    private const string ReleaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";
    private const string RenewScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0";
    private const int MaxReasonLength = 300;

    // Tight: while Redis is slow, each fetch waits at most this long before going on without the lock.
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    private readonly ConfigurationOptions _configuration;
    private readonly string _keyPrefix;
    private readonly RedisChannel _resultChannel;
    private readonly TimeSpan _ttl;
    private readonly TimeSpan _renewEvery;
    private readonly TimeSpan _pollEvery;
    private readonly string _holder = Environment.MachineName;
    private readonly ProxyMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisFetchLock> _logger;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<FetchOutcome?>> _results = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private ConnectionMultiplexer? _connection;
    private volatile bool _subscribed;
    private volatile string? _lastError;
    private int _reportedUnreachable;

    public RedisFetchLock(IOptions<ProxyOptions> options, ProxyMetrics metrics, TimeProvider time, ILogger<RedisFetchLock> logger)
    {
        var redis = options.Value.Lock.Redis;
        _ = RedisLockOptions.TryParseAddress(redis.Address ?? "", out var host, out var port);
        var timeout = (int)CommandTimeout.TotalMilliseconds;
        _configuration = new ConfigurationOptions
        {
            EndPoints = { { host, port } },
            // A mounted Secret file usually ends with a newline that is not part of the password.
            Password = redis.PasswordFile is { Length: > 0 } file ? File.ReadAllText(file).TrimEnd('\r', '\n') : null,
            ClientName = "goproxy",
            // Start, and keep serving, while Redis is down; the multiplexer reconnects in the background.
            AbortOnConnectFail = false,
            // While disconnected a command fails at once instead of queueing: the fetch then goes on without the lock.
            BacklogPolicy = BacklogPolicy.FailFast,
            ConnectTimeout = timeout,
            AsyncTimeout = timeout,
            SyncTimeout = timeout,
            ConnectRetry = 1,
            ReconnectRetryPolicy = new LinearRetry(1000),
        };
        _keyPrefix = redis.KeyPrefix;
        _resultChannel = RedisChannel.Literal(redis.KeyPrefix + "fetched");
        _ttl = redis.Ttl;
        _renewEvery = redis.Ttl / 3;
        // Polling only backs up the result message (lost while reconnecting) and notices an expired holder, so it
        // can be slow; it bounds a takeover to TTL + one poll.
        _pollEvery = TimeSpan.FromTicks(Math.Clamp(redis.Ttl.Ticks / 5, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(1).Ticks));
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    public string Kind => "redis";

    public async Task<FetchOutcome> RunAsync(
        string artifact,
        Func<CancellationToken, Task<bool>> isStored,
        Func<CancellationToken, Task<FetchOutcome>> fetch,
        CancellationToken cancellationToken)
    {
        var key = new RedisKey(_keyPrefix + "lock:" + artifact);
        long? waitingSince = null;
        TaskCompletionSource<FetchOutcome?>? result = null;
        try
        {
            while (true)
            {
                // Listen before trying the lock, so that a result published right after a failed SET is not missed.
                result = _results.GetOrAdd(artifact, _ => new TaskCompletionSource<FetchOutcome?>(TaskCreationOptions.RunContinuationsAsynchronously));
                IDatabase database;
                string? token;
                try
                {
                    var connection = await ConnectAsync().ConfigureAwait(false);
                    await SubscribeAsync(connection).ConfigureAwait(false);
                    database = connection.GetDatabase();
                    token = await TryAcquireAsync(database, key).ConfigureAwait(false);
                    MarkReachable();
                }
                catch (Exception e) when (IsBackendFault(e))
                {
                    // Never fail a request because the lock backend is down: fetch here, as lock type none would.
                    MarkUnreachable(e);
                    _metrics.RecordLockFallback();
                    LockLog.FetchingWithoutLock(_logger, artifact, Describe(e));
                    return await fetch(cancellationToken).ConfigureAwait(false);
                }

                if (token is not null)
                {
                    if (waitingSince is { } since)
                    {
                        _metrics.RecordLockTakeover();
                        LockLog.TookOver(_logger, artifact, _time.GetElapsedTime(since).TotalMilliseconds);
                    }
                    else
                    {
                        _metrics.RecordLockAcquired();
                    }

                    return await HoldAsync(database, artifact, key, token, fetch, cancellationToken).ConfigureAwait(false);
                }

                if (waitingSince is null)
                {
                    waitingSince = _time.GetTimestamp();
                    _metrics.RecordLockWait();
                    LockLog.Waiting(_logger, artifact);
                }

                FetchOutcome? reported = null;
                try
                {
                    reported = await result.Task.WaitAsync(_pollEvery, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // No message yet: look for ourselves.
                }

                // The holder's failure (a 404, an upstream error) is shared as a replica's own flight shares it; a
                // success is taken from storage only, where it is complete.
                if (reported is { Status: not UpstreamStatus.Found })
                {
                    return reported;
                }

                if (await isStored(cancellationToken).ConfigureAwait(false))
                {
                    return FetchOutcome.Stored;
                }
            }
        }
        finally
        {
            if (result is not null)
            {
                _results.TryRemove(KeyValuePair.Create(artifact, result));
            }
        }
    }

    public async Task<LockBackendState> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var connection = await ConnectAsync().WaitAsync(ProbeTimeout, _time, cancellationToken).ConfigureAwait(false);
            await connection.GetDatabase().PingAsync().WaitAsync(ProbeTimeout, _time, cancellationToken).ConfigureAwait(false);
            MarkReachable();
        }
        catch (Exception e) when (IsBackendFault(e))
        {
            MarkUnreachable(e);
        }

        return new LockBackendState(_lastError is null, _lastError);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        _connectGate.Dispose();
    }

    private async Task<string?> TryAcquireAsync(IDatabase database, RedisKey key)
    {
        // The pod name makes a held key tell an operator who holds it; the GUID makes each acquisition's token unique.
        var token = $"{_holder}/{Guid.NewGuid():N}";
        return await database.StringSetAsync(key, token, _ttl, When.NotExists).ConfigureAwait(false) ? token : null;
    }

    private async Task<FetchOutcome> HoldAsync(
        IDatabase database,
        string artifact,
        RedisKey key,
        string token,
        Func<CancellationToken, Task<FetchOutcome>> fetch,
        CancellationToken cancellationToken)
    {
        using var stopRenewing = new CancellationTokenSource();
        var renewing = RenewAsync(database, artifact, key, token, stopRenewing.Token);
        FetchOutcome? outcome = null;
        try
        {
            // The fetch looks in storage first: another replica may have stored the artifact since our last look.
            outcome = await fetch(cancellationToken).ConfigureAwait(false);
            return outcome;
        }
        finally
        {
            await stopRenewing.CancelAsync().ConfigureAwait(false);
            await renewing.ConfigureAwait(false);
            await ReleaseAsync(database, artifact, key, token, outcome).ConfigureAwait(false);
        }
    }

    /// <summary>Keeps the lock while the fetch runs, however long: waiters wait for the result, not for a clock.</summary>
    private async Task RenewAsync(IDatabase database, string artifact, RedisKey key, string token, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_renewEvery, _time, stop).ConfigureAwait(false);
                try
                {
                    var renewed = (long)await database.ScriptEvaluateAsync(RenewScript, [key], [token, (long)_ttl.TotalMilliseconds]).ConfigureAwait(false);
                    MarkReachable();
                    if (renewed == 0)
                    {
                        LockLog.LockLost(_logger, artifact);
                        return;
                    }
                }
                catch (Exception e) when (IsBackendFault(e))
                {
                    // Waiters elsewhere have fallen back to fetching alone; keep renewing in case Redis returns in time.
                    MarkUnreachable(e);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task ReleaseAsync(IDatabase database, string artifact, RedisKey key, string token, FetchOutcome? outcome)
    {
        try
        {
            // Delete first, so that a waiter told "abandoned" can take the lock at once.
            await database.ScriptEvaluateAsync(ReleaseScript, [key], [token]).ConfigureAwait(false);
            await database.PublishAsync(_resultChannel, ResultMessage.Encode(artifact, outcome)).ConfigureAwait(false);
        }
        catch (Exception e) when (IsBackendFault(e))
        {
            // The key expires by itself within one TTL, and waiters poll storage meanwhile.
            MarkUnreachable(e);
        }
    }

    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        if (Volatile.Read(ref _connection) is { } connection)
        {
            return connection;
        }

        await _connectGate.WaitAsync().ConfigureAwait(false);
        try
        {
            // With AbortOnConnectFail off this returns even when Redis is down; commands then fail fast until it is back.
            connection = _connection ?? await ConnectionMultiplexer.ConnectAsync(_configuration).ConfigureAwait(false);
            Volatile.Write(ref _connection, connection);
            return connection;
        }
        finally
        {
            _connectGate.Release();
        }
    }

    private async Task SubscribeAsync(ConnectionMultiplexer connection)
    {
        if (_subscribed)
        {
            return;
        }

        try
        {
            // The multiplexer re-subscribes by itself after a reconnect.
            await connection.GetSubscriber().SubscribeAsync(_resultChannel, (_, message) => OnResult(message)).ConfigureAwait(false);
            _subscribed = true;
        }
        catch (Exception e) when (IsBackendFault(e))
        {
            // Polling covers until the next attempt succeeds.
        }
    }

    private void OnResult(RedisValue message)
    {
        if (ResultMessage.TryDecode(message.ToString(), out var artifact, out var outcome) && _results.TryRemove(artifact, out var waiting))
        {
            waiting.TrySetResult(outcome);
        }
    }

    private void MarkReachable()
    {
        _lastError = null;
        _metrics.LockBackendReachable.Set(1);
        if (Interlocked.Exchange(ref _reportedUnreachable, 0) == 1)
        {
            LockLog.BackendRecovered(_logger, "redis");
        }
    }

    private void MarkUnreachable(Exception e)
    {
        _lastError = Describe(e);
        _metrics.LockBackendReachable.Set(0);
        if (Interlocked.Exchange(ref _reportedUnreachable, 1) == 0)
        {
            LockLog.BackendUnreachable(_logger, "redis", _lastError);
        }
    }

    // RedisTimeoutException is a TimeoutException; connection, server (NOAUTH, a read-only replica) and script
    // errors are RedisExceptions. Anything else is a bug and is not hidden here.
    private static bool IsBackendFault(Exception e) => e is RedisException or TimeoutException;

    private static string Describe(Exception e)
    {
        var message = e.Message.ReplaceLineEndings(" ");
        return message.Length <= MaxReasonLength ? message : message[..MaxReasonLength] + "...";
    }

    /// <summary>The holder's result on the channel: the artifact, then what became of it, one field per line.</summary>
    internal static class ResultMessage
    {
        private const string Abandoned = "abandoned";

        public static string Encode(string artifact, FetchOutcome? outcome) => outcome is null
            ? $"{artifact}\n{Abandoned}\n\n0\n"
            : string.Create(CultureInfo.InvariantCulture,
                $"{artifact}\n{outcome.Status}\n{outcome.StatusCode}\n{(outcome.TimedOut ? 1 : 0)}\n{outcome.Reason.ReplaceLineEndings(" ")}");

        public static bool TryDecode(string? message, out string artifact, out FetchOutcome? outcome)
        {
            artifact = "";
            outcome = null;
            var fields = message?.Split('\n', 5);
            if (fields is not { Length: 5 })
            {
                return false;
            }

            artifact = fields[0];
            if (fields[1] == Abandoned)
            {
                return true;
            }

            if (!Enum.TryParse<UpstreamStatus>(fields[1], out var status))
            {
                return false;
            }

            int? code = int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
            outcome = status == UpstreamStatus.Found ? FetchOutcome.Stored : new FetchOutcome(status, null, fields[4], fields[3] == "1", code);
            return true;
        }
    }
}
