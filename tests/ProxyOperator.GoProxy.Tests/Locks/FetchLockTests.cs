using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ProxyOperator.GoProxy.Caching.Locks;
using ProxyOperator.GoProxy.Tests.Http;
using ProxyOperator.Testing;
using StackExchange.Redis;

namespace ProxyOperator.GoProxy.Tests.Locks;

/// <summary>
/// Cross-replica singleflight (DESIGN §4) with replicas of the real proxy sharing one storage folder, a real
/// redis-server, and an upstream fixture that counts what it is asked.
/// </summary>
public sealed class FetchLockTests(StandardModules modules, RedisFixture redis) : IClassFixture<StandardModules>, IClassFixture<RedisFixture>
{
    private const string Zip = "example.com/lib/c/@v/v1.0.0.zip";
    private const string UpstreamZip = "/" + Zip;
    private const string Artifact = "example.com/lib/c@v1.0.0.zip";

    private ModuleFixture Fixture => modules.Fixture;

    private byte[] ExpectedZip => File.ReadAllBytes(Fixture.ArtifactPath("example.com/lib/c", "v1.0.0", ".zip"));

    [Fact]
    public async Task Three_replicas_with_the_redis_lock_fetch_an_uncached_zip_from_upstream_once()
    {
        await using var rig = await LockRig.StartAsync(Fixture, replicas: 3, redis.Server.Address);
        rig.Upstream.Faults.Delay(".zip", TimeSpan.FromMilliseconds(800));

        var answers = await rig.GetEverywhereAsync(Zip, clientsPerReplica: 30);

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.All(answers, a => Assert.Equal(ExpectedZip, a.Body));
        Assert.Equal(1, rig.Upstream.RequestCount(UpstreamZip));
        Assert.Equal(1, await rig.MetricAsync("goproxy_lock_acquisitions_total"));
        Assert.Equal(2, await rig.MetricAsync("goproxy_lock_waits_total"));
        Assert.Equal(0, await rig.MetricAsync("goproxy_lock_fallbacks_total"));
        await using var client = await redis.Server.ConnectAsync();
        Assert.False(await client.GetDatabase().KeyExistsAsync(rig.LockKey(Artifact)));
    }

    [Fact]
    public async Task Without_a_lock_backend_each_replica_fetches_at_most_once()
    {
        await using var rig = await LockRig.StartAsync(Fixture, replicas: 3, redisAddress: null);
        rig.Upstream.Faults.Delay(".zip", TimeSpan.FromMilliseconds(800));

        var answers = await rig.GetEverywhereAsync(Zip, clientsPerReplica: 30);

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.All(answers, a => Assert.Equal(ExpectedZip, a.Body));
        Assert.InRange(rig.Upstream.RequestCount(UpstreamZip), 1, 3);
        using var status = JsonDocument.Parse(await rig.Replicas[0].Client.GetStringAsync("status"));
        Assert.Equal("none", status.RootElement.GetProperty("lock").GetProperty("kind").GetString());
        Assert.True(status.RootElement.GetProperty("lock").GetProperty("reachable").GetBoolean());
    }

    [Fact]
    public async Task A_dead_holders_lock_expires_and_one_waiter_takes_over_within_the_ttl()
    {
        var ttl = TimeSpan.FromSeconds(2);
        await using var rig = await LockRig.StartAsync(Fixture, replicas: 2, redis.Server.Address, ttl: "00:00:02");
        await using var client = await redis.Server.ConnectAsync();
        // A replica that took the lock and died: it never renews nor releases it.
        Assert.True(await client.GetDatabase().StringSetAsync(rig.LockKey(Artifact), "dead-replica/0", ttl, When.NotExists));

        var clock = Stopwatch.StartNew();
        var answers = await rig.GetEverywhereAsync(Zip, clientsPerReplica: 5);
        clock.Stop();

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.All(answers, a => Assert.Equal(ExpectedZip, a.Body));
        Assert.Equal(1, rig.Upstream.RequestCount(UpstreamZip));
        Assert.Equal(1, await rig.MetricAsync("goproxy_lock_takeovers_total"));
        // Waited for the dead holder (no fetch before its key expired), and not much longer than its TTL.
        Assert.InRange(clock.Elapsed, ttl - TimeSpan.FromMilliseconds(300), ttl + TimeSpan.FromSeconds(1.5));
    }

    [Theory]
    [InlineData(500, HttpStatusCode.BadGateway)]
    [InlineData(404, HttpStatusCode.NotFound)]
    public async Task A_failed_upstream_fetch_releases_the_lock_and_waiters_share_the_failure(int upstreamStatus, HttpStatusCode expected)
    {
        await using var rig = await LockRig.StartAsync(Fixture, replicas: 2, redis.Server.Address, ttl: "00:00:05");
        rig.Upstream.Faults.Delay(".zip", TimeSpan.FromMilliseconds(300));
        rig.Upstream.Faults.Status(".zip", upstreamStatus);

        var clock = Stopwatch.StartNew();
        var answers = await rig.GetEverywhereAsync(Zip, clientsPerReplica: 10);

        Assert.All(answers, a => Assert.Equal((int)expected, a.Status));
        // One flight for the fleet (its retries included: 500 is retried twice, 404 never), answered well before the
        // 5 s TTL: the waiting replica was told, not left to time out.
        Assert.Equal(upstreamStatus == 500 ? 3 : 1, rig.Upstream.RequestCount(UpstreamZip));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
        await using var client = await redis.Server.ConnectAsync();
        Assert.False(await client.GetDatabase().KeyExistsAsync(rig.LockKey(Artifact)));

        if (upstreamStatus == 500)
        {
            // Nothing left behind blocks the next attempt.
            rig.Upstream.Faults.Clear();
            var retry = Stopwatch.StartNew();
            using var response = await rig.Replicas[1].Client.GetAsync(Zip);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(ExpectedZip, await response.Content.ReadAsByteArrayAsync());
            Assert.True(retry.Elapsed < TimeSpan.FromSeconds(2), $"took {retry.Elapsed}");
        }
    }

    [Fact]
    public async Task Redis_down_at_start_falls_back_to_local_singleflight_and_stays_ready()
    {
        var nobody = $"127.0.0.1:{RedisServer.FreePort()}";
        await using var rig = await LockRig.StartAsync(Fixture, replicas: 2, nobody);
        rig.Upstream.Faults.Delay(".zip", TimeSpan.FromMilliseconds(300));

        var answers = await rig.GetEverywhereAsync(Zip, clientsPerReplica: 10);

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.All(answers, a => Assert.Equal(ExpectedZip, a.Body));
        Assert.InRange(rig.Upstream.RequestCount(UpstreamZip), 1, 2);
        Assert.InRange(await rig.MetricAsync("goproxy_lock_fallbacks_total"), 1, 2);
        Assert.Equal(0, await rig.MetricAsync("goproxy_lock_backend_reachable"));
        var replica = rig.Replicas[0];
        using var ready = await replica.Client.GetAsync("readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var status = JsonDocument.Parse(await replica.Client.GetStringAsync("status"));
        var lockStatus = status.RootElement.GetProperty("lock");
        Assert.Equal("redis", lockStatus.GetProperty("kind").GetString());
        Assert.False(lockStatus.GetProperty("reachable").GetBoolean());
        Assert.False(string.IsNullOrEmpty(lockStatus.GetProperty("error").GetString()));
        Assert.True(status.RootElement.GetProperty("ready").GetBoolean());
    }

    [Fact]
    public async Task Redis_dying_while_a_holder_fetches_fails_no_request()
    {
        await using var own = await RedisServer.StartAsync();
        await using var rig = await LockRig.StartAsync(Fixture, replicas: 2, own.Address);
        rig.Upstream.Faults.Delay(".zip", TimeSpan.FromMilliseconds(1500));

        var requests = rig.GetEverywhereAsync(Zip, clientsPerReplica: 10);
        await Task.Delay(500);
        await own.KillAsync();
        var answers = await requests;

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.All(answers, a => Assert.Equal(ExpectedZip, a.Body));
        // The holder finished; the waiter, unable to reach Redis, went on alone.
        Assert.InRange(rig.Upstream.RequestCount(UpstreamZip), 1, 2);

        // With Redis still down, a new miss is fetched without the lock.
        using var other = await rig.Replicas[0].Client.GetAsync("example.com/lib/c/@v/v1.1.0.zip");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.True(await rig.MetricAsync("goproxy_lock_fallbacks_total") >= 1);
        using var status = JsonDocument.Parse(await rig.Replicas[0].Client.GetStringAsync("status"));
        Assert.False(status.RootElement.GetProperty("lock").GetProperty("reachable").GetBoolean());
    }

    [Fact]
    public async Task Password_file_authenticates_to_redis()
    {
        await using var own = await RedisServer.StartAsync(password: "s3cret-for-tests");
        using var dir = TempDirectory.Create("goproxy-redis-password-");
        var passwordFile = Path.Combine(dir.Path, "password");
        await File.WriteAllTextAsync(passwordFile, "s3cret-for-tests\n");
        await using var rig = await LockRig.StartAsync(Fixture, replicas: 2, own.Address, redisExtra: $"    passwordFile: \"{passwordFile}\"");
        rig.Upstream.Faults.Delay(".zip", TimeSpan.FromMilliseconds(500));

        var answers = await rig.GetEverywhereAsync(Zip, clientsPerReplica: 5);

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.Equal(1, rig.Upstream.RequestCount(UpstreamZip));
        using var status = JsonDocument.Parse(await rig.Replicas[0].Client.GetStringAsync("status"));
        Assert.True(status.RootElement.GetProperty("lock").GetProperty("reachable").GetBoolean());
        Assert.Equal(1, await rig.MetricAsync("goproxy_lock_backend_reachable") / 2);
    }

    [Fact]
    public async Task Lists_are_not_coordinated_across_replicas()
    {
        await using var rig = await LockRig.StartAsync(Fixture, replicas: 2, redis.Server.Address);
        await rig.GetEverywhereAsync("example.com/lib/c/@v/list", clientsPerReplica: 3);
        Assert.Equal(0, await rig.MetricAsync("goproxy_lock_acquisitions_total") + await rig.MetricAsync("goproxy_lock_waits_total"));
    }

    [Theory]
    [InlineData(null, "stored", 200, false)]
    [InlineData("NotFound", "no such version", 404, false)]
    [InlineData("Failed", "upstream said 500\nthen more", 502, true)]
    public void The_holders_result_survives_the_channel(string? status, string reason, int code, bool timedOut)
    {
        var outcome = status is null
            ? Caching.FetchOutcome.Stored
            : new Caching.FetchOutcome(Enum.Parse<ProxyOperator.GoProxy.Upstream.UpstreamStatus>(status), null, reason, timedOut, code);
        Assert.True(RedisFetchLock.ResultMessage.TryDecode(RedisFetchLock.ResultMessage.Encode("example.com/a@v1.0.0.zip", outcome), out var artifact, out var decoded));
        Assert.Equal("example.com/a@v1.0.0.zip", artifact);
        Assert.Equal(outcome.Status, decoded!.Status);
        if (status is not null)
        {
            Assert.Equal(reason.ReplaceLineEndings(" "), decoded.Reason);
            Assert.Equal(code, decoded.StatusCode);
            Assert.Equal(timedOut, decoded.TimedOut);
        }

        Assert.True(RedisFetchLock.ResultMessage.TryDecode(RedisFetchLock.ResultMessage.Encode("m@v1.0.0.mod", null), out _, out var abandoned));
        Assert.Null(abandoned);
    }
}
