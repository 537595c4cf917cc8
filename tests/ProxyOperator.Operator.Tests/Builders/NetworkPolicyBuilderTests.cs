using k8s.Models;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Builders;

namespace ProxyOperator.Operator.Tests.Builders;

public sealed class NetworkPolicyBuilderTests
{
    private static string[] Namespaces(V1NetworkPolicy policy) =>
        [.. policy.Spec.Ingress.Single().FromProperty.Single().NamespaceSelector.MatchExpressions.Single().Values];

    [Fact]
    public void No_policy_unless_enabled()
    {
        Assert.Null(NetworkPolicyBuilder.Build(Proxies.With(new GoModuleProxySpec()), "proxy-operator-system"));
        Assert.Null(NetworkPolicyBuilder.Build(Proxies.With(s => s.NetworkPolicy = new NetworkPolicySpec { Enabled = false }), "proxy-operator-system"));
    }

    [Fact]
    public void The_policy_lets_in_the_ingress_controller_the_operator_and_the_named_namespaces_on_the_proxy_port_only()
    {
        var proxy = Proxies.With(s => s.NetworkPolicy = new NetworkPolicySpec { Enabled = true, AllowedNamespaces = ["ci", "monitoring"] });

        var policy = NetworkPolicyBuilder.Build(proxy, "proxy-operator-system")!;

        Assert.Equal(Labels.Selector(proxy.Metadata.Name), policy.Spec.PodSelector.MatchLabels);
        Assert.Equal(["Ingress"], policy.Spec.PolicyTypes);
        Assert.Equal(["ci", "ingress-nginx", "monitoring", "proxy-operator-system"], Namespaces(policy));
        Assert.Equal(NetworkPolicyBuilder.NamespaceNameLabel, policy.Spec.Ingress.Single().FromProperty.Single().NamespaceSelector.MatchExpressions.Single().Key);
        var port = policy.Spec.Ingress.Single().Ports.Single();
        Assert.Equal((ProxyContainer.PortName, "TCP"), (port.Port.Value, port.Protocol));
        Assert.Equal(proxy.Metadata.Uid, policy.Metadata.OwnerReferences.Single().Uid);
    }

    [Theory]
    [InlineData(IngressClass.Nginx, null, "ingress-nginx")]
    [InlineData(IngressClass.Haproxy, null, "haproxy-controller")]
    [InlineData(IngressClass.Haproxy, "edge", "edge")]
    public void The_ingress_controllers_namespace_defaults_by_class(IngressClass className, string? configured, string expected)
    {
        var proxy = Proxies.With(s =>
        {
            s.Ingress = new IngressSpec { Enabled = true, ClassName = className, Host = "goproxy.example" };
            s.NetworkPolicy = new NetworkPolicySpec { Enabled = true, IngressControllerNamespaces = configured is null ? null : [configured] };
        });

        Assert.Equal([expected], Namespaces(NetworkPolicyBuilder.Build(proxy, operatorNamespace: null)!));
    }
}
