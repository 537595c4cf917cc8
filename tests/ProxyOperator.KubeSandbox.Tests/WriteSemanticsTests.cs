using System.Net;
using k8s;
using k8s.Models;

namespace ProxyOperator.KubeSandbox.Tests;

public sealed class WriteSemanticsTests
{
    private static V1Deployment Deployment(string name, int replicas = 1) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx" }] },
            },
        },
    };

    [Fact]
    public async Task An_update_with_a_stale_resource_version_is_a_conflict()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var apps = sandbox.Client.AppsV1;
        var first = await apps.CreateNamespacedDeploymentAsync(Deployment("x"), "default");
        var stale = await apps.ReadNamespacedDeploymentAsync("x", "default");
        first.Spec.Replicas = 2;
        await apps.ReplaceNamespacedDeploymentAsync(first, "x", "default");

        stale.Spec.Replicas = 3;
        var failure = await Sandbox.FailureOf(() => apps.ReplaceNamespacedDeploymentAsync(stale, "x", "default"));

        Assert.Equal(HttpStatusCode.Conflict, failure.Response.StatusCode);
        var status = Sandbox.StatusBody(failure);
        Assert.Equal("Conflict", (string?)status["reason"]);
        Assert.Equal(
            "Operation cannot be fulfilled on deployments.apps \"x\": the object has been modified; please apply your changes to the latest version and try again",
            (string?)status["message"]);
        Assert.Equal(2, (await apps.ReadNamespacedDeploymentAsync("x", "default")).Spec.Replicas);
    }

    [Fact]
    public async Task Generation_moves_on_spec_changes_only_and_main_writes_ignore_status()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var apps = sandbox.Client.AppsV1;
        var created = await apps.CreateNamespacedDeploymentAsync(Deployment("x"), "default");

        created.Metadata.Labels = new Dictionary<string, string> { ["team"] = "a" };
        created.Status = new V1DeploymentStatus { Replicas = 7 };
        var relabelled = await apps.ReplaceNamespacedDeploymentAsync(created, "x", "default");
        Assert.Equal(1, relabelled.Metadata.Generation);
        Assert.Null(relabelled.Status?.Replicas);

        relabelled.Spec.Replicas = 4;
        var scaled = await apps.ReplaceNamespacedDeploymentAsync(relabelled, "x", "default");
        Assert.Equal(2, scaled.Metadata.Generation);
    }

    [Fact]
    public async Task Status_writes_change_only_status_and_keep_generation()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var apps = sandbox.Client.AppsV1;
        var created = await apps.CreateNamespacedDeploymentAsync(Deployment("x"), "default");

        created.Spec.Replicas = 9;
        created.Status = new V1DeploymentStatus { Replicas = 1, ReadyReplicas = 1, ObservedGeneration = 1 };
        var updated = await apps.ReplaceNamespacedDeploymentStatusAsync(created, "x", "default");

        Assert.Equal(1, updated.Status.ReadyReplicas);
        Assert.Equal(1, updated.Spec.Replicas);
        Assert.Equal(1, updated.Metadata.Generation);
        Assert.NotEqual(created.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task The_scale_subresource_reads_and_sets_replicas()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var apps = sandbox.Client.AppsV1;
        await apps.CreateNamespacedDeploymentAsync(Deployment("x", replicas: 2), "default");

        var scale = await apps.ReadNamespacedDeploymentScaleAsync("x", "default");
        Assert.Equal(2, scale.Spec.Replicas);
        Assert.Equal("app=x", scale.Status.Selector);

        scale.Spec.Replicas = 5;
        await apps.ReplaceNamespacedDeploymentScaleAsync(scale, "x", "default");

        var deployment = await apps.ReadNamespacedDeploymentAsync("x", "default");
        Assert.Equal(5, deployment.Spec.Replicas);
        Assert.Equal(2, deployment.Metadata.Generation);

        await apps.PatchNamespacedDeploymentScaleAsync(new V1Patch("{\"spec\":{\"replicas\":1}}", V1Patch.PatchType.MergePatch), "x", "default");
        Assert.Equal(1, (await apps.ReadNamespacedDeploymentAsync("x", "default")).Spec.Replicas);
    }

    [Fact]
    public async Task A_json_merge_patch_changes_only_what_it_names()
    {
        await using var sandbox = await Sandbox.StartAsync();
        await sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" }, Data = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" } }, "default");

        var patched = await sandbox.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"a\":\"9\",\"b\":null}}", V1Patch.PatchType.MergePatch), "c", "default");

        Assert.Equal(new Dictionary<string, string> { ["a"] = "9" }, patched.Data);
    }

    [Fact]
    public async Task Built_in_defaults_are_filled_in_as_on_a_cluster()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var deployment = await sandbox.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("x"), "default");

        Assert.Equal("RollingUpdate", deployment.Spec.Strategy.Type);
        Assert.Equal("25%", deployment.Spec.Strategy.RollingUpdate.MaxSurge.Value);
        Assert.Equal(10, deployment.Spec.RevisionHistoryLimit);
        Assert.Equal("Always", deployment.Spec.Template.Spec.Containers[0].ImagePullPolicy);
        Assert.Equal("ClusterFirst", deployment.Spec.Template.Spec.DnsPolicy);

        var service = await sandbox.Client.CoreV1.CreateNamespacedServiceAsync(new V1Service { Metadata = new V1ObjectMeta { Name = "web" }, Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80 }] } }, "default");
        Assert.Equal("ClusterIP", service.Spec.Type);
        Assert.Equal("80", service.Spec.Ports[0].TargetPort.Value);
        Assert.StartsWith("10.96.", service.Spec.ClusterIP, StringComparison.Ordinal);

        service.Spec.ClusterIP = null;
        service.Spec.ClusterIPs = null;
        var updated = await sandbox.Client.CoreV1.ReplaceNamespacedServiceAsync(service, "web", "default");
        Assert.Equal(service.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task A_no_op_update_keeps_the_resource_version()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var created = await sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, "default");

        var again = await sandbox.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "c", "default");

        Assert.Equal(created.Metadata.ResourceVersion, again.Metadata.ResourceVersion);
    }
}
