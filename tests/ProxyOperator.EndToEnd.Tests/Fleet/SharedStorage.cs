using ProxyOperator.Testing;

namespace ProxyOperator.EndToEnd.Tests.Fleet;

/// <summary>Where the fleet keeps artifacts</summary>
public enum StorageKind
{
    /// <summary>One folder for every replica, as a ReadWriteMany volume.</summary>
    Disk,

    /// <summary>One bucket of a real s3rver for every replica.</summary>
    S3,
}

/// <summary>The storage every replica of a fleet shares, as the <c>storageDir</c>/<c>storage</c> YAML it is configured by.</summary>
public sealed class SharedStorage : IAsyncDisposable
{
    private readonly S3rverServer? _s3;

    private SharedStorage(StorageKind kind, string yaml, string? directory, S3rverServer? s3)
    {
        Kind = kind;
        Yaml = yaml;
        Directory = directory;
        _s3 = s3;
    }

    public StorageKind Kind { get; }

    /// <summary>The configuration keys, at the top level of the proxy's YAML.</summary>
    public string Yaml { get; }

    /// <summary>The disk store's root; null for S3.</summary>
    public string? Directory { get; }

    public static async Task<SharedStorage> StartAsync(StorageKind kind, string workDirectory, CancellationToken cancellationToken)
    {
        switch (kind)
        {
            case StorageKind.Disk:
                {
                    var root = Path.Combine(workDirectory, "storage");
                    System.IO.Directory.CreateDirectory(root);
                    return new SharedStorage(kind, $"storageDir: \"{root}\"\n", root, null);
                }

            case StorageKind.S3:
                {
                    var s3 = await S3rverServer.StartAsync("goproxy-fleet", cancellationToken).ConfigureAwait(false);
                    var keyId = Path.Combine(workDirectory, "s3-access-key-id");
                    var secret = Path.Combine(workDirectory, "s3-secret-access-key");
                    await File.WriteAllTextAsync(keyId, S3rverServer.AccessKeyId, cancellationToken).ConfigureAwait(false);
                    await File.WriteAllTextAsync(secret, S3rverServer.SecretAccessKey, cancellationToken).ConfigureAwait(false);
                    // storageDir stays a writable folder of its own: nothing is kept there with S3.
                    var yaml = $"""
                    storageDir: "{Path.Combine(workDirectory, "unused-storage-dir")}"
                    storage:
                      type: s3
                      s3:
                        bucket: "{s3.Bucket}"
                        prefix: "fleet/"
                        endpoint: "{s3.Endpoint}"
                        forcePathStyle: true
                        accessKeyIdFile: "{keyId}"
                        secretAccessKeyFile: "{secret}"

                    """;
                    return new SharedStorage(kind, yaml, null, s3);
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_s3 is not null)
        {
            await _s3.DisposeAsync().ConfigureAwait(false);
        }
    }
}
