using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ProxyOperator.GoProxy.Configuration;
using ProxyOperator.GoProxy.Storage;
using ProxyOperator.GoProxy.Storage.S3;
using ProxyOperator.Testing;

namespace ProxyOperator.GoProxy.Tests.Storage;

/// <summary>One s3rver for the whole class; each test gets its own key prefix, so each starts with an empty store.</summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    private S3rverServer? _server;

    public S3rverServer Server => _server ?? throw new InvalidOperationException("s3rver did not start");

    public async Task InitializeAsync() => _server = await S3rverServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

public sealed class S3ModuleStoreTests : ModuleStoreConformance, IClassFixture<S3rverFixture>, IDisposable
{
    // S3's minimum part size: the 20 MiB large zip goes up in four parts.
    private const long PartSize = 5L << 20;

    private readonly S3rverServer _server;
    private readonly TempDirectory _files = TempDirectory.Create("goproxy-s3-test-");
    private readonly string _prefix = $"proxies/{Guid.NewGuid():N}/";
    private readonly List<S3ModuleStore> _stores = [];

    public S3ModuleStoreTests(S3rverFixture fixture)
    {
        _server = fixture.Server;
        Directory.CreateDirectory(Staging);
        File.WriteAllText(Path.Combine(_files.Path, "accessKeyId"), S3rverServer.AccessKeyId + "\n");
        File.WriteAllText(Path.Combine(_files.Path, "secretAccessKey"), S3rverServer.SecretAccessKey + "\n");
    }

    private string Staging => Path.Combine(_files.Path, "staging");

    private S3StorageOptions Options => new()
    {
        Bucket = _server.Bucket,
        Prefix = _prefix,
        Endpoint = _server.Endpoint.ToString(),
        ForcePathStyle = true,
        AccessKeyIdFile = Path.Combine(_files.Path, "accessKeyId"),
        SecretAccessKeyFile = Path.Combine(_files.Path, "secretAccessKey"),
    };

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        _files.Dispose();
    }

    protected override IModuleStore CreateStore() => Track(NewStore(NewClient()));

    protected override IModuleStore ReopenStore() => CreateStore();

    protected override void AssertNoStagedLeftovers() => Assert.Empty(Directory.EnumerateFiles(Staging));

    [Fact]
    public async Task Layout_under_the_prefix_is_a_goproxy_tree_with_case_encoded_paths()
    {
        var store = CreateStore();
        await SaveVersionAsync(store, "example.com/Upper/Case", "v1.0.0-RC");

        // Names starting with a dot are the store's own (access markers); no module path starts with one.
        var keys = (await ListKeysAsync()).Where(k => !k[_prefix.Length..].StartsWith('.')).ToList();
        Assert.Equal(
            [$"{_prefix}example.com/!upper/!case/@v/v1.0.0-!r!c.info", $"{_prefix}example.com/!upper/!case/@v/v1.0.0-!r!c.mod", $"{_prefix}example.com/!upper/!case/@v/v1.0.0-!r!c.zip"],
            keys);
    }

    [Fact]
    public async Task Readiness_probes_of_every_replica_overwrite_one_probe_object_and_count_as_no_artifact()
    {
        await CreateStore().CheckWritableAsync(CancellationToken.None);
        await CreateStore().CheckWritableAsync(CancellationToken.None);

        // Never deleted: a DELETE that empties a folder races another replica's PUT on file-backed servers.
        Assert.Single(await ListKeysAsync());
        Assert.Equal(new StoreUsage(0, 0), await CreateStore().GetUsageAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Failed_multipart_upload_is_aborted_and_publishes_nothing()
    {
        using var client = new FailingPartClient(S3ModuleStore.Credentials(Options)!, S3ModuleStore.ClientConfig(Options), failPart: 3);
        var store = Track(NewStore(client));
        var key = Key("example.com/multipart", ArtifactKind.Zip, "v1.0.0");
        await using (var upload = await store.BeginUploadAsync(key, CancellationToken.None))
        {
            await upload.Content.WriteAsync(new byte[(int)(4 * PartSize)]);
            var failure = await Assert.ThrowsAsync<StorageFailureException>(() => upload.CommitAsync(CancellationToken.None));
            Assert.Contains("part 3", failure.Message, StringComparison.Ordinal);
        }

        Assert.Equal(2, client.PartsUploaded);
        Assert.NotNull(client.UploadId);
        Assert.Equal(client.UploadId, Assert.Single(client.Aborted));
        Assert.Null(await store.OpenAsync(key, CancellationToken.None));
        Assert.Empty(await CreateStore().ListVersionsAsync(Module("example.com/multipart"), CancellationToken.None));
        Assert.Empty(await ListKeysAsync());
        AssertNoStagedLeftovers();
    }

    [Fact]
    public async Task Unreachable_bucket_is_a_storage_failure_for_writes_and_readiness()
    {
        var stopped = await S3rverServer.StartAsync("gone");
        var options = Options;
        options.Bucket = stopped.Bucket;
        options.Endpoint = stopped.Endpoint.ToString();
        await stopped.DisposeAsync();
        var store = Track(NewStore(new AmazonS3Client(S3ModuleStore.Credentials(options)!, WithoutRetries(S3ModuleStore.ClientConfig(options)))));

        await Assert.ThrowsAsync<StorageFailureException>(() => store.CheckWritableAsync(CancellationToken.None));
        await using var upload = await store.BeginUploadAsync(Key("example.com/down", ArtifactKind.Mod, "v1.0.0"), CancellationToken.None);
        await upload.Content.WriteAsync("module example.com/down\n"u8.ToArray());
        await Assert.ThrowsAsync<StorageFailureException>(() => upload.CommitAsync(CancellationToken.None));
    }

    private static AmazonS3Config WithoutRetries(AmazonS3Config config)
    {
        config.MaxErrorRetry = 0;
        return config;
    }

    private AmazonS3Client NewClient() => new(S3ModuleStore.Credentials(Options)!, S3ModuleStore.ClientConfig(Options));

    private S3ModuleStore NewStore(IAmazonS3 client) => new(client, _server.Bucket, _prefix, Staging, PartSize);

    private S3ModuleStore Track(S3ModuleStore store)
    {
        _stores.Add(store);
        return store;
    }

    private async Task<List<string>> ListKeysAsync()
    {
        using var client = NewClient();
        var response = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _server.Bucket, Prefix = _prefix });
        return (response.S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>A real client whose upload of one part fails, as when the network drops mid-transfer.</summary>
    private sealed class FailingPartClient(AWSCredentials credentials, AmazonS3Config config, int failPart) : AmazonS3Client(credentials, config)
    {
        public int PartsUploaded { get; private set; }

        public string? UploadId { get; private set; }

        public List<string> Aborted { get; } = [];

        public override Task<UploadPartResponse> UploadPartAsync(UploadPartRequest request, CancellationToken cancellationToken = default)
        {
            UploadId = request.UploadId;
            if (request.PartNumber == failPart)
            {
                throw new AmazonS3Exception($"connection reset while sending part {failPart}");
            }

            PartsUploaded++;
            return base.UploadPartAsync(request, cancellationToken);
        }

        public override Task<AbortMultipartUploadResponse> AbortMultipartUploadAsync(AbortMultipartUploadRequest request, CancellationToken cancellationToken = default)
        {
            Aborted.Add(request.UploadId);
            return base.AbortMultipartUploadAsync(request, cancellationToken);
        }
    }
}

/// <summary>The eviction and purge suite, against the S3 backend (the disk one runs it in Eviction/).</summary>
public sealed class S3StoreMaintenanceTests : Eviction.StoreMaintenanceConformance, IClassFixture<S3rverFixture>, IDisposable
{
    private readonly S3rverServer _server;
    private readonly TempDirectory _staging = TempDirectory.Create("goproxy-s3-maint-");
    private readonly List<S3ModuleStore> _stores = [];

    public S3StoreMaintenanceTests(S3rverFixture fixture) => _server = fixture.Server;

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        _staging.Dispose();
    }

    protected override IModuleStore CreateStore()
    {
        var client = new AmazonS3Client(
            new BasicAWSCredentials(S3rverServer.AccessKeyId, S3rverServer.SecretAccessKey),
            S3ModuleStore.ClientConfig(new S3StorageOptions { Endpoint = _server.Endpoint.ToString(), ForcePathStyle = true }));
        var store = new S3ModuleStore(client, _server.Bucket, $"maintenance/{Guid.NewGuid():N}", _staging.Path) { AccessResolution = TimeSpan.Zero };
        _stores.Add(store);
        return store;
    }
}

/// <summary>storage.maxSize over HTTP with the S3 backend: each proxy gets a fresh prefix in the shared s3rver.</summary>
public sealed class S3EvictionTests : Eviction.EvictionBehaviour, IClassFixture<Eviction.EvictionModules>, IClassFixture<S3rverFixture>, IDisposable
{
    private readonly S3rverServer _server;
    private readonly TempDirectory _secrets = TempDirectory.Create("goproxy-s3-secrets-");

    public S3EvictionTests(Eviction.EvictionModules modules, S3rverFixture fixture)
        : base(modules)
    {
        _server = fixture.Server;
        File.WriteAllText(Path.Combine(_secrets.Path, "accessKeyId"), S3rverServer.AccessKeyId);
        File.WriteAllText(Path.Combine(_secrets.Path, "secretAccessKey"), S3rverServer.SecretAccessKey);
    }

    public void Dispose() => _secrets.Dispose();

    protected override string StorageSection(string? maxSize) => $"""
        storage:
          type: s3
          s3:
            bucket: {_server.Bucket}
            prefix: evict/{Guid.NewGuid():N}
            endpoint: {_server.Endpoint}
            forcePathStyle: true
            accessKeyIdFile: {Path.Combine(_secrets.Path, "accessKeyId")}
            secretAccessKeyFile: {Path.Combine(_secrets.Path, "secretAccessKey")}
        {(maxSize is null ? "" : $"  maxSize: \"{maxSize}\"")}

        """;
}

/// <summary>The proxy configured for S3 from YAML, as the operator's ConfigMap configures it.</summary>
public sealed class S3ProxyTests(S3rverFixture fixture) : IClassFixture<S3rverFixture>, IDisposable
{
    private readonly TempDirectory _dir = TempDirectory.Create("goproxy-s3-proxy-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Status_reports_the_s3_store_ready()
    {
        var server = fixture.Server;
        await File.WriteAllTextAsync(Path.Combine(_dir.Path, "accessKeyId"), S3rverServer.AccessKeyId + "\n");
        await File.WriteAllTextAsync(Path.Combine(_dir.Path, "secretAccessKey"), S3rverServer.SecretAccessKey + "\n");
        var yaml = $"""
            storage:
              type: s3
              s3:
                bucket: {server.Bucket}
                prefix: status/
                endpoint: {server.Endpoint}
                region: eu-west-1
                forcePathStyle: true
                accessKeyIdFile: {Path.Combine(_dir.Path, "accessKeyId")}
                secretAccessKeyFile: {Path.Combine(_dir.Path, "secretAccessKey")}

            """;
        await using var proxy = await TestProxy.StartAsync(Path.Combine(_dir.Path, "unused"), "http://127.0.0.1:9", yaml, offline: true);

        using var status = System.Text.Json.JsonDocument.Parse(await proxy.Client.GetStringAsync("status"));
        var storage = status.RootElement.GetProperty("storage");
        Assert.Equal("s3", storage.GetProperty("kind").GetString());
        Assert.True(storage.GetProperty("ready").GetBoolean());
        Assert.Equal(System.Net.HttpStatusCode.OK, (await proxy.Client.GetAsync("readyz")).StatusCode);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "unused", ".staging")), "the disk store must not be opened when storage.type is s3");
    }

    [Fact]
    public async Task A_bucket_that_cannot_be_reached_gives_503_with_a_reason_and_status_still_answers()
    {
        // An endpoint nothing listens on: every store call fails as it does when the S3 service is down. Credentials
        // from files, so the SDK never looks for an instance identity off this machine.
        await File.WriteAllTextAsync(Path.Combine(_dir.Path, "accessKeyId"), S3rverServer.AccessKeyId + "\n");
        await File.WriteAllTextAsync(Path.Combine(_dir.Path, "secretAccessKey"), S3rverServer.SecretAccessKey + "\n");
        var yaml = $"""
            storage:
              type: s3
              s3:
                bucket: gone
                endpoint: http://127.0.0.1:9
                forcePathStyle: true
                accessKeyIdFile: {Path.Combine(_dir.Path, "accessKeyId")}
                secretAccessKeyFile: {Path.Combine(_dir.Path, "secretAccessKey")}

            """;
        await using var proxy = await TestProxy.StartAsync(Path.Combine(_dir.Path, "unused"), "http://127.0.0.1:9", yaml, offline: true);

        using var artifact = await proxy.Client.GetAsync("example.com/m/@v/v1.0.0.info");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, artifact.StatusCode);
        Assert.StartsWith("storage unavailable: ", await artifact.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var statusResponse = await proxy.Client.GetAsync("status");
        Assert.Equal(System.Net.HttpStatusCode.OK, statusResponse.StatusCode);
        using var status = System.Text.Json.JsonDocument.Parse(await statusResponse.Content.ReadAsStringAsync());
        Assert.False(status.RootElement.GetProperty("storage").GetProperty("ready").GetBoolean());
        Assert.Equal(System.Net.HttpStatusCode.OK, (await proxy.Client.GetAsync("metrics")).StatusCode);
    }
}
