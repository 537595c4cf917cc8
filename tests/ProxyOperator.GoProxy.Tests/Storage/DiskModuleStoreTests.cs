using ProxyOperator.GoProxy.Storage;
using ProxyOperator.GoProxy.Storage.Disk;

namespace ProxyOperator.GoProxy.Tests.Storage;

public sealed class DiskModuleStoreTests : ModuleStoreConformance, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "goproxy-store-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    protected override IModuleStore CreateStore() => new DiskModuleStore(_root);

    protected override IModuleStore ReopenStore() => new DiskModuleStore(_root);

    protected override void AssertNoStagedLeftovers() =>
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, ".staging")));

    [Fact]
    public async Task Layout_is_a_goproxy_tree_with_case_encoded_paths()
    {
        var store = CreateStore();
        await SaveVersionAsync(store, "example.com/Upper/Case", "v1.0.0-RC");
        Assert.True(File.Exists(Path.Combine(_root, "example.com", "!upper", "!case", "@v", "v1.0.0-!r!c.zip")));
        Assert.True(File.Exists(Path.Combine(_root, "example.com", "!upper", "!case", "@v", "v1.0.0-!r!c.info")));
    }

    [Fact]
    public async Task Staging_files_left_by_a_crash_long_ago_are_removed_at_start()
    {
        CreateStore();
        var leftover = Path.Combine(_root, ".staging", "crashed.part");
        await File.WriteAllTextAsync(leftover, "partial");
        File.SetLastWriteTimeUtc(leftover, DateTime.UtcNow.AddHours(-2));
        var recent = Path.Combine(_root, ".staging", "other-replica.part");
        await File.WriteAllTextAsync(recent, "in progress elsewhere");

        ReopenStore();

        Assert.False(File.Exists(leftover));
        Assert.True(File.Exists(recent), "a staging file another replica may still be writing must survive");
        File.Delete(recent);
    }
}
