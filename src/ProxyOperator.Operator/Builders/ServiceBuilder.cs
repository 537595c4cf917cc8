using k8s.Models;
using ProxyOperator.Operator.Api;

namespace ProxyOperator.Operator.Builders;

/// <summary>The Services in front of the proxy pods.</summary>
public static class ServiceBuilder
{
    /// <summary>The Service clients use as GOPROXY: type, port and annotations from <c>spec.service</c>.</summary>
    public static V1Service Build(GoModuleProxy proxy)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        var name = Ownership.ProxyName(proxy);
        var service = proxy.Spec.Service;
        return new V1Service
        {
            ApiVersion = Ownership.ApiVersion(V1Service.KubeGroup, V1Service.KubeApiVersion),
            Kind = V1Service.KubeKind,
            Metadata = Ownership.Metadata(proxy, Names.Service(name), service?.Annotations),
            Spec = new V1ServiceSpec
            {
                Type = (service?.Type ?? ServiceType.ClusterIP).ToString(),
                Ports = [HttpPort(EffectiveSpec.ServicePort(proxy.Spec))],
                Selector = Labels.Selector(name),
            },
        };
    }

    /// <summary>
    /// The headless Service that governs the StatefulSet, or null for a Deployment. A StatefulSet names one
    /// (<c>spec.serviceName</c>, required by apps/v1 before Kubernetes 1.29 and so by the 1.20 API we test against), and
    /// that Service must be headless to give each pod the stable DNS name that matches its own volume
    /// (<c>&lt;pod&gt;.&lt;service&gt;</c>). The client Service cannot be it: headless, it would lose its cluster IP.
    /// </summary>
    public static V1Service? BuildHeadless(GoModuleProxy proxy)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        if (!EffectiveSpec.UsesVolumePerReplica(proxy.Spec))
        {
            return null;
        }

        var name = Ownership.ProxyName(proxy);
        return new V1Service
        {
            ApiVersion = Ownership.ApiVersion(V1Service.KubeGroup, V1Service.KubeApiVersion),
            Kind = V1Service.KubeKind,
            Metadata = Ownership.Metadata(proxy, Names.HeadlessService(name)),
            Spec = new V1ServiceSpec
            {
                ClusterIP = "None",
                Ports = [HttpPort(ProxyContainer.Port)],
                Selector = Labels.Selector(name),
            },
        };
    }

    // Protocol is set although TCP is the default: it is part of the ports list's key under server-side apply.
    private static V1ServicePort HttpPort(int port) => new()
    {
        Name = ProxyContainer.PortName,
        Port = port,
        Protocol = "TCP",
        TargetPort = (IntOrString)ProxyContainer.PortName,
    };
}
