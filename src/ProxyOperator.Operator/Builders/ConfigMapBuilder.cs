using k8s.Models;
using ProxyOperator.Operator.Api;

namespace ProxyOperator.Operator.Builders;

/// <summary>The ConfigMap holding the proxy's configuration file, mounted at <see cref="ProxyContainer.ConfigDirectory"/>.</summary>
public static class ConfigMapBuilder
{
    public static V1ConfigMap Build(GoModuleProxy proxy)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        return new V1ConfigMap
        {
            ApiVersion = Ownership.ApiVersion(V1ConfigMap.KubeGroup, V1ConfigMap.KubeApiVersion),
            Kind = V1ConfigMap.KubeKind,
            Metadata = Ownership.Metadata(proxy, Names.ConfigMap(Ownership.ProxyName(proxy))),
            Data = new Dictionary<string, string>(StringComparer.Ordinal) { [ProxyConfig.FileName] = ProxyConfig.Build(proxy.Spec, WorkloadBuilder.Instance(proxy)).Yaml },
        };
    }
}
