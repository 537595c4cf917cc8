using System.Text;
using ProxyOperator.GoProxy.Storage;
using ProxyOperator.Modules;

namespace ProxyOperator.GoProxy.Tests.Storage;

/// <summary>
/// The one suite every <see cref="IModuleStore"/> backend passes. A backend's test class derives from it and says
/// how to make a fresh, empty store (and how to reopen one over the same data, as a restarted replica would).
/// </summary>
public abstract class ModuleStoreConformance
{
    protected abstract IModuleStore CreateStore();

    /// <summary>A second store over the same data, as after a restart or on another replica.</summary>
    protected abstract IModuleStore ReopenStore();

    protected static ModulePath Module(string path) =>
        ModulePath.TryParse(path, out var module, out var error) ? module : throw new ArgumentException(error);

    protected static ArtifactKey Key(string path, ArtifactKind kind, string version) => ArtifactKey.ForVersion(Module(path), kind, version);

    protected static async Task SaveAsync(IModuleStore store, ArtifactKey key, string content)
    {
        await using var upload = await store.BeginUploadAsync(key, CancellationToken.None);
        await upload.Content.WriteAsync(Encoding.UTF8.GetBytes(content));
        await upload.CommitAsync(CancellationToken.None);
    }

    protected static async Task<string?> ReadAsync(IModuleStore store, ArtifactKey key)
    {
        var stored = await store.OpenAsync(key, CancellationToken.None);
        if (stored is null)
        {
            return null;
        }

        await using (stored)
        {
            using var reader = new StreamReader(stored.Content, Encoding.UTF8);
            var text = await reader.ReadToEndAsync();
            Assert.Equal(Encoding.UTF8.GetByteCount(text), stored.Length);
            return text;
        }
    }

    protected static async Task SaveVersionAsync(IModuleStore store, string path, string version)
    {
        await SaveAsync(store, Key(path, ArtifactKind.Info, version), $"{{\"Version\":\"{version}\"}}");
        await SaveAsync(store, Key(path, ArtifactKind.Mod, version), $"module {path}\n");
        await SaveAsync(store, Key(path, ArtifactKind.Zip, version), $"zip of {path}@{version}");
    }

    [Fact]
    public async Task Saved_artifact_reads_back_with_its_length()
    {
        var store = CreateStore();
        var key = Key("example.com/lib/a", ArtifactKind.Mod, "v1.0.0");
        await SaveAsync(store, key, "module example.com/lib/a\n");
        Assert.Equal("module example.com/lib/a\n", await ReadAsync(store, key));
    }

    [Fact]
    public async Task Missing_artifact_is_null_not_an_error()
    {
        var store = CreateStore();
        Assert.Null(await store.OpenAsync(Key("example.com/none", ArtifactKind.Zip, "v1.0.0"), CancellationToken.None));
        Assert.Null(await store.OpenAsync(ArtifactKey.ForList(Module("example.com/none")), CancellationToken.None));
        Assert.Empty(await store.ListVersionsAsync(Module("example.com/none"), CancellationToken.None));
    }

    [Fact]
    public async Task Module_whose_path_extends_another_does_not_mix_with_it()
    {
        var store = CreateStore();
        await SaveVersionAsync(store, "github.com/one/two", "v1.0.0");
        await SaveVersionAsync(store, "github.com/one/two-suffix", "v1.1.0");
        await SaveVersionAsync(store, "github.com/one/two/three", "v1.2.0");

        Assert.Equal(["v1.0.0"], await store.ListVersionsAsync(Module("github.com/one/two"), CancellationToken.None));
        Assert.Equal(["v1.1.0"], await store.ListVersionsAsync(Module("github.com/one/two-suffix"), CancellationToken.None));
        Assert.Null(await ReadAsync(store, Key("github.com/one/two", ArtifactKind.Mod, "v1.1.0")));
    }

    [Fact]
    public async Task Prerelease_versions_that_share_a_prefix_stay_apart()
    {
        var store = CreateStore();
        await SaveAsync(store, Key("example.com/pre", ArtifactKind.Mod, "v1.2.3-pre"), "pre");
        await SaveAsync(store, Key("example.com/pre", ArtifactKind.Mod, "v1.2.3-pre.1"), "pre.1");
        Assert.Equal("pre", await ReadAsync(store, Key("example.com/pre", ArtifactKind.Mod, "v1.2.3-pre")));
        Assert.Equal("pre.1", await ReadAsync(store, Key("example.com/pre", ArtifactKind.Mod, "v1.2.3-pre.1")));
    }

    [Fact]
    public async Task Paths_that_differ_only_in_case_are_different_modules()
    {
        var store = CreateStore();
        await SaveAsync(store, Key("example.com/Upper/Case", ArtifactKind.Mod, "v1.0.0"), "upper");
        await SaveAsync(store, Key("example.com/upper/case", ArtifactKind.Mod, "v1.0.0"), "lower");
        Assert.Equal("upper", await ReadAsync(store, Key("example.com/Upper/Case", ArtifactKind.Mod, "v1.0.0")));
        Assert.Equal("lower", await ReadAsync(store, Key("example.com/upper/case", ArtifactKind.Mod, "v1.0.0")));
    }

    [Fact]
    public async Task List_of_versions_holds_only_versions_with_info_mod_and_zip()
    {
        var store = CreateStore();
        await SaveVersionAsync(store, "example.com/lib/c", "v1.1.0");
        await SaveVersionAsync(store, "example.com/lib/c", "v1.0.0");
        await SaveVersionAsync(store, "example.com/lib/c", "v1.10.0");
        await SaveAsync(store, Key("example.com/lib/c", ArtifactKind.Info, "v1.2.0"), "{}");
        await SaveAsync(store, Key("example.com/lib/c", ArtifactKind.Mod, "v1.2.0"), "module example.com/lib/c\n");

        var versions = await store.ListVersionsAsync(Module("example.com/lib/c"), CancellationToken.None);
        Assert.Equal(["v1.0.0", "v1.1.0", "v1.10.0"], versions);
    }

    [Fact]
    public async Task Incompatible_and_major_version_modules_are_listed_under_their_own_paths()
    {
        var store = CreateStore();
        await SaveVersionAsync(store, "example.com/old/legacy", "v2.0.0+incompatible");
        await SaveVersionAsync(store, "example.com/lib/a/v2", "v2.0.0");
        Assert.Equal(["v2.0.0+incompatible"], await store.ListVersionsAsync(Module("example.com/old/legacy"), CancellationToken.None));
        Assert.Equal(["v2.0.0"], await store.ListVersionsAsync(Module("example.com/lib/a/v2"), CancellationToken.None));
    }

    [Fact]
    public async Task Immutable_artifact_keeps_its_first_content()
    {
        var store = CreateStore();
        var key = Key("example.com/lib/a", ArtifactKind.Zip, "v1.0.0");
        await SaveAsync(store, key, "first");

        await using var second = await store.BeginUploadAsync(key, CancellationToken.None);
        await second.Content.WriteAsync("second"u8.ToArray());
        Assert.False(await second.CommitAsync(CancellationToken.None));
        Assert.Equal("first", await ReadAsync(store, key));
    }

    [Fact]
    public async Task List_and_latest_are_replaced_by_a_newer_write()
    {
        var store = CreateStore();
        var list = ArtifactKey.ForList(Module("example.com/lib/a"));
        await SaveAsync(store, list, "v1.0.0\n");
        await SaveAsync(store, list, "v1.0.0\nv1.2.0\n");
        Assert.Equal("v1.0.0\nv1.2.0\n", await ReadAsync(store, list));

        var latest = ArtifactKey.ForLatest(Module("example.com/lib/a"));
        await SaveAsync(store, latest, "{\"Version\":\"v1.2.0\"}");
        Assert.Equal("{\"Version\":\"v1.2.0\"}", await ReadAsync(store, latest));
    }

    [Fact]
    public async Task Staged_bytes_can_be_read_back_before_commit_and_are_invisible_until_then()
    {
        var store = CreateStore();
        var key = Key("example.com/staged", ArtifactKind.Zip, "v1.0.0");
        await using var upload = await store.BeginUploadAsync(key, CancellationToken.None);
        await upload.Content.WriteAsync("staged bytes"u8.ToArray());

        await using (var staged = await upload.OpenStagedAsync(CancellationToken.None))
        {
            Assert.True(staged.CanSeek);
            Assert.Equal("staged bytes", await new StreamReader(staged).ReadToEndAsync());
        }

        Assert.Null(await store.OpenAsync(key, CancellationToken.None));
        Assert.True(await upload.CommitAsync(CancellationToken.None));
        Assert.Equal("staged bytes", await ReadAsync(store, key));
    }

    [Fact]
    public async Task Upload_disposed_without_commit_leaves_nothing_behind()
    {
        var store = CreateStore();
        var key = Key("example.com/aborted", ArtifactKind.Zip, "v1.0.0");
        await using (var upload = await store.BeginUploadAsync(key, CancellationToken.None))
        {
            await upload.Content.WriteAsync(new byte[100_000]);
        }

        Assert.Null(await store.OpenAsync(key, CancellationToken.None));
        Assert.Null(await ReopenStore().OpenAsync(key, CancellationToken.None));
        AssertNoStagedLeftovers();
    }

    [Fact]
    public async Task Writer_killed_halfway_never_publishes_a_partial_artifact()
    {
        var store = CreateStore();
        var key = Key("example.com/killed", ArtifactKind.Zip, "v1.0.0");

        // A writer that dies mid-transfer: it wrote part of the zip and will never commit or dispose.
        var upload = await store.BeginUploadAsync(key, CancellationToken.None);
        await upload.Content.WriteAsync(new byte[64 << 10]);
        await upload.Content.FlushAsync();

        Assert.Null(await store.OpenAsync(key, CancellationToken.None));
        var restarted = ReopenStore();
        Assert.Null(await restarted.OpenAsync(key, CancellationToken.None));
        Assert.Empty(await restarted.ListVersionsAsync(Module("example.com/killed"), CancellationToken.None));

        // The replica that restarts can still store the artifact in full.
        await SaveAsync(restarted, key, "complete");
        Assert.Equal("complete", await ReadAsync(restarted, key));
    }

    [Fact]
    public async Task Writer_failing_mid_stream_publishes_nothing_and_leaves_nothing_behind()
    {
        var store = CreateStore();
        var key = Key("example.com/failed", ArtifactKind.Zip, "v1.0.0");

        // The upstream connection drops mid-zip: the caller's `await using` disposes the upload without a commit.
        var failure = await Assert.ThrowsAsync<IOException>(async () =>
        {
            await using var upload = await store.BeginUploadAsync(key, CancellationToken.None);
            await upload.Content.WriteAsync(new byte[256 << 10]);
            throw new IOException("upstream connection reset");
        });

        Assert.Equal("upstream connection reset", failure.Message);
        Assert.Null(await store.OpenAsync(key, CancellationToken.None));
        Assert.Empty(await ReopenStore().ListVersionsAsync(Module("example.com/failed"), CancellationToken.None));
        AssertNoStagedLeftovers();
    }

    [Fact]
    public async Task Large_zip_is_stored_and_read_back_whole()
    {
        var store = CreateStore();
        var key = Key("example.com/large", ArtifactKind.Zip, "v1.0.0");
        var chunk = new byte[1 << 16];
        using var written = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        await using (var upload = await store.BeginUploadAsync(key, CancellationToken.None))
        {
            for (var offset = 0L; offset < LargeArtifactBytes; offset += chunk.Length)
            {
                // Every chunk differs, so parts stored out of order or twice would not read back equal.
                BitConverter.TryWriteBytes(chunk, offset);
                await upload.Content.WriteAsync(chunk);
                written.AppendData(chunk);
            }

            Assert.True(await upload.CommitAsync(CancellationToken.None));
        }

        var stored = await store.OpenAsync(key, CancellationToken.None);
        Assert.NotNull(stored);
        await using (stored)
        {
            Assert.Equal(LargeArtifactBytes, stored.Length);
            var read = await System.Security.Cryptography.SHA256.HashDataAsync(stored.Content);
            Assert.Equal(written.GetHashAndReset(), read);
        }

        AssertNoStagedLeftovers();
    }

    [Fact]
    public async Task Concurrent_writers_of_one_artifact_publish_exactly_one_whole_copy()
    {
        var store = CreateStore();
        var key = Key("example.com/race", ArtifactKind.Zip, "v1.0.0");
        var contents = Enumerable.Range(0, 16).Select(i => new string((char)('a' + i), 200_000)).ToArray();
        var start = new TaskCompletionSource();
        var writers = contents.Select(async content =>
        {
            await start.Task;
            await using var upload = await store.BeginUploadAsync(key, CancellationToken.None);
            await upload.Content.WriteAsync(Encoding.UTF8.GetBytes(content));
            return await upload.CommitAsync(CancellationToken.None);
        }).ToArray();
        start.SetResult();
        var committed = await Task.WhenAll(writers);

        Assert.Equal(1, committed.Count(c => c));
        var stored = await ReadAsync(store, key);
        Assert.Contains(stored, contents);
        AssertNoStagedLeftovers();
    }

    [Fact]
    public async Task Readers_during_a_replacement_see_old_or_new_content_whole()
    {
        var store = CreateStore();
        var key = ArtifactKey.ForList(Module("example.com/flip"));
        var a = string.Join("\n", Enumerable.Repeat("v1.0.0", 20_000));
        var b = string.Join("\n", Enumerable.Repeat("v2.0.0", 20_000));
        await SaveAsync(store, key, a);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 30 && !stop.IsCancellationRequested; i++)
            {
                await SaveAsync(store, key, i % 2 == 0 ? b : a);
            }
        });
        while (!writer.IsCompleted)
        {
            var read = await ReadAsync(store, key);
            Assert.True(read == a || read == b, "a reader saw a mix of two writes");
        }

        await writer;
    }

    [Fact]
    public async Task Reader_that_stops_halfway_releases_the_artifact_cleanly()
    {
        // A go command that disconnects mid-zip: the proxy disposes the half-read artifact, which must not throw.
        var store = CreateStore();
        var key = Key("example.com/halfread", ArtifactKind.Zip, "v1.0.0");
        await SaveAsync(store, key, new string('z', 300_000));
        var stored = await store.OpenAsync(key, CancellationToken.None);
        Assert.NotNull(stored);
        var half = new byte[150_000];
        await stored.Content.ReadExactlyAsync(half);
        await stored.DisposeAsync();

        Assert.Equal(new string('z', 300_000), await ReadAsync(store, key));
    }

    [Fact]
    public async Task Usage_counts_versioned_artifacts_and_their_bytes()
    {
        var store = CreateStore();
        var before = await store.GetUsageAsync(CancellationToken.None);
        await SaveAsync(store, Key("example.com/usage", ArtifactKind.Zip, "v1.0.0"), new string('x', 1000));
        await SaveAsync(store, Key("example.com/usage", ArtifactKind.Mod, "v1.0.0"), new string('y', 10));
        await SaveAsync(store, ArtifactKey.ForList(Module("example.com/usage")), "v1.0.0\n");
        var after = await store.GetUsageAsync(CancellationToken.None);
        Assert.Equal(before.Artifacts + 2, after.Artifacts);
        Assert.Equal(before.Bytes + 1010, after.Bytes);

        var reopened = await ReopenStore().GetUsageAsync(CancellationToken.None);
        Assert.Equal(after, reopened);
    }

    [Fact]
    public async Task Writable_store_passes_its_readiness_check()
    {
        await CreateStore().CheckWritableAsync(CancellationToken.None);
    }

    /// <summary>Backends check that aborted and lost writes left no staging debris that could grow forever.</summary>
    protected abstract void AssertNoStagedLeftovers();

    /// <summary>Size of the large zip: big enough to cross a backend's multipart threshold, small enough to stay quick.</summary>
    protected virtual long LargeArtifactBytes => 20L << 20;
}
