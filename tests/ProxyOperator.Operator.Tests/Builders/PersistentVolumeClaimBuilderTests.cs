using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Builders;

namespace ProxyOperator.Operator.Tests.Builders;

public sealed class PersistentVolumeClaimBuilderTests
{
    [Fact]
    public void A_read_write_many_disk_gets_one_shared_claim_with_its_size_and_class()
    {
        var claim = PersistentVolumeClaimBuilder.Build(Proxies.With(Proxies.Disk(VolumeAccessMode.ReadWriteMany, replicas: 3)))!;

        Assert.Equal("corp-cache", claim.Metadata.Name);
        Assert.Equal(["ReadWriteMany"], claim.Spec.AccessModes);
        Assert.Equal("50Gi", claim.Spec.Resources.Requests["storage"].ToString());
        Assert.Equal("fast", claim.Spec.StorageClassName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void An_unset_storage_class_is_left_to_the_clusters_default(string? storageClassName)
    {
        var claim = PersistentVolumeClaimBuilder.Build(Proxies.With(s => s.Storage = new StorageSpec
        {
            Type = StorageType.Disk,
            Disk = new DiskStorageSpec { AccessMode = VolumeAccessMode.ReadWriteMany, StorageClassName = storageClassName },
        }))!;

        Assert.Null(claim.Spec.StorageClassName);
        Assert.Equal(GoModuleProxyDefaults.DiskSize, claim.Spec.Resources.Requests["storage"].ToString());
    }

    public static TheoryData<string, GoModuleProxySpec> SpecsWithoutSharedClaim => new()
    {
        { "Disk ReadWriteOnce", Proxies.Disk(VolumeAccessMode.ReadWriteOnce, replicas: 3) },
        { "Disk by default", new GoModuleProxySpec() },
        { "S3", Proxies.S3() },
        { "Ephemeral", Proxies.Ephemeral() },
    };

    [Theory]
    [MemberData(nameof(SpecsWithoutSharedClaim))]
    public void Other_storage_owns_no_shared_claim(string storage, GoModuleProxySpec spec)
    {
        Assert.True(PersistentVolumeClaimBuilder.Build(Proxies.With(spec)) is null, storage);
    }
}
