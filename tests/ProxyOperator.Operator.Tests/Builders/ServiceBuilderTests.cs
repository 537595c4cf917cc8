using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Builders;

namespace ProxyOperator.Operator.Tests.Builders;

public sealed class ServiceBuilderTests
{
    [Fact]
    public void The_service_takes_type_port_and_annotations_from_the_spec_and_targets_the_named_port()
    {
        var service = ServiceBuilder.Build(Proxies.With(Proxies.Full()));

        Assert.Equal("corp", service.Metadata.Name);
        Assert.Equal("LoadBalancer", service.Spec.Type);
        var port = Assert.Single(service.Spec.Ports);
        Assert.Equal(("http", 8080, "http", "TCP"), (port.Name, port.Port, port.TargetPort.ToString(), port.Protocol));
        Assert.Equal("true", service.Metadata.Annotations["lb.example/internal"]);
        Assert.Equal(Labels.Selector("corp"), service.Spec.Selector);
    }

    [Fact]
    public void An_empty_service_spec_gives_a_cluster_ip_service_on_port_80()
    {
        var service = ServiceBuilder.Build(Proxies.With(new GoModuleProxySpec()));

        Assert.Equal("ClusterIP", service.Spec.Type);
        Assert.Equal(GoModuleProxyDefaults.ServicePort, service.Spec.Ports[0].Port);
        Assert.Null(service.Metadata.Annotations);
        Assert.Null(service.Spec.ClusterIP);
    }

    [Theory]
    [InlineData(StorageType.Disk, VolumeAccessMode.ReadWriteOnce, true)]
    [InlineData(StorageType.Disk, VolumeAccessMode.ReadWriteMany, false)]
    [InlineData(StorageType.S3, null, false)]
    [InlineData(StorageType.Ephemeral, null, false)]
    public void Only_a_stateful_set_gets_the_headless_service_that_governs_it(StorageType type, VolumeAccessMode? accessMode, bool headless)
    {
        var proxy = Proxies.With(s => s.Storage = new StorageSpec
        {
            Type = type,
            Disk = accessMode is null ? null : new DiskStorageSpec { AccessMode = accessMode },
            S3 = type == StorageType.S3 ? new S3StorageSpec { Bucket = "modules" } : null,
        });

        var service = ServiceBuilder.BuildHeadless(proxy);

        Assert.Equal(headless, service is not null);
        if (service is not null)
        {
            Assert.Equal(WorkloadBuilder.BuildStatefulSet(proxy)!.Spec.ServiceName, service.Metadata.Name);
            Assert.Equal("None", service.Spec.ClusterIP);
            Assert.Null(service.Spec.Type);
            Assert.Equal(ProxyContainer.Port, Assert.Single(service.Spec.Ports).Port);
            Assert.Equal(Labels.Selector("corp"), service.Spec.Selector);
        }
    }
}
