using ProxyOperator.Modules;

namespace ProxyOperator.GoProxy.Storage.Disk;

/// <summary>
/// Artifacts as files under one root, laid out like <c>GOMODCACHE/cache/download</c> so the folder is itself a
/// GOPROXY tree. Writes go to <c>.staging/</c> on the same filesystem and are renamed into place, so a crash or a
/// failed transfer leaves at most a staging file that nothing serves and the next start removes.
/// </summary>
public sealed partial class DiskModuleStore : IModuleStore, IStoreMaintenance
{
    // Module paths cannot start with a dot (module.CheckPath), so this name never collides with a module.
    private const string StagingFolder = ".staging";
    private static readonly TimeSpan AbandonedStagingAge = TimeSpan.FromHours(1);

    private readonly string _root;
    private readonly string _staging;
    private readonly Lazy<Task<UsageCounter>> _usage;
    private readonly SemaphoreSlim[] _publishGates = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public DiskModuleStore(string root)
    {
        _root = Path.GetFullPath(root);
        _staging = Path.Combine(_root, StagingFolder);
        Directory.CreateDirectory(_staging);
        RemoveAbandonedStagingFiles();
        _usage = new Lazy<Task<UsageCounter>>(() => Task.Run(ScanUsage));
    }

    public string Kind => "disk";

    public string Root => _root;

    public Task<StoredArtifact?> OpenAsync(ArtifactKey key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        try
        {
            var stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                BufferSize = 0,
            });
            var modified = File.GetLastWriteTimeUtc(path);
            return Task.FromResult<StoredArtifact?>(new StoredArtifact(stream, stream.Length, new DateTimeOffset(modified, TimeSpan.Zero)));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<StoredArtifact?>(null);
        }
    }

    public Task<IArtifactUpload> BeginUploadAsync(ArtifactKey key, CancellationToken cancellationToken)
    {
        var target = PathOf(key);
        var staged = Path.Combine(_staging, $"{Guid.NewGuid():N}.part");
        var stream = new FileStream(staged, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.Read,
            Options = FileOptions.Asynchronous,
            BufferSize = 0,
        });
        return Task.FromResult<IArtifactUpload>(new DiskUpload(this, key, staged, target, stream));
    }

    public Task<IReadOnlyList<string>> ListVersionsAsync(ModulePath module, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(_root, module.Escaped, "@v");
        var versions = new List<string>();
        if (!Directory.Exists(folder))
        {
            return Task.FromResult<IReadOnlyList<string>>(versions);
        }

        foreach (var zip in Directory.EnumerateFiles(folder, "*.zip"))
        {
            var escaped = Path.GetFileNameWithoutExtension(zip);
            if (CaseEncoding.TryUnescape(escaped, out var version) &&
                ModuleVersion.Check(module, version) is null &&
                File.Exists(Path.Combine(folder, escaped + ".info")) &&
                File.Exists(Path.Combine(folder, escaped + ".mod")))
            {
                versions.Add(version);
            }
        }

        SemVer.Sort(versions);
        return Task.FromResult<IReadOnlyList<string>>(versions);
    }

    public async Task<StoreUsage> GetUsageAsync(CancellationToken cancellationToken)
    {
        var counter = await _usage.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        return counter.Snapshot();
    }

    public async Task CheckWritableAsync(CancellationToken cancellationToken)
    {
        var probe = Path.Combine(_staging, $"readyz-{Guid.NewGuid():N}.probe");
        await File.WriteAllBytesAsync(probe, [1], cancellationToken).ConfigureAwait(false);
        File.Delete(probe);
    }

    private string PathOf(ArtifactKey key)
    {
        // The key's parts were validated (no "..", no leading "/", a narrow alphabet); this check is the last line
        // of defence should that ever change.
        var path = Path.GetFullPath(Path.Combine(_root, key.RelativePath));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"artifact path escapes the storage root: {key}");
        }

        return path;
    }

    private void RemoveAbandonedStagingFiles()
    {
        // Another replica may share this folder (ReadWriteMany), so only files far older than any transfer go.
        var cutoff = DateTime.UtcNow - AbandonedStagingAge;
        foreach (var file in Directory.EnumerateFiles(_staging))
        {
            if (File.GetLastWriteTimeUtc(file) < cutoff)
            {
                TryDelete(file);
            }
        }
    }

    private UsageCounter ScanUsage()
    {
        var counter = new UsageCounter();
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
        foreach (var file in new DirectoryInfo(_root).EnumerateFiles("*", options))
        {
            if (file.Extension is ".info" or ".mod" or ".zip" &&
                !file.FullName.StartsWith(_staging + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                counter.Add(file.Length);
            }
        }

        return counter;
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

    private sealed class UsageCounter
    {
        private long _artifacts;
        private long _bytes;

        public void Add(long bytes)
        {
            Interlocked.Increment(ref _artifacts);
            Interlocked.Add(ref _bytes, bytes);
        }

        public void Remove(long bytes)
        {
            Interlocked.Decrement(ref _artifacts);
            Interlocked.Add(ref _bytes, -bytes);
        }

        public StoreUsage Snapshot() => new(Interlocked.Read(ref _artifacts), Interlocked.Read(ref _bytes));
    }

    private sealed class DiskUpload(DiskModuleStore store, ArtifactKey key, string staged, string target, FileStream stream) : IArtifactUpload
    {
        private bool _finished;
        private bool _committed;

        public Stream Content => stream;

        public async Task<Stream> OpenStagedAsync(CancellationToken cancellationToken)
        {
            await FinishWritingAsync(cancellationToken).ConfigureAwait(false);
            return new FileStream(staged, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous);
        }

        public async Task<bool> CommitAsync(CancellationToken cancellationToken)
        {
            await FinishWritingAsync(cancellationToken).ConfigureAwait(false);
            var length = new FileInfo(staged).Length;
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            // .NET's File.Move without overwrite checks for the target and then calls rename(2), which replaces it,
            // so writers of one immutable artifact in this process take turns; replicas sharing a volume may both
            // publish, each a whole copy of the same bytes.
            var gate = key.IsImmutable ? store._publishGates[(uint)StringComparer.Ordinal.GetHashCode(target) % (uint)store._publishGates.Length] : null;
            if (gate is not null)
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            try
            {
                // rename(2) is atomic: readers see the old file, no file, or the whole new one.
                File.Move(staged, target, overwrite: !key.IsImmutable);
            }
            catch (IOException) when (key.IsImmutable && File.Exists(target))
            {
                return false;
            }
            finally
            {
                gate?.Release();
            }

            _committed = true;
            if (key.IsImmutable && store._usage.IsValueCreated && store._usage.Value.IsCompletedSuccessfully)
            {
                store._usage.Value.Result.Add(length);
            }

            return true;
        }

        public async ValueTask DisposeAsync()
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            if (!_committed)
            {
                TryDelete(staged);
            }
        }

        private async Task FinishWritingAsync(CancellationToken cancellationToken)
        {
            if (_finished)
            {
                return;
            }

            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            // Data reaches the disk before the rename makes it visible, or a power cut could publish an empty file.
            stream.Flush(flushToDisk: true);
            await stream.DisposeAsync().ConfigureAwait(false);
            _finished = true;
        }
    }
}
