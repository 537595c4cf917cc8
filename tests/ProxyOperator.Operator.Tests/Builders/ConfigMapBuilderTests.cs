using ProxyOperator.Operator.Builders;

namespace ProxyOperator.Operator.Tests.Builders;

public sealed class ConfigMapBuilderTests
{
    [Fact]
    public void The_config_map_holds_the_proxy_configuration_under_config_yaml()
    {
        var spec = Proxies.Full();

        var configMap = ConfigMapBuilder.Build(Proxies.With(spec));

        Assert.Equal("corp-config", configMap.Metadata.Name);
        var (key, yaml) = Assert.Single(configMap.Data);
        Assert.Equal("config.yaml", key);
        Assert.Equal(ProxyConfig.Build(spec).Yaml, yaml);
        Assert.Null(configMap.BinaryData);
    }
}
