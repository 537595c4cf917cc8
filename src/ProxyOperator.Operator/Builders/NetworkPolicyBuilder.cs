using k8s.Models;
using ProxyOperator.Operator.Api;

namespace ProxyOperator.Operator.Builders;

/// <summary>
/// The NetworkPolicy that closes the proxy pods to all but the ingress controller, the operator and the namespaces the
/// spec names. Namespaces are matched by kubernetes.io/metadata.name, the label every namespace carries (1.21+).
/// Kubelet probes come from the node and are not subject to it.
/// </summary>
public static class NetworkPolicyBuilder
{
    public const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    /// <param name="proxy">The resource.</param>
    /// <param name="operatorNamespace">Where the operator runs, which must reach each pod's /status; null when unknown (outside a cluster).</param>
    /// <returns>The policy, or null unless spec.networkPolicy.enabled.</returns>
    public static V1NetworkPolicy? Build(GoModuleProxy proxy, string? operatorNamespace)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        var spec = proxy.Spec.NetworkPolicy;
        if (spec?.Enabled != true)
        {
            return null;
        }

        var name = Ownership.ProxyName(proxy);
        var namespaces = new SortedSet<string>(StringComparer.Ordinal);
        namespaces.UnionWith(spec.IngressControllerNamespaces is { Count: > 0 } controllers ? controllers : [DefaultControllerNamespace(proxy.Spec)]);
        namespaces.UnionWith(spec.AllowedNamespaces ?? []);
        if (operatorNamespace is { Length: > 0 })
        {
            namespaces.Add(operatorNamespace);
        }

        return new V1NetworkPolicy
        {
            ApiVersion = Ownership.ApiVersion(V1NetworkPolicy.KubeGroup, V1NetworkPolicy.KubeApiVersion),
            Kind = V1NetworkPolicy.KubeKind,
            Metadata = Ownership.Metadata(proxy, Names.NetworkPolicy(name)),
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = Labels.Selector(name) },
                PolicyTypes = ["Ingress"],
                Ingress =
                [
                    new V1NetworkPolicyIngressRule
                    {
                        FromProperty =
                        [
                            new V1NetworkPolicyPeer
                            {
                                NamespaceSelector = new V1LabelSelector
                                {
                                    MatchExpressions = [new V1LabelSelectorRequirement { Key = NamespaceNameLabel, OperatorProperty = "In", Values = [.. namespaces] }],
                                },
                            },
                        ],
                        Ports = [new V1NetworkPolicyPort { Port = (IntOrString)ProxyContainer.PortName, Protocol = "TCP" }],
                    },
                ],
            },
        };
    }

    /// <summary>The namespaces the controllers' own charts install into by default.</summary>
    private static string DefaultControllerNamespace(GoModuleProxySpec spec) =>
        (spec.Ingress?.ClassName ?? IngressClass.Nginx) == IngressClass.Haproxy ? "haproxy-controller" : "ingress-nginx";
}
