using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ProxyOperator.GoProxy.Configuration;
using ProxyOperator.Modules;

namespace ProxyOperator.GoProxy.Storage.S3;

/// <summary>
/// Artifacts as objects in an S3-compatible bucket, keyed <c>PREFIX + ArtifactKey.RelativePath</c> so the bucket
/// (under the prefix) is itself a GOPROXY tree laid out like <c>GOMODCACHE/cache/download</c>.
/// Uploads are staged in a local file (the caller reads it back to check a zip before publishing, and memory must not
/// grow with zip size), then sent with one PUT, or a multipart upload above the part size. Both are atomic in S3: an
/// object exists only once the PUT or CompleteMultipartUpload has succeeded, and an incomplete multipart upload is
/// never listed or readable as an object. So, unlike a filesystem, no "complete" marker is needed for
/// <see cref="ListVersionsAsync"/>: every listed object is whole.
/// </summary>
public sealed partial class S3ModuleStore : IModuleStore, IStoreMaintenance, IDisposable
{
    /// <summary>Above this, zips go as a multipart upload of parts this size (S3's minimum part is 5 MiB).</summary>
    internal const long DefaultPartSize = 16L << 20;

    // Module paths cannot start with a dot (module.CheckPath), so neither name collides with a module.
    private const string ProbeFolder = ".readyz/";
    private const string StagingFolderName = "goproxy-s3-staging";

    // list and latest are a few KiB; far above that is not a list we wrote.
    private const int MaxReplaceableBytes = 16 << 20;

    private static readonly TimeSpan AbandonedStagingAge = TimeSpan.FromHours(1);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan AbortTimeout = TimeSpan.FromSeconds(30);

    // A rewrite in place of a small list takes milliseconds; a server still tearing reads after this is failing.
    private static readonly TimeSpan TornReadBudget = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ReplaceableReadTimeout = TimeSpan.FromSeconds(2);

    // Other replicas write to the same bucket; their artifacts show in the figures after at most this long.
    private static readonly TimeSpan UsageRefresh = TimeSpan.FromMinutes(1);

    private readonly IAmazonS3 _client;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly string _staging;
    private readonly long _partSize;
    private readonly SemaphoreSlim[] _publishGates = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private readonly SemaphoreSlim _usageScan = new(1, 1);
    private readonly SemaphoreSlim _probeGate = new(1, 1);
    private readonly Lock _usageLock = new();
    private StoreUsage? _usage;
    private long _usageScannedAt;

    /// <param name="client">Owned by the store from now on.</param>
    /// <param name="prefix">Key prefix; slashes around it are normalised away and one is added at the end.</param>
    /// <param name="stagingDirectory">Local folder for uploads in progress; shared with other stores is fine.</param>
    internal S3ModuleStore(IAmazonS3 client, string bucket, string prefix, string? stagingDirectory = null, long partSize = DefaultPartSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partSize, 5L << 20);
        _client = client;
        _bucket = bucket;
        var trimmed = prefix.Trim('/');
        _prefix = trimmed.Length == 0 ? "" : trimmed + "/";
        _staging = Path.GetFullPath(stagingDirectory ?? Path.Combine(Path.GetTempPath(), StagingFolderName));
        _partSize = partSize;
        Directory.CreateDirectory(_staging);
        RemoveAbandonedStagingFiles();
    }

    public string Kind => "s3";

    /// <summary><c>s3://bucket/prefix</c>, for the start-up line.</summary>
    public string Location => $"s3://{_bucket}/{_prefix}";

    internal string StagingDirectory => _staging;

    /// <summary>A store for the configured bucket; reads the credential files now, so a bad one fails at start-up.</summary>
    public static S3ModuleStore Open(S3StorageOptions options) =>
        new(Credentials(options) is { } credentials ? new AmazonS3Client(credentials, ClientConfig(options)) : new AmazonS3Client(ClientConfig(options)),
            options.Bucket ?? "", options.Prefix);

    internal static AmazonS3Config ClientConfig(S3StorageOptions options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            // AWSSDK 4 adds a CRC32 checksum to every upload by default, as a trailer of an aws-chunked body, and
            // validates response checksums. Servers without aws-chunked support store the chunk framing as content
            // (s3rver does, which the tests run; so every request also sets UseChunkEncoding = false) or reject the
            // trailer (older MinIO, Ceph): checksums only where the API requires them. What we ingest is verified
            // against the sumdb, and a plain PUT's MD5 ETag is still checked by the SDK on reads.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            // One request (one part at most); the SDK retries transient failures a bounded number of times.
            Timeout = TimeSpan.FromMinutes(2),
        };
        if (options.Endpoint is { Length: > 0 } endpoint)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        return config;
    }

    /// <summary>Keys from the credential files; null (the SDK's default chain: web identity, instance profile ...) without them.</summary>
    internal static AWSCredentials? Credentials(S3StorageOptions options) =>
        options is { AccessKeyIdFile: { Length: > 0 } keyIdFile, SecretAccessKeyFile: { Length: > 0 } secretFile }
            ? new BasicAWSCredentials(StorageOptions.ReadSecretFile(keyIdFile), StorageOptions.ReadSecretFile(secretFile))
            : null;

    public async Task<StoredArtifact?> OpenAsync(ArtifactKey key, CancellationToken cancellationToken)
    {
        if (!key.IsImmutable)
        {
            return await OpenReplaceableAsync(key, cancellationToken).ConfigureAwait(false);
        }

        var response = await GetObjectAsync(ObjectKey(key), cancellationToken).ConfigureAwait(false);
        return response is null ? null : new StoredArtifact(response.ResponseStream, response.ContentLength, LastModified(response.LastModified));
    }

    public Task<IArtifactUpload> BeginUploadAsync(ArtifactKey key, CancellationToken cancellationToken)
    {
        var staged = Path.Combine(_staging, $"{Guid.NewGuid():N}.part");
        var stream = new FileStream(staged, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.Read,
            Options = FileOptions.Asynchronous,
            BufferSize = 0,
        });
        return Task.FromResult<IArtifactUpload>(new S3Upload(this, key, staged, stream));
    }

    public async Task<IReadOnlyList<string>> ListVersionsAsync(ModulePath module, CancellationToken cancellationToken)
    {
        // The delimiter keeps nested modules (github.com/one/two/three) out of github.com/one/two's listing.
        var folder = $"{_prefix}{module.Escaped}/@v/";
        var extensions = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var s3Object in ListAsync(folder, delimiter: "/", cancellationToken).ConfigureAwait(false))
        {
            var name = s3Object.Key[folder.Length..];
            var dot = name.LastIndexOf('.');
            var bit = dot < 0 ? 0 : name[(dot + 1)..] switch { "info" => 1, "mod" => 2, "zip" => 4, _ => 0 };
            if (bit != 0)
            {
                var escaped = name[..dot];
                extensions[escaped] = extensions.GetValueOrDefault(escaped) | bit;
            }
        }

        var versions = new List<string>();
        foreach (var (escaped, bits) in extensions)
        {
            if (bits == 7 && CaseEncoding.TryUnescape(escaped, out var version) && ModuleVersion.Check(module, version) is null)
            {
                versions.Add(version);
            }
        }

        SemVer.Sort(versions);
        return versions;
    }

    /// <summary>
    /// O(number of objects): S3 keeps no running total, so the figures come from listing the prefix (1000 keys per
    /// request). The result is kept for a minute and topped up by this replica's own uploads in between, so scrapes
    /// of <c>/metrics</c> do not list the bucket each time.
    /// </summary>
    public async Task<StoreUsage> GetUsageAsync(CancellationToken cancellationToken)
    {
        if (CachedUsage() is { } cached)
        {
            return cached;
        }

        await _usageScan.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (CachedUsage() is { } scannedMeanwhile)
            {
                return scannedMeanwhile;
            }

            long artifacts = 0, bytes = 0;
            await foreach (var s3Object in ListAsync(_prefix, delimiter: null, cancellationToken).ConfigureAwait(false))
            {
                var name = s3Object.Key[_prefix.Length..];
                // Names starting with a dot are the store's own (probes, access markers): no module path does.
                if (!name.StartsWith('.') && name.Contains("/@v/", StringComparison.Ordinal) &&
                    Path.GetExtension(name) is ".info" or ".mod" or ".zip")
                {
                    artifacts++;
                    bytes += s3Object.Size ?? 0;
                }
            }

            var usage = new StoreUsage(artifacts, bytes);
            lock (_usageLock)
            {
                _usage = usage;
                _usageScannedAt = Environment.TickCount64;
            }

            return usage;
        }
        finally
        {
            _usageScan.Release();
        }
    }

    public async Task CheckWritableAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        // One object every replica overwrites and nobody deletes: servers that keep objects as files (s3rver) remove a
        // folder a DELETE empties, failing (or crashing on) another replica's PUT into it at that moment. One probe at a
        // time per process: /readyz and /status probing together need not double the requests.
        var probe = $"{_prefix}{ProbeFolder}probe";
        await _probeGate.WaitAsync(timeout.Token).ConfigureAwait(false);
        try
        {
            await _client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = probe, ContentBody = "1", UseChunkEncoding = false }, timeout.Token)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (IsFault(e))
        {
            throw Failure($"bucket {_bucket} cannot be written", e);
        }
        finally
        {
            _probeGate.Release();
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        _usageScan.Dispose();
        _probeGate.Dispose();
        foreach (var gate in _publishGates)
        {
            gate.Dispose();
        }
    }

    private string ObjectKey(ArtifactKey key) => _prefix + key.RelativePath;

    private StoreUsage? CachedUsage()
    {
        lock (_usageLock)
        {
            return _usage is not null && Environment.TickCount64 - _usageScannedAt < UsageRefresh.TotalMilliseconds ? _usage : null;
        }
    }

    private void CountUsage(int artifacts, long bytes)
    {
        lock (_usageLock)
        {
            if (_usage is { } usage)
            {
                _usage = new StoreUsage(usage.Artifacts + artifacts, usage.Bytes + bytes);
            }
        }
    }

    /// <summary>
    /// list and latest are the only objects ever replaced, and small: they are read whole before being served. S3
    /// replaces objects atomically, but S3-compatible servers that keep objects as plain files (s3rver, which the tests
    /// use, among them) rewrite the file in place, so a read racing a replacement can get part of the new content. The
    /// SDK checks a whole body against its MD5 ETag, so such a read fails, and is retried a bounded number of times.
    /// </summary>
    private async Task<StoredArtifact?> OpenReplaceableAsync(ArtifactKey key, CancellationToken cancellationToken)
    {
        var started = Environment.TickCount64;
        for (var attempt = 1; ; attempt++)
        {
            // A torn body can also stall: s3rver (Node) sends fewer bytes than its Content-Length and leaves the
            // connection open until its keep-alive timeout (5 s). A few KiB never take this long from a live store.
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(ReplaceableReadTimeout);
            try
            {
                var response = await GetObjectAsync(ObjectKey(key), attemptTimeout.Token).ConfigureAwait(false);
                if (response is null)
                {
                    return null;
                }

                // Disposing the response is part of the read: the SDK checks the body against its MD5 ETag then.
                byte[] content;
                using (response)
                {
                    content = await ReadSmallAsync(response, attemptTimeout.Token).ConfigureAwait(false);
                }

                return new StoredArtifact(new MemoryStream(content, writable: false), content.Length, LastModified(response.LastModified));
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsTornRead(e) &&
                                      (attempt < 3 || Environment.TickCount64 - started < TornReadBudget.TotalMilliseconds))
            {
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsTornRead(e))
            {
                throw Failure($"{key} kept changing while being read from bucket {_bucket}", e);
            }

            // Jittered, so a reader does not fall into step with a writer that keeps replacing the object.
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(100, 5 * attempt) + Random.Shared.Next(10)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// How a read racing an in-place rewrite fails: a body shorter than its Content-Length (IOException) or one that
    /// stalls (cancelled by the attempt's timeout), a body that does not match its MD5 ETag (AmazonClientException),
    /// an ETag still being written, which the SDK fails to parse as hex (ArgumentOutOfRangeException), or the server's
    /// own 500 (s3rver's, when the file vanishes under it; S3's InternalError says "please try again" too).
    /// </summary>
    private static bool IsTornRead(Exception e) =>
        e is IOException or AmazonClientException or ArgumentOutOfRangeException or OperationCanceledException ||
        e is StorageFailureException { InnerException: AmazonServiceException { StatusCode: >= HttpStatusCode.InternalServerError } };

    private static async Task<byte[]> ReadSmallAsync(GetObjectResponse response, CancellationToken cancellationToken)
    {
        if (response.ContentLength > MaxReplaceableBytes)
        {
            throw new StorageFailureException($"{response.Key} is {response.ContentLength} bytes, over the {MaxReplaceableBytes}-byte limit for list and latest",
                new InvalidDataException("object too large"));
        }

        var content = new byte[response.ContentLength];
        await response.ResponseStream.ReadExactlyAsync(content, cancellationToken).ConfigureAwait(false);
        return content;
    }

    private async Task<GetObjectResponse?> GetObjectAsync(string objectKey, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetObjectAsync(_bucket, objectKey, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
            return null;
        }
        catch (Exception e) when (IsFault(e))
        {
            throw Failure($"{objectKey} cannot be read from bucket {_bucket}", e);
        }
    }

    private async Task<bool> ExistsAsync(string objectKey, CancellationToken cancellationToken)
    {
        try
        {
            await _client.GetObjectMetadataAsync(_bucket, objectKey, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private async IAsyncEnumerable<S3Object> ListAsync(string prefix, string? delimiter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix, Delimiter = delimiter };
        while (true)
        {
            ListObjectsV2Response response;
            try
            {
                response = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsFault(e))
            {
                throw Failure($"bucket {_bucket} cannot be listed", e);
            }

            // AWSSDK 4 leaves an empty collection null.
            foreach (var s3Object in response.S3Objects ?? [])
            {
                yield return s3Object;
            }

            if (response.IsTruncated != true || string.IsNullOrEmpty(response.NextContinuationToken))
            {
                yield break;
            }

            request.ContinuationToken = response.NextContinuationToken;
        }
    }

    /// <summary>Publishes a staged file; false when <paramref name="createOnly"/> and the object appeared meanwhile.</summary>
    private async Task<bool> PutAsync(string objectKey, string staged, long length, bool createOnly, CancellationToken cancellationToken)
    {
        // "If-None-Match: *" makes S3 (and MinIO, R2, Ceph) refuse to replace an object another replica published
        // first; servers that ignore it replace an immutable artifact with identical bytes, which is harmless.
        var ifNoneMatch = createOnly ? "*" : null;
        try
        {
            if (length <= _partSize)
            {
                var request = new PutObjectRequest { BucketName = _bucket, Key = objectKey, FilePath = staged, UseChunkEncoding = false, IfNoneMatch = ifNoneMatch };
                await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await PutMultipartAsync(objectKey, staged, length, ifNoneMatch, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (AmazonS3Exception e) when (createOnly && e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            // 412: another writer's copy is stored; 409: another writer's conditional upload is completing right now.
            return false;
        }
    }

    private async Task PutMultipartAsync(string objectKey, string staged, long length, string? ifNoneMatch, CancellationToken cancellationToken)
    {
        var started = await _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = objectKey }, cancellationToken)
            .ConfigureAwait(false);
        try
        {
            // Parts go one after another, each read from the staged file by the SDK: memory stays at one buffer.
            var parts = new List<PartETag>();
            var number = 1;
            for (long offset = 0; offset < length; offset += _partSize, number++)
            {
                var part = await _client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = _bucket,
                    Key = objectKey,
                    UploadId = started.UploadId,
                    PartNumber = number,
                    FilePath = staged,
                    FilePosition = offset,
                    PartSize = Math.Min(_partSize, length - offset),
                    UseChunkEncoding = false,
                }, cancellationToken).ConfigureAwait(false);
                parts.Add(new PartETag(number, part.ETag));
            }

            await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _bucket,
                Key = objectKey,
                UploadId = started.UploadId,
                PartETags = parts,
                IfNoneMatch = ifNoneMatch,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await AbortAsync(objectKey, started.UploadId).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Frees the parts of a failed upload; they were never visible. Should this fail too (the bucket went away), the
    /// parts only cost space until the bucket's AbortIncompleteMultipartUpload lifecycle rule removes them.
    /// </summary>
    private async Task AbortAsync(string objectKey, string uploadId)
    {
        // Not the caller's token: the caller may be cancelled, which is often why the upload is being abandoned.
        using var timeout = new CancellationTokenSource(AbortTimeout);
        try
        {
            await _client.AbortMultipartUploadAsync(_bucket, objectKey, uploadId, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (IsFault(e) || e is OperationCanceledException)
        {
        }
    }

    private SemaphoreSlim PublishGate(string objectKey) =>
        _publishGates[(uint)StringComparer.Ordinal.GetHashCode(objectKey) % (uint)_publishGates.Length];

    private void RemoveAbandonedStagingFiles()
    {
        // Several stores (replicas in one pod, tests) may share the folder, so only files far older than any transfer go.
        var cutoff = DateTime.UtcNow - AbandonedStagingAge;
        foreach (var file in Directory.EnumerateFiles(_staging, "*.part"))
        {
            if (File.GetLastWriteTimeUtc(file) < cutoff)
            {
                TryDelete(file);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A staging file that cannot be removed now is retried at the next start.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static DateTimeOffset LastModified(DateTime? lastModified) =>
        lastModified is { } value ? new DateTimeOffset(value.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.UnixEpoch;

    private static bool IsFault(Exception e) =>
        e is AmazonServiceException or AmazonClientException or HttpRequestException || StorageFailureException.IsStorageFault(e);

    private static StorageFailureException Failure(string what, Exception e) =>
        new($"{what}: {e.Message.ReplaceLineEndings(" ")}", e);

    private sealed class S3Upload(S3ModuleStore store, ArtifactKey key, string staged, FileStream stream) : IArtifactUpload
    {
        private bool _finished;

        public Stream Content => stream;

        public async Task<Stream> OpenStagedAsync(CancellationToken cancellationToken)
        {
            await FinishWritingAsync(cancellationToken).ConfigureAwait(false);
            return new FileStream(staged, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous);
        }

        public async Task<bool> CommitAsync(CancellationToken cancellationToken)
        {
            await FinishWritingAsync(cancellationToken).ConfigureAwait(false);
            var objectKey = store.ObjectKey(key);
            var length = new FileInfo(staged).Length;
            try
            {
                if (!key.IsImmutable)
                {
                    return await store.PutAsync(objectKey, staged, length, createOnly: false, cancellationToken).ConfigureAwait(false);
                }

                // Writers in this process take turns per key, so exactly one publishes even where the server ignores
                // If-None-Match; across replicas the conditional request (or the lock backend) decides.
                var gate = store.PublishGate(objectKey);
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    if (await store.ExistsAsync(objectKey, cancellationToken).ConfigureAwait(false) ||
                        !await store.PutAsync(objectKey, staged, length, createOnly: true, cancellationToken).ConfigureAwait(false))
                    {
                        return false;
                    }
                }
                finally
                {
                    gate.Release();
                }

                store.CountUsage(1, length);
                if (key.Kind == ArtifactKind.Zip)
                {
                    await store.RecordUseAsync(key, force: true, cancellationToken).ConfigureAwait(false);
                }

                return true;
            }
            catch (Exception e) when (IsFault(e))
            {
                throw Failure($"{key} cannot be stored in bucket {store._bucket}", e);
            }
        }

        public async ValueTask DisposeAsync()
        {
            // Committed or not, the local copy has served its purpose: the bucket holds the published one.
            await stream.DisposeAsync().ConfigureAwait(false);
            TryDelete(staged);
        }

        private async Task FinishWritingAsync(CancellationToken cancellationToken)
        {
            if (_finished)
            {
                return;
            }

            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            await stream.DisposeAsync().ConfigureAwait(false);
            _finished = true;
        }
    }
}
