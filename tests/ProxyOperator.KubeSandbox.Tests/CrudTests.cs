using System.Net;
using System.Text;
using k8s;
using k8s.Models;

namespace ProxyOperator.KubeSandbox.Tests;

public sealed class CrudTests
{
    private static V1Deployment Deployment(string name, int replicas = 1) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = name } },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx:1.27" }] },
            },
        },
    };

    [Fact]
    public async Task Created_objects_get_uid_creation_timestamp_resource_version_and_generation_one()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var created = await sandbox.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), "default");

        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.True(long.Parse(created.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal(1, created.Metadata.Generation);
        Assert.Equal("default", created.Metadata.NamespaceProperty);

        var read = await sandbox.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "default");
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.Equal("nginx:1.27", read.Spec.Template.Spec.Containers[0].Image);
    }

    [Fact]
    public async Task Typed_crud_of_config_maps_services_and_service_accounts_round_trips()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var core = sandbox.Client.CoreV1;
        await core.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "settings" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, "default");
        await core.CreateNamespacedServiceAsync(new V1Service { Metadata = new V1ObjectMeta { Name = "web" }, Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80 }] } }, "default");
        await core.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "runner" } }, "default");

        var settings = await core.ReadNamespacedConfigMapAsync("settings", "default");
        settings.Data["a"] = "2";
        var replaced = await core.ReplaceNamespacedConfigMapAsync(settings, "settings", "default");
        Assert.Equal("2", replaced.Data["a"]);
        Assert.NotEqual(settings.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);

        Assert.Equal(80, (await core.ReadNamespacedServiceAsync("web", "default")).Spec.Ports[0].Port);
        Assert.Single((await core.ListNamespacedServiceAccountAsync("default")).Items);

        await core.DeleteNamespacedConfigMapAsync("settings", "default");
        Assert.Equal(HttpStatusCode.NotFound, await Sandbox.StatusOf(() => core.ReadNamespacedConfigMapAsync("settings", "default")));
    }

    [Fact]
    public async Task Cluster_scoped_kinds_and_other_groups_are_served()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var client = sandbox.Client;
        await client.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole { Metadata = new V1ObjectMeta { Name = "system:reader" }, Rules = [new V1PolicyRule { Verbs = ["get"], ApiGroups = [""], Resources = ["pods"] }] });
        await client.NetworkingV1.CreateNamespacedIngressAsync(new V1Ingress { Metadata = new V1ObjectMeta { Name = "web" } }, "default");
        await client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(new V1PodDisruptionBudget { Metadata = new V1ObjectMeta { Name = "web" }, Spec = new V1PodDisruptionBudgetSpec { MinAvailable = 1 } }, "default");
        await client.AutoscalingV2.CreateNamespacedHorizontalPodAutoscalerAsync(new V2HorizontalPodAutoscaler { Metadata = new V1ObjectMeta { Name = "web" }, Spec = new V2HorizontalPodAutoscalerSpec { MaxReplicas = 3, ScaleTargetRef = new V2CrossVersionObjectReference { Kind = "Deployment", Name = "web", ApiVersion = "apps/v1" } } }, "default");

        Assert.Single((await client.RbacAuthorizationV1.ListClusterRoleAsync()).Items);
        Assert.Equal(3, (await client.AutoscalingV1.ReadNamespacedHorizontalPodAutoscalerAsync("web", "default")).Spec.MaxReplicas);
        Assert.Contains((await client.CoreV1.ListNamespaceAsync()).Items, n => n.Metadata.Name == "kube-system");
    }

    [Fact]
    public async Task Creating_into_a_missing_namespace_is_not_found_for_the_namespace()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var failure = await Sandbox.FailureOf(() => sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "x" } }, "nowhere"));

        Assert.Equal(HttpStatusCode.NotFound, failure.Response.StatusCode);
        Assert.Equal("namespaces \"nowhere\" not found", (string?)Sandbox.StatusBody(failure)["message"]);

        await sandbox.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "nowhere" } });
        await sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "x" } }, "nowhere");
        Assert.Equal("Active", (await sandbox.Client.CoreV1.ReadNamespaceAsync("nowhere")).Status.Phase);
    }

    [Fact]
    public async Task Namespaces_carry_their_name_label_and_config_maps_have_no_generation_as_on_a_cluster()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var ns = await sandbox.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team" } });
        var settings = await sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "settings" } }, "team");

        Assert.Equal("team", ns.Metadata.Labels["kubernetes.io/metadata.name"]);
        Assert.Null(settings.Metadata.Generation);
    }

    [Fact]
    public async Task Creating_a_second_object_with_the_same_name_is_already_exists()
    {
        await using var sandbox = await Sandbox.StartAsync();
        await sandbox.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), "default");
        var failure = await Sandbox.FailureOf(() => sandbox.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), "default"));

        Assert.Equal(HttpStatusCode.Conflict, failure.Response.StatusCode);
        var status = Sandbox.StatusBody(failure);
        Assert.Equal("AlreadyExists", (string?)status["reason"]);
        Assert.Equal("deployments.apps \"web\" already exists", (string?)status["message"]);
    }

    [Fact]
    public async Task An_invalid_name_is_unprocessable_with_the_field_path()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var failure = await Sandbox.FailureOf(() => sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "Not_Valid" } }, "default"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, failure.Response.StatusCode);
        var status = Sandbox.StatusBody(failure);
        Assert.Equal("Invalid", (string?)status["reason"]);
        Assert.Equal("metadata.name", (string?)status["details"]!["causes"]![0]!["field"]);
    }

    [Fact]
    public async Task Generate_name_gives_a_unique_suffixed_name()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var a = await sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "job-" } }, "default");
        var b = await sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "job-" } }, "default");

        Assert.StartsWith("job-", a.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal(9, a.Metadata.Name.Length);
        Assert.NotEqual(a.Metadata.Name, b.Metadata.Name);
    }

    [Fact]
    public async Task Secret_string_data_is_merged_into_base64_data()
    {
        await using var sandbox = await Sandbox.StartAsync();
        await sandbox.Client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "creds" }, StringData = new Dictionary<string, string> { ["password"] = "hunter2" }, Data = new Dictionary<string, byte[]> { ["user"] = Encoding.UTF8.GetBytes("admin") } },
            "default");

        var secret = await sandbox.Client.CoreV1.ReadNamespacedSecretAsync("creds", "default");
        Assert.Null(secret.StringData);
        Assert.Equal("hunter2", Encoding.UTF8.GetString(secret.Data["password"]));
        Assert.Equal("admin", Encoding.UTF8.GetString(secret.Data["user"]));
    }

    [Fact]
    public async Task Deleting_a_namespace_deletes_what_is_in_it()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var core = sandbox.Client.CoreV1;
        await core.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team" } });
        await core.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "x" } }, "team");

        await core.DeleteNamespaceAsync("team");

        Assert.Equal(HttpStatusCode.NotFound, await Sandbox.StatusOf(() => core.ReadNamespaceAsync("team")));
        Assert.Empty((await core.ListConfigMapForAllNamespacesAsync()).Items);
    }
}
