using System.Text.Json.Nodes;
using ProxyOperator.Operator.Api;

namespace ProxyOperator.Packaging.Tests;

/// <summary>helm install, the operator as a process, kubectl apply -k config/samples: what the user sees.</summary>
public sealed class InstallJourneyTests(InstalledOperator installed) : IClassFixture<InstalledOperator>
{
    private JsonObject Item(string kind, string name) =>
        installed.Reconciled["items"]!.AsArray().OfType<JsonObject>().SingleOrDefault(i => (string?)i["kind"] == kind && (string?)i["metadata"]!["name"] == name)
        ?? throw new Xunit.Sdk.XunitException($"no {kind} {name} after the samples were reconciled; the operator printed:\n{installed.OperatorOutput}");

    private void AssertOwned(string kind, string name, string owner)
    {
        var uid = (string?)Item(GoModuleProxy.KubeKind, owner)["metadata"]!["uid"];
        var reference = Item(kind, name)["metadata"]!["ownerReferences"]?.AsArray().SingleOrDefault();
        Assert.True(reference is not null && (string?)reference["uid"] == uid && (bool?)reference["controller"] == true, $"{kind} {name} is not owned by GoModuleProxy {owner}");
    }

    [Fact]
    public void Every_sample_applied_with_kubectl_is_reconciled_and_its_status_observes_its_generation()
    {
        foreach (var name in InstalledOperator.Samples)
        {
            var proxy = Item(GoModuleProxy.KubeKind, name);
            Assert.Equal((long?)proxy["metadata"]!["generation"], (long?)proxy["status"]?["observedGeneration"]);
            Assert.Contains(proxy["status"]!["conditions"]!.AsArray(), c => (string?)c!["type"] == "Ready");
            Assert.Equal($"http://{name}.{InstalledOperator.SamplesNamespace}.svc:80", (string?)proxy["status"]!["endpoint"]);
            AssertOwned("ConfigMap", name + "-config", name);
            AssertOwned("Service", name, name);
        }
    }

    [Fact]
    public void Each_sample_gets_the_workload_its_storage_asks_for_with_the_images_the_chart_configured()
    {
        AssertOwned("StatefulSet", "goproxy", "goproxy");
        AssertOwned("StatefulSet", "goproxy-private", "goproxy-private");
        AssertOwned("Deployment", "goproxy-ha", "goproxy-ha");
        AssertOwned("Deployment", "goproxy-s3", "goproxy-s3");
        AssertOwned("Deployment", "goproxy-offline", "goproxy-offline");
        Assert.Equal(3, (int?)Item("Deployment", "goproxy-ha")["spec"]!["replicas"]);

        // The default proxy image is the chart's proxyImage (--proxy-image); a spec's own image wins.
        Assert.Equal("ghcr.io/proxyoperator/goproxy:0.1.0", (string?)Item("StatefulSet", "goproxy")["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
        Assert.Equal("registry.internal.example/mirror/goproxy:0.1.0", (string?)Item("Deployment", "goproxy-offline")["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
    }

    [Fact]
    public void The_ha_sample_gets_a_budget_an_nginx_ingress_and_a_shared_claim_and_the_s3_sample_an_autoscaler()
    {
        AssertOwned("PodDisruptionBudget", "goproxy-ha", "goproxy-ha");
        AssertOwned("PersistentVolumeClaim", "goproxy-ha-cache", "goproxy-ha");
        AssertOwned("Ingress", "goproxy-ha", "goproxy-ha");
        Assert.Equal("nginx", (string?)Item("Ingress", "goproxy-ha")["spec"]!["ingressClassName"]);
        AssertOwned("HorizontalPodAutoscaler", "goproxy-s3", "goproxy-s3");
        Assert.Equal(6, (int?)Item("HorizontalPodAutoscaler", "goproxy-s3")["spec"]!["maxReplicas"]);
    }

    [Fact]
    public async Task The_operator_leads_through_the_lease_in_the_release_namespace()
    {
        var holder = (await installed.Clients.KubectlAsync("get", "lease", "proxy-operator-leader", "-n", InstalledOperator.OperatorNamespace, "-o", "jsonpath={.spec.holderIdentity}")).EnsureSuccess().StandardOutput;

        Assert.StartsWith("proxy-operator-0_", holder, StringComparison.Ordinal);
    }
}
