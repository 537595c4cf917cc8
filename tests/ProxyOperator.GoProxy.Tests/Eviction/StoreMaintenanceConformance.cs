using System.Text;
using ProxyOperator.GoProxy.Storage;
using ProxyOperator.GoProxy.Storage.Disk;
using ProxyOperator.Modules;
using ProxyOperator.Testing;

namespace ProxyOperator.GoProxy.Tests.Eviction;

/// <summary>
/// The suite every <see cref="IStoreMaintenance"/> backend passes: a backend's class says how to make a fresh store
/// that implements both interfaces.
/// </summary>
public abstract class StoreMaintenanceConformance
{
    protected abstract IModuleStore CreateStore();

    private static ModulePath Module(string path) => ModulePath.Parse(path);

    private static ArtifactKey Key(string path, ArtifactKind kind, string version) => ArtifactKey.ForVersion(Module(path), kind, version);

    private static async Task SaveAsync(IModuleStore store, ArtifactKey key, string content)
    {
        await using var upload = await store.BeginUploadAsync(key, CancellationToken.None);
        await upload.Content.WriteAsync(Encoding.UTF8.GetBytes(content));
        await upload.CommitAsync(CancellationToken.None);
    }

    /// <summary>Stores a version of 100 + 50 + <paramref name="zipBytes"/> bytes.</summary>
    private static async Task SaveVersionAsync(IModuleStore store, string path, string version, int zipBytes = 1000)
    {
        await SaveAsync(store, Key(path, ArtifactKind.Info, version), new string('i', 100));
        await SaveAsync(store, Key(path, ArtifactKind.Mod, version), new string('m', 50));
        await SaveAsync(store, Key(path, ArtifactKind.Zip, version), new string('z', zipBytes));
    }

    private static async Task<List<StoredVersion>> AllAsync(IModuleStore store)
    {
        var all = new List<StoredVersion>();
        await foreach (var version in ((IStoreMaintenance)store).EnumerateVersionsAsync(CancellationToken.None))
        {
            all.Add(version);
        }

        return all.OrderBy(v => v.Module.Value, StringComparer.Ordinal).ThenBy(v => v.Version, StringComparer.Ordinal).ToList();
    }

    private static async Task<bool> ExistsAsync(IModuleStore store, ArtifactKey key)
    {
        var stored = await store.OpenAsync(key, CancellationToken.None);
        if (stored is null)
        {
            return false;
        }

        await stored.DisposeAsync();
        return true;
    }

    [Fact]
    public async Task Enumerates_each_version_once_with_the_sum_of_its_files()
    {
        var store = CreateStore();
        await SaveVersionAsync(store, "example.com/one", "v1.0.0", 1000);
        await SaveVersionAsync(store, "example.com/one", "v1.1.0", 2000);
        await SaveVersionAsync(store, "example.com/Upper/two", "v0.1.0-pre", 10);
        await SaveAsync(store, ArtifactKey.ForList(Module("example.com/one")), "v1.0.0\nv1.1.0\n");

        var all = await AllAsync(store);
        Assert.Equal(["example.com/Upper/two@v0.1.0-pre", "example.com/one@v1.0.0", "example.com/one@v1.1.0"], all.Select(v => $"{v.Module}@{v.Version}"));
        Assert.Equal([160L, 1150L, 2150L], all.Select(v => v.Bytes));
        Assert.All(all, v => Assert.True(v.LastAccess > DateTimeOffset.UtcNow.AddMinutes(-5)));
    }

    [Fact]
    public async Task Deleting_a_version_removes_info_mod_zip_and_the_module_metadata_and_frees_the_usage()
    {
        var store = CreateStore();
        var maintenance = (IStoreMaintenance)store;
        await SaveVersionAsync(store, "example.com/one", "v1.0.0", 1000);
        await SaveVersionAsync(store, "example.com/one", "v1.1.0", 1000);
        await SaveAsync(store, ArtifactKey.ForList(Module("example.com/one")), "v1.0.0\nv1.1.0\n");
        await SaveAsync(store, ArtifactKey.ForLatest(Module("example.com/one")), "{\"Version\":\"v1.1.0\"}");
        var before = await store.GetUsageAsync(CancellationToken.None);

        Assert.Equal(1150, await maintenance.DeleteVersionAsync(Module("example.com/one"), "v1.1.0", CancellationToken.None));

        foreach (var kind in new[] { ArtifactKind.Info, ArtifactKind.Mod, ArtifactKind.Zip })
        {
            Assert.False(await ExistsAsync(store, Key("example.com/one", kind, "v1.1.0")));
            Assert.True(await ExistsAsync(store, Key("example.com/one", kind, "v1.0.0")));
        }

        Assert.False(await ExistsAsync(store, ArtifactKey.ForList(Module("example.com/one"))));
        Assert.False(await ExistsAsync(store, ArtifactKey.ForLatest(Module("example.com/one"))));
        Assert.Equal(["v1.0.0"], await store.ListVersionsAsync(Module("example.com/one"), CancellationToken.None));
        var after = await store.GetUsageAsync(CancellationToken.None);
        Assert.Equal(before.Bytes - 1150, after.Bytes);
        Assert.Equal(before.Artifacts - 3, after.Artifacts);
        Assert.Equal(0, await maintenance.DeleteVersionAsync(Module("example.com/one"), "v1.1.0", CancellationToken.None));
    }

    [Fact]
    public async Task Deleting_a_module_leaves_modules_whose_path_extends_it()
    {
        var store = CreateStore();
        var maintenance = (IStoreMaintenance)store;
        await SaveVersionAsync(store, "github.com/one/two", "v1.0.0", 100);
        await SaveVersionAsync(store, "github.com/one/two", "v1.1.0", 100);
        await SaveVersionAsync(store, "github.com/one/two-suffix", "v1.0.0", 100);
        await SaveVersionAsync(store, "github.com/one/two/three", "v1.0.0", 100);

        Assert.Equal(500, await maintenance.DeleteModuleAsync(Module("github.com/one/two"), CancellationToken.None));

        Assert.Equal(["github.com/one/two-suffix@v1.0.0", "github.com/one/two/three@v1.0.0"], (await AllAsync(store)).Select(v => $"{v.Module}@{v.Version}"));
        Assert.Equal(0, await maintenance.DeleteModuleAsync(Module("github.com/one/two"), CancellationToken.None));
    }

    [Fact]
    public async Task Recorded_access_makes_a_version_the_most_recently_used()
    {
        var store = CreateStore();
        await SaveVersionAsync(store, "example.com/one", "v1.0.0");
        await Task.Delay(50);
        await SaveVersionAsync(store, "example.com/one", "v1.1.0");
        await Task.Delay(50);

        await ((IStoreMaintenance)store).RecordAccessAsync(Key("example.com/one", ArtifactKind.Zip, "v1.0.0"), CancellationToken.None);

        var all = await AllAsync(store);
        Assert.True(all[0].LastAccess > all[1].LastAccess, $"{all[0].LastAccess:o} vs {all[1].LastAccess:o}");
    }

    [Fact]
    public async Task Concurrent_deletes_of_one_version_free_its_bytes_once()
    {
        var store = CreateStore();
        var maintenance = (IStoreMaintenance)store;
        await SaveVersionAsync(store, "example.com/one", "v1.0.0", 1000);
        var before = await store.GetUsageAsync(CancellationToken.None);

        var freed = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => maintenance.DeleteVersionAsync(Module("example.com/one"), "v1.0.0", CancellationToken.None))));

        Assert.Equal(1150, freed.Sum());
        Assert.Equal(before.Bytes - 1150, (await store.GetUsageAsync(CancellationToken.None)).Bytes);
    }

    [Fact]
    public async Task Reader_that_opened_an_artifact_before_its_deletion_reads_it_whole()
    {
        var store = CreateStore();
        await SaveVersionAsync(store, "example.com/one", "v1.0.0", 100_000);
        var stored = await store.OpenAsync(Key("example.com/one", ArtifactKind.Zip, "v1.0.0"), CancellationToken.None);
        Assert.NotNull(stored);
        await using (stored)
        {
            var first = new byte[10];
            await stored.Content.ReadExactlyAsync(first);
            await ((IStoreMaintenance)store).DeleteVersionAsync(Module("example.com/one"), "v1.0.0", CancellationToken.None);
            using var rest = new MemoryStream();
            await stored.Content.CopyToAsync(rest);
            Assert.Equal(100_000 - 10, rest.Length);
        }
    }
}

public sealed class DiskStoreMaintenanceTests : StoreMaintenanceConformance, IDisposable
{
    private readonly TempDirectory _dir = TempDirectory.Create("goproxy-maint-");

    protected override IModuleStore CreateStore() => new DiskModuleStore(Path.Combine(_dir.Path, Guid.NewGuid().ToString("N"))) { AccessResolution = TimeSpan.Zero };

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Access_is_recorded_even_on_a_noatime_mount_because_it_is_written_explicitly()
    {
        // What the kernel does on read does not matter: the store sets the access time itself.
        var store = new DiskModuleStore(Path.Combine(_dir.Path, "explicit")) { AccessResolution = TimeSpan.Zero };
        var key = ArtifactKey.ForVersion(ModulePath.Parse("example.com/one"), ArtifactKind.Zip, "v1.0.0");
        await using (var upload = await store.BeginUploadAsync(key, CancellationToken.None))
        {
            await upload.Content.WriteAsync(new byte[] { 1, 2, 3 });
            await upload.CommitAsync(CancellationToken.None);
        }

        var file = Path.Combine(store.Root, key.RelativePath);
        File.SetLastAccessTimeUtc(file, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        File.SetLastWriteTimeUtc(file, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        await store.RecordAccessAsync(key, CancellationToken.None);

        Assert.True(File.GetLastAccessTimeUtc(file) > DateTime.UtcNow.AddMinutes(-1));
        Assert.Equal(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), File.GetLastWriteTimeUtc(file));
    }
}
