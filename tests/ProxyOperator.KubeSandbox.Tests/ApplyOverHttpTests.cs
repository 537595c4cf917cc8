using System.Net;
using k8s;
using k8s.Models;

namespace ProxyOperator.KubeSandbox.Tests;

public sealed class ApplyOverHttpTests
{
    private static V1Patch Apply(string replicas, string image = "nginx:1") => new($$"""
        {
          "apiVersion": "apps/v1",
          "kind": "Deployment",
          "metadata": { "name": "web", "namespace": "default" },
          "spec": {
            "replicas": {{replicas}},
            "selector": { "matchLabels": { "app": "web" } },
            "template": { "metadata": { "labels": { "app": "web" } }, "spec": { "containers": [{ "name": "web", "image": "{{image}}" }] } }
          }
        }
        """, V1Patch.PatchType.ApplyPatch);

    [Fact]
    public async Task An_apply_creates_the_object_and_records_its_field_manager()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var created = await sandbox.Client.AppsV1.PatchNamespacedDeploymentAsync(Apply("2"), "web", "default", fieldManager: "proxy-operator");

        Assert.Equal(2, created.Spec.Replicas);
        Assert.Contains(created.Metadata.ManagedFields, m => m.Manager == "proxy-operator" && m.Operation == "Apply");
    }

    [Fact]
    public async Task Another_manager_changing_an_owned_field_conflicts_unless_it_forces()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var apps = sandbox.Client.AppsV1;
        await apps.PatchNamespacedDeploymentAsync(Apply("2"), "web", "default", fieldManager: "proxy-operator");

        var failure = await Sandbox.FailureOf(() => apps.PatchNamespacedDeploymentAsync(Apply("5"), "web", "default", fieldManager: "argocd"));
        Assert.Equal(HttpStatusCode.Conflict, failure.Response.StatusCode);
        Assert.Contains("conflict with \"proxy-operator\"", (string?)Sandbox.StatusBody(failure)["message"], StringComparison.Ordinal);

        var forced = await apps.PatchNamespacedDeploymentAsync(Apply("5"), "web", "default", fieldManager: "argocd", force: true);
        Assert.Equal(5, forced.Spec.Replicas);
    }

    [Fact]
    public async Task A_field_another_applier_shares_survives_when_its_first_applier_stops_sending_it()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var apps = sandbox.Client.AppsV1;
        await apps.PatchNamespacedDeploymentAsync(Apply("3"), "web", "default", fieldManager: "proxy-operator");

        // Kubernetes' hand-over of replicas to an autoscaler: a second manager applies the same value, sharing the field.
        var shared = await apps.PatchNamespacedDeploymentAsync(new V1Patch(
            """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},"spec":{"replicas":3}}""",
            V1Patch.PatchType.ApplyPatch), "web", "default", fieldManager: "handover", force: true);
        Assert.Contains(shared.Metadata.ManagedFields, m => m.Manager == "handover");
        var withoutReplicas = new V1Patch("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},
             "spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1"}]}}}}
            """, V1Patch.PatchType.ApplyPatch);

        var after = await apps.PatchNamespacedDeploymentAsync(withoutReplicas, "web", "default", fieldManager: "proxy-operator");

        Assert.Equal(3, after.Spec.Replicas);
        Assert.Contains(after.Metadata.ManagedFields, m => m.Manager == "handover" && m.FieldsV1.ToString()!.Contains("f:replicas", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_field_only_its_applier_owned_is_removed_when_it_stops_sending_it()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var apps = sandbox.Client.AppsV1;
        await apps.PatchNamespacedDeploymentAsync(Apply("3"), "web", "default", fieldManager: "proxy-operator");
        var withoutReplicas = new V1Patch("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},
             "spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1"}]}}}}
            """, V1Patch.PatchType.ApplyPatch);

        var after = await apps.PatchNamespacedDeploymentAsync(withoutReplicas, "web", "default", fieldManager: "proxy-operator");

        // Removed, then defaulted: the reason an autoscaler needs the hand-over above.
        Assert.Equal(1, after.Spec.Replicas);
    }

    [Fact]
    public async Task Re_applying_the_same_configuration_changes_nothing()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var apps = sandbox.Client.AppsV1;
        var first = await apps.PatchNamespacedDeploymentAsync(Apply("2"), "web", "default", fieldManager: "proxy-operator");

        var second = await apps.PatchNamespacedDeploymentAsync(Apply("2"), "web", "default", fieldManager: "proxy-operator");

        Assert.Equal(first.Metadata.ResourceVersion, second.Metadata.ResourceVersion);
        Assert.Equal(1, second.Metadata.Generation);
    }

    [Fact]
    public async Task Concurrent_updates_from_one_read_let_exactly_one_writer_win()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var core = sandbox.Client.CoreV1;
        await core.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "counter" }, Data = new Dictionary<string, string> { ["n"] = "0" } }, "default");
        var read = await core.ReadNamespacedConfigMapAsync("counter", "default");

        var attempts = Enumerable.Range(1, 8).Select(async i =>
        {
            var copy = KubernetesJson.Deserialize<V1ConfigMap>(KubernetesJson.Serialize(read));
            copy.Data["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            try
            {
                await core.ReplaceNamespacedConfigMapAsync(copy, "counter", "default");
                return true;
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
            {
                return false;
            }
        });

        Assert.Equal(1, (await Task.WhenAll(attempts)).Count(won => won));
    }
}
