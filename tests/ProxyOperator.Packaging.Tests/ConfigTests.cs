using System.Text.Json.Nodes;
using k8s.Models;
using ProxyOperator.Operator.Api;

namespace ProxyOperator.Packaging.Tests;

/// <summary>config/ for kustomize users: in step with the chart, and valid as rendered by the real kubectl.</summary>
public sealed class ConfigTests
{
    [Fact]
    public void The_charts_crd_is_identical_to_the_generated_one()
    {
        var generated = File.ReadAllText(Repository.Path("config", "crd", "bases", "proxyoperator.io_gomoduleproxies.yaml"));
        var chart = File.ReadAllText(Repository.Path("charts", "proxy-operator", "crds", "proxyoperator.io_gomoduleproxies.yaml"));

        Assert.True(generated == chart,
            "charts/proxy-operator/crds/ holds another CRD than config/crd/bases/: run `make manifests` (which copies it), or " +
            "`cp config/crd/bases/proxyoperator.io_gomoduleproxies.yaml charts/proxy-operator/crds/`.");
    }

    [Fact]
    public async Task Config_rbac_and_manager_are_what_the_chart_renders_with_its_defaults()
    {
        var output = Directory.CreateTempSubdirectory("config-generated-").FullName;
        var clients = Repository.OfflineClients();

        (await clients.RunAsync("/bin/bash", [Repository.Path("config", "generate.sh"), output], TimeSpan.FromSeconds(60))).EnsureSuccess();

        foreach (var file in new[] { "rbac/service_account.yaml", "rbac/role.yaml", "rbac/leader_election_role.yaml", "manager/manager.yaml", "manager/metrics_service.yaml" })
        {
            Assert.True(File.ReadAllText(Path.Combine(output, file)) == File.ReadAllText(Repository.Path("config", file)),
                $"config/{file} differs from the chart's rendering: run `bash config/generate.sh` and commit the result.");
        }
    }

    [Theory]
    [InlineData("default")]
    [InlineData("samples")]
    public async Task Kustomize_renders_objects_that_read_strictly_into_their_models(string folder)
    {
        var rendered = (await Repository.OfflineClients().KubectlAsync("kustomize", Repository.Path("config", folder))).EnsureSuccess();

        var documents = Manifests.Documents(rendered.StandardOutput);
        Assert.NotEmpty(documents);
        Assert.All(documents, document => Manifests.ReadStrictly(document));
    }

    [Fact]
    public async Task Config_default_installs_everything_in_proxy_operator_system()
    {
        var rendered = (await Repository.OfflineClients().KubectlAsync("kustomize", Repository.Path("config", "default"))).EnsureSuccess();

        var documents = Manifests.Documents(rendered.StandardOutput);
        Assert.Equal(
            ["ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "Deployment", "Namespace", "Role", "RoleBinding", "Service", "ServiceAccount"],
            documents.Select(d => (string)d["kind"]!).Order(StringComparer.Ordinal));
        Assert.All(documents.Where(d => (string?)d["kind"] is not ("Namespace" or "ClusterRole" or "ClusterRoleBinding" or "CustomResourceDefinition")),
            d => Assert.Equal("proxy-operator-system", (string?)d["metadata"]!["namespace"]));
        var deployment = Manifests.ReadStrictly<V1Deployment>(documents.Single(d => (string?)d["kind"] == "Deployment"));
        Assert.Equal(2, deployment.Spec.Replicas);
        // The CRD kustomize installs is the chart's, field for field.
        var chartCrd = Manifests.Documents(await File.ReadAllTextAsync(Repository.Path("charts", "proxy-operator", "crds", "proxyoperator.io_gomoduleproxies.yaml"))).Single();
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(chartCrd, documents.Single(d => (string?)d["kind"] == "CustomResourceDefinition")),
            "kubectl kustomize config/default renders a CRD that differs from charts/proxy-operator/crds/: run make manifests");
    }

    [Fact]
    public async Task Every_sample_is_listed_in_the_samples_kustomization_and_each_secret_it_names_comes_with_it()
    {
        var listed = (await Repository.OfflineClients().KubectlAsync("kustomize", Repository.Path("config", "samples"))).EnsureSuccess();
        var documents = Manifests.Documents(listed.StandardOutput);
        var files = Directory.GetFiles(Repository.Path("config", "samples"), "gomoduleproxy-*.yaml");

        var proxies = documents.Where(d => (string?)d["kind"] == GoModuleProxy.KubeKind).Select(Manifests.ReadStrictly<GoModuleProxy>).ToList();
        Assert.Equal(files.Length, proxies.Count);
        var secrets = documents.Where(d => (string?)d["kind"] == "Secret").Select(d => (string)d["metadata"]!["name"]!).ToHashSet(StringComparer.Ordinal);
        foreach (var proxy in proxies)
        {
            foreach (var secret in Operator.Builders.SecretMounts.SecretNames(proxy.Spec))
            {
                Assert.True(secrets.Contains(secret), $"sample {proxy.Metadata.Name} names Secret {secret}, which no sample file defines: add it (placeholder values) to the sample.");
            }
        }
    }
}
