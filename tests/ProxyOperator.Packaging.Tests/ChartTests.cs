using System.Text.Json.Nodes;
using k8s.Models;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Builders.Monitoring;

namespace ProxyOperator.Packaging.Tests;

/// <summary>The chart, checked with the real helm 4: lint, render, and every rendered object read strictly into its model.</summary>
public sealed class ChartTests
{
    private const string Namespace = "proxy-operator-system";

    public static TheoryData<string> ValuesFiles => Repository.ValuesFiles();

    private static async Task<List<JsonObject>> RenderAsync(params string[] arguments)
    {
        var rendered = (await Repository.OfflineClients().HelmAsync(["template", "proxy-operator", Repository.Chart, "--namespace", Namespace, "--include-crds", .. arguments])).EnsureSuccess();
        return Manifests.Documents(rendered.StandardOutput);
    }

    private static T Single<T>(List<JsonObject> documents, string kind) =>
        Manifests.ReadStrictly<T>(Assert.Single(documents, d => (string?)d["kind"] == kind));

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public async Task Helm_lint_passes_strictly_for_the_defaults_and_each_documented_values_file(string valuesFile)
    {
        var linted = await Repository.OfflineClients().HelmAsync(["lint", "--strict", Repository.Chart, .. Repository.ValuesArguments(valuesFile)]);

        Assert.True(linted.Succeeded, $"helm lint {valuesFile} failed: fix the chart or charts/proxy-operator/ci/{valuesFile}.\n{linted}");
    }

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public async Task Every_rendered_object_reads_strictly_into_its_kubernetes_model(string valuesFile)
    {
        var documents = await RenderAsync(Repository.ValuesArguments(valuesFile));

        Assert.NotEmpty(documents);
        Assert.All(documents, document => Manifests.ReadStrictly(document));
    }

    [Fact]
    public async Task The_defaults_run_two_leader_elected_non_root_replicas_watching_every_namespace_with_a_cluster_role()
    {
        var documents = await RenderAsync();

        var deployment = Single<V1Deployment>(documents, "Deployment");
        Assert.Equal(2, deployment.Spec.Replicas);
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        Assert.Equal("ghcr.io/proxyoperator/proxy-operator:0.1.0", container.Image);
        Assert.Equal(["--leader-elect=true", "--proxy-image=ghcr.io/proxyoperator/goproxy:0.1.0", "--listen=0.0.0.0:8081", "--workers=2", "--resync-period=00:00:30"], container.Args);
        Assert.Equal("metadata.namespace", container.Env.Single(e => e.Name == "POD_NAMESPACE").ValueFrom.FieldRef.FieldPath);
        Assert.Equal(("/healthz", "metrics"), (container.LivenessProbe.HttpGet.Path, container.LivenessProbe.HttpGet.Port.Value));
        Assert.Equal(("/readyz", "metrics"), (container.ReadinessProbe.HttpGet.Path, container.ReadinessProbe.HttpGet.Port.Value));
        Assert.Equal(("metrics", 8081), (container.Ports.Single().Name, container.Ports.Single().ContainerPort));
        Assert.NotNull(container.Resources.Requests);
        var pod = deployment.Spec.Template.Spec.SecurityContext;
        Assert.Equal((true, 1654L), (pod.RunAsNonRoot == true, pod.RunAsUser ?? 0));
        Assert.Equal((true, false), (container.SecurityContext.ReadOnlyRootFilesystem == true, container.SecurityContext.AllowPrivilegeEscalation == true));
        Assert.Equal(Operator.Builders.ProxyImage.DefaultRepository + ":" + Operator.Builders.ProxyImage.DefaultTag,
            container.Args.Single(a => a.StartsWith("--proxy-image=", StringComparison.Ordinal))["--proxy-image=".Length..]);

        Assert.Single(documents, d => (string?)d["kind"] == "ClusterRole");
        Assert.Equal("ClusterRole", Single<V1ClusterRoleBinding>(documents, "ClusterRoleBinding").RoleRef.Kind);
        var leaseRole = Single<V1Role>(documents, "Role");
        Assert.Equal(Namespace, leaseRole.Metadata.NamespaceProperty);
        Assert.All(leaseRole.Rules, rule => Assert.Equal(["leases"], rule.Resources));
        var metrics = Single<V1Service>(documents, "Service");
        Assert.Equal(("metrics", 8081), (metrics.Spec.Ports.Single().Name, metrics.Spec.Ports.Single().Port));
        Assert.DoesNotContain(documents, d => (string?)d["kind"] is "ServiceMonitor" or "GoModuleProxy");
        Assert.Equal("gomoduleproxies.proxyoperator.io", Single<V1CustomResourceDefinition>(documents, "CustomResourceDefinition").Metadata.Name);
    }

    [Fact]
    public async Task One_watched_namespace_gets_a_role_there_and_no_cluster_wide_grant()
    {
        var documents = await RenderAsync("--set", "watchNamespaces={team-a}");

        Assert.DoesNotContain(documents, d => (string?)d["kind"] is "ClusterRole" or "ClusterRoleBinding");
        var roles = documents.Where(d => (string?)d["kind"] == "Role").Select(Manifests.ReadStrictly<V1Role>).ToList();
        var role = Assert.Single(roles, r => r.Metadata.NamespaceProperty == "team-a");
        Assert.Contains(role.Rules, r => r.Resources.Contains("gomoduleproxies"));
        var binding = documents.Where(d => (string?)d["kind"] == "RoleBinding").Select(Manifests.ReadStrictly<V1RoleBinding>).Single(b => b.Metadata.NamespaceProperty == "team-a");
        Assert.Equal((Namespace, "proxy-operator"), (binding.Subjects.Single().NamespaceProperty, binding.Subjects.Single().Name));
        Assert.Contains("--namespace=team-a", Single<V1Deployment>(documents, "Deployment").Spec.Template.Spec.Containers[0].Args);
    }

    [Fact]
    public async Task Two_watched_namespaces_are_refused_with_what_to_do_instead()
    {
        var rendered = await Repository.OfflineClients().HelmAsync("template", "proxy-operator", Repository.Chart, "--set", "watchNamespaces={a,b}");

        Assert.False(rendered.Succeeded);
        Assert.Contains("watches one namespace or all of them", rendered.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Values_outside_the_schema_are_refused()
    {
        var rendered = await Repository.OfflineClients().HelmAsync("template", "proxy-operator", Repository.Chart, "--set", "replicaCount=0", "--set", "unknownValue=1");

        Assert.False(rendered.Succeeded);
        Assert.Contains("replicaCount", rendered.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_service_monitor_selects_the_metrics_service_by_its_port_name()
    {
        var documents = await RenderAsync("--values", Path.Combine(Repository.Chart, "ci", "servicemonitor-values.yaml"));

        var monitor = Single<ServiceMonitor>(documents, "ServiceMonitor");
        var service = Single<V1Service>(documents, "Service");
        Assert.Equal("metrics", monitor.Spec.Endpoints.Single().Port);
        Assert.All(monitor.Spec.Selector.MatchLabels, label => Assert.Equal(label.Value, service.Metadata.Labels[label.Key]));
        Assert.Equal("kube-prometheus-stack", monitor.Metadata.Labels["release"]);
    }

    [Fact]
    public async Task A_go_module_proxy_from_values_is_rendered_with_the_spec_as_given()
    {
        var documents = await RenderAsync("--values", Path.Combine(Repository.Chart, "ci", "gomoduleproxy-values.yaml"));

        var proxy = Single<GoModuleProxy>(documents, GoModuleProxy.KubeKind);
        Assert.Equal(("goproxy", Namespace, 3), (proxy.Metadata.Name, proxy.Metadata.NamespaceProperty, proxy.Spec.Replicas ?? 0));
        Assert.Equal(VolumeAccessMode.ReadWriteMany, proxy.Spec.Storage!.Disk!.AccessMode);
    }

    [Fact]
    public async Task Custom_images_resources_and_a_single_replica_without_leader_election_are_rendered()
    {
        var documents = await RenderAsync("--values", Path.Combine(Repository.Chart, "ci", "custom-images-values.yaml"));

        var deployment = Single<V1Deployment>(documents, "Deployment");
        var container = deployment.Spec.Template.Spec.Containers[0];
        Assert.Equal(("registry.corp.example/mirror/proxy-operator:0.1.0-corp.1", "Always"), (container.Image, container.ImagePullPolicy));
        Assert.Contains("--proxy-image=registry.corp.example/mirror/goproxy:0.1.0-corp.1", container.Args);
        Assert.Contains("--leader-elect=false", container.Args);
        Assert.Equal("512Mi", container.Resources.Limits["memory"].ToString());
        Assert.Equal("corp-registry", deployment.Spec.Template.Spec.ImagePullSecrets.Single().Name);
        Assert.DoesNotContain(documents, d => (string?)d["kind"] == "Role");
    }
}
