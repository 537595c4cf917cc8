using System.Globalization;
using ProxyOperator.Testing;

namespace ProxyOperator.GoProxy.Tests.Locks;

/// <summary>Replicas of the real proxy sharing one storage folder (shared storage) in front of one upstream fixture.</summary>
public sealed class LockRig : IAsyncDisposable
{
    private readonly TempDirectory _dir;

    private LockRig(TempDirectory dir, FixtureServer upstream, IReadOnlyList<TestProxy> replicas, string keyPrefix)
    {
        _dir = dir;
        Upstream = upstream;
        Replicas = replicas;
        KeyPrefix = keyPrefix;
    }

    public FixtureServer Upstream { get; }

    public IReadOnlyList<TestProxy> Replicas { get; }

    /// <summary>Unique per rig, so rigs sharing one Redis never see each other's locks.</summary>
    public string KeyPrefix { get; }

    /// <summary>Starts <paramref name="replicas"/> proxies; <paramref name="redisAddress"/> null means lock type none.</summary>
    public static async Task<LockRig> StartAsync(ModuleFixture fixture, int replicas, string? redisAddress, string ttl = "00:00:02", string redisExtra = "")
    {
        var dir = TempDirectory.Create("goproxy-lock-");
        var upstream = await FixtureServer.StartAsync(fixture.Root, CancellationToken.None);
        var keyPrefix = $"t{Guid.NewGuid():N}:";
        var yaml = """
            upstreamClient:
              maxRetries: 2
              initialBackoff: "00:00:00.010"
              maxBackoff: "00:00:00.050"
              metadataTimeout: "00:00:05"
              idleTimeout: "00:00:05"

            """;
        if (redisAddress is not null)
        {
            yaml += $"""
                lock:
                  type: redis
                  redis:
                    address: "{redisAddress}"
                    keyPrefix: "{keyPrefix}"
                    ttl: "{ttl}"
                {redisExtra}
                """;
        }

        var storage = Path.Combine(dir.Path, "shared-storage");
        var started = new List<TestProxy>();
        for (var i = 0; i < replicas; i++)
        {
            started.Add(await TestProxy.StartAsync(storage, upstream.BaseUrl.ToString(), yaml));
        }

        return new LockRig(dir, upstream, started, keyPrefix);
    }

    /// <summary>The Redis key of an artifact's fetch lock, as the proxy names it.</summary>
    public string LockKey(string artifact) => KeyPrefix + "lock:" + artifact;

    /// <summary><paramref name="clientsPerReplica"/> concurrent GETs of <paramref name="path"/> on every replica.</summary>
    public async Task<(int Status, byte[] Body)[]> GetEverywhereAsync(string path, int clientsPerReplica)
    {
        var requests = Replicas.SelectMany(r => Enumerable.Range(0, clientsPerReplica).Select(async _ =>
        {
            using var response = await r.Client.GetAsync(path);
            return ((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync());
        }));
        return await Task.WhenAll(requests);
    }

    /// <summary>A metric's value summed over replicas, read from /metrics as Prometheus would; 0 when absent.</summary>
    public async Task<double> MetricAsync(string name)
    {
        double total = 0;
        foreach (var replica in Replicas)
        {
            total += await MetricAsync(replica, name);
        }

        return total;
    }

    public static async Task<double> MetricAsync(TestProxy replica, string name)
    {
        var text = await replica.Client.GetStringAsync("metrics");
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(name + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in Replicas)
        {
            await replica.DisposeAsync();
        }

        await Upstream.DisposeAsync();
        _dir.Dispose();
    }
}
