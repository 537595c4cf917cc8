using Microsoft.Extensions.Options;
using ProxyOperator.GoProxy.Caching.Locks;
using ProxyOperator.GoProxy.Configuration;

namespace ProxyOperator.GoProxy.Tests.Locks;

public sealed class LockOptionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("goproxy-lock-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("lock:\n  type: redis\n", "lock.redis.address is required")]
    [InlineData("lock:\n  type: redis\n  redis:\n    address: redis.example\n", "is not HOST:PORT")]
    [InlineData("lock:\n  type: redis\n  redis:\n    address: redis.example:70000\n", "is not HOST:PORT")]
    [InlineData("lock:\n  type: redis\n  redis:\n    address: redis.example:6379\n    passwordFile: /nonexistent/password\n", "lock.redis.passwordFile \"/nonexistent/password\" cannot be read")]
    [InlineData("lock:\n  type: redis\n  redis:\n    address: redis.example:6379\n    ttl: \"00:00:00.100\"\n", "Ttl")]
    [InlineData("lock:\n  type: etcd\n", "etcd")]
    public async Task Unusable_lock_section_is_refused_at_start_up(string yaml, string expected)
    {
        var file = Path.Combine(_dir, "proxy.yaml");
        await File.WriteAllTextAsync(file, yaml);
        var error = Assert.Throws<ProxyConfigurationException>(() => ProxyApplication.Build(["--config", file, "--storage-dir", Path.Combine(_dir, "store")]));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redis_lock_as_the_operator_writes_it_is_used()
    {
        var file = Path.Combine(_dir, "proxy.yaml");
        var password = Path.Combine(_dir, "password");
        await File.WriteAllTextAsync(password, "pw\n");
        await File.WriteAllTextAsync(file, $"""
            lock:
              type: Redis
              redis:
                address: redis.cache.svc:6379
                passwordFile: {password}
                keyPrefix: "team-a/goproxy:"
                ttl: "00:00:30"
            """);
        await using var app = ProxyApplication.Build(["--config", file, "--storage-dir", Path.Combine(_dir, "store")]);
        var options = app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value.Lock;
        Assert.Equal(LockType.Redis, options.Type);
        Assert.Equal("team-a/goproxy:", options.Redis.KeyPrefix);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Redis.Ttl);
        Assert.IsType<RedisFetchLock>(app.Services.GetRequiredService<IFetchLock>());
    }

    [Fact]
    public async Task No_lock_section_means_each_replica_fetches_for_itself()
    {
        await using var app = ProxyApplication.Build(["--storage-dir", Path.Combine(_dir, "store")]);
        Assert.IsType<LocalFetchLock>(app.Services.GetRequiredService<IFetchLock>());
    }
}
