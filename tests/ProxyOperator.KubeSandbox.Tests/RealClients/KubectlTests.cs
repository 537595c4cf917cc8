using System.Text.Json;

namespace ProxyOperator.KubeSandbox.Tests.RealClients;

/// <summary>
/// The real kubectl 1.33 against the sandbox API server: each test is a command a user would type, checked by what
/// kubectl prints and by what the server then holds. What kubectl and helm send for each command: RealClients/WHAT-CLIENTS-SEND.md.
/// </summary>
public sealed class KubectlTests
{
    private const string WidgetCrdName = "widgets.realclients.sandbox.test";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Kubectl_create_namespace_makes_an_active_namespace()
    {
        await using var session = await SandboxSession.StartAsync(createNamespace: false);

        var created = await session.KubectlAsync("create", "namespace", session.Namespace);

        Assert.Contains($"namespace/{session.Namespace} created", created.StandardOutput, StringComparison.Ordinal);
        var phase = await session.KubectlAsync("get", "namespace", session.Namespace, "-o", "jsonpath={.status.phase}");
        Assert.Equal("Active", phase.StandardOutput);
    }

    [Fact]
    public async Task Kubectl_apply_creates_a_configmap_and_a_deployment_that_get_yaml_shows()
    {
        await using var session = await SandboxSession.StartAsync();

        var applied = await session.KubectlAsync("apply", "-f", session.WriteManifest("app.yaml", Manifests.ConfigMapAndDeployment));

        Assert.Contains("configmap/web-config created", applied.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("deployment.apps/web created", applied.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("hello", await session.JsonPathAsync("configmap/web-config", "{.data.greeting}"));
        var yaml = (await session.KubectlInNamespaceAsync("get", "deployment", "web", "-o", "yaml")).StandardOutput;
        Assert.Contains("kind: Deployment", yaml, StringComparison.Ordinal);
        Assert.Contains("image: registry.example/web:1.0", yaml, StringComparison.Ordinal);
        Assert.Contains("kubectl.kubernetes.io/last-applied-configuration", yaml, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^  uid: \S+", yaml);
        Assert.Matches(@"(?m)^  resourceVersion: ""\d+""", yaml);
        Assert.Matches(@"(?m)^  creationTimestamp: ""\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ""", yaml);
    }

    [Fact]
    public async Task Kubectl_apply_twice_after_an_edit_patches_the_deployment_keeping_both_containers()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.KubectlAsync("apply", "-f", session.WriteManifest("app.yaml", Manifests.ConfigMapAndDeployment));

        // The second apply sends a strategic merge patch: containers are merged by name, so the sidecar stays.
        var applied = await session.KubectlAsync("apply", "-f", session.WriteManifest("app-edited.yaml", Manifests.ConfigMapAndDeploymentEdited));

        Assert.Contains("configmap/web-config configured", applied.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("deployment.apps/web configured", applied.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("bonjour", await session.JsonPathAsync("configmap/web-config", "{.data.greeting}"));
        using var deployment = await GetJsonAsync(session, "deployment", "web");
        var containers = deployment.RootElement.GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers");
        Assert.Equal(["web", "sidecar"], containers.EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal("registry.example/web:2.0", containers[0].GetProperty("image").GetString());
        Assert.Equal("registry.example/sidecar:1.0", containers[1].GetProperty("image").GetString());
        Assert.Equal("blue", containers[0].GetProperty("env")[0].GetProperty("value").GetString());
        Assert.Equal(2, deployment.RootElement.GetProperty("metadata").GetProperty("generation").GetInt64());

        var again = await session.KubectlAsync("apply", "-f", session.WriteManifest("app-edited.yaml", Manifests.ConfigMapAndDeploymentEdited));
        Assert.Contains("deployment.apps/web unchanged", again.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubectl_apply_rejects_a_deployment_with_an_unknown_field()
    {
        await using var session = await SandboxSession.StartAsync();
        var manifest = session.WriteManifest("typo.yaml", Manifests.ConfigMapAndDeployment.Replace("  replicas: 1", "  replicaz: 1", StringComparison.Ordinal));

        // kubectl validates with --validate=strict by default: it sends fieldValidation=Strict when the server's OpenAPI v3
        // says PATCH takes it (the server must then refuse unknown fields), else it validates itself against OpenAPI v2.
        var result = await session.Clients.KubectlAsync("apply", "-f", manifest);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("unknown field", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("replicaz", result.StandardError, StringComparison.Ordinal);
        var deployment = await session.Clients.KubectlAsync("get", "deployment", "web", "--namespace", session.Namespace);
        Assert.Contains("NotFound", deployment.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubectl_apply_of_a_crd_and_then_a_custom_resource_serves_the_custom_resource()
    {
        await using var session = await SandboxSession.StartAsync();

        await ApplyWidgetCrdAsync(session);
        var applied = await session.KubectlAsync("apply", "-f", session.WriteManifest("widget.yaml", Manifests.Widget));

        Assert.Contains("widget.realclients.sandbox.test/w1 created", applied.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("small", await session.JsonPathAsync("widget/w1", "{.spec.size}"));
        Assert.Equal("small", await session.JsonPathAsync("wdg/w1", "{.spec.size}"));
        Assert.Equal("standard", await session.JsonPathAsync("widget/w1", "{.spec.tier}"));
        var again = await session.KubectlAsync("apply", "-f", session.WriteManifest("widget.yaml", Manifests.Widget.Replace("small", "large", StringComparison.Ordinal)));
        Assert.Contains("widget.realclients.sandbox.test/w1 configured", again.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("large", await session.JsonPathAsync("widget/w1", "{.spec.size}"));
    }

    [Fact]
    public async Task Kubectl_apply_without_validation_stores_a_custom_resource_pruned_to_its_schema()
    {
        await using var session = await SandboxSession.StartAsync();
        await ApplyWidgetCrdAsync(session);
        var manifest = session.WriteManifest("widget.yaml", Manifests.Widget.Replace("  size: small", "  size: small\n  colour: red", StringComparison.Ordinal));

        await session.KubectlAsync("apply", "--validate=false", "-f", manifest);

        using var widget = await GetJsonAsync(session, "widget", "w1");
        var spec = widget.RootElement.GetProperty("spec");
        Assert.False(spec.TryGetProperty("colour", out _), $"colour was not pruned: {spec}");
        Assert.Equal("small", spec.GetProperty("size").GetString());
        Assert.Equal("standard", spec.GetProperty("tier").GetString());
    }

    [Fact]
    public async Task Kubectl_delete_of_a_crd_stops_serving_its_resource()
    {
        await using var session = await SandboxSession.StartAsync();
        await ApplyWidgetCrdAsync(session);
        await session.KubectlAsync("apply", "-f", session.WriteManifest("widget.yaml", Manifests.Widget));

        await session.KubectlAsync("delete", "crd", WidgetCrdName, "--timeout=20s");

        var get = await session.Clients.KubectlAsync("get", "widgets", "--namespace", session.Namespace);
        // With discovery cached kubectl still tries the list and gets a 404 ("could not find the requested resource");
        // with fresh discovery it does not know the type at all. Either way: no longer served.
        Assert.NotEqual(0, get.ExitCode);
        Assert.True(
            get.StandardError.Contains("the server doesn't have a resource type \"widgets\"", StringComparison.Ordinal) ||
            get.StandardError.Contains("the server could not find the requested resource", StringComparison.Ordinal),
            get.StandardError);
    }

    [Fact]
    public async Task Kubectl_get_of_a_custom_resource_prints_its_printer_columns()
    {
        await using var session = await SandboxSession.StartAsync();
        await ApplyWidgetCrdAsync(session);
        await session.KubectlAsync("apply", "-f", session.WriteManifest("widget.yaml", Manifests.Widget));

        var table = await session.KubectlInNamespaceAsync("get", "widgets");

        var lines = Lines(table.StandardOutput);
        Assert.Equal(["NAME", "SIZE", "REPLICAS", "AGE"], Words(lines[0]));
        Assert.Equal(["w1", "small", "1"], Words(lines[1]).Take(3));
        Assert.Equal(2, lines.Length);
    }

    [Fact]
    public async Task Kubectl_get_of_deployments_prints_a_table_with_name_and_age()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.KubectlAsync("apply", "-f", session.WriteManifest("app.yaml", Manifests.ConfigMapAndDeployment));

        var table = await session.KubectlInNamespaceAsync("get", "deployments");

        var lines = Lines(table.StandardOutput);
        var header = Words(lines[0]);
        Assert.Equal("NAME", header[0]);
        Assert.Equal("AGE", header[^1]);
        Assert.Equal("web", Words(lines[1])[0]);
    }

    [Fact]
    public async Task Kubectl_apply_server_side_creates_and_updates_under_the_kubectl_field_manager()
    {
        await using var session = await SandboxSession.StartAsync();
        const string configMap = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: ssa
              namespace: NAMESPACE
            data:
              color: red
            """;

        var created = await session.KubectlAsync("apply", "--server-side", "-f", session.WriteManifest("ssa.yaml", configMap));
        var updated = await session.KubectlAsync("apply", "--server-side", "-f",
            session.WriteManifest("ssa.yaml", configMap.Replace("color: red", "color: green", StringComparison.Ordinal)));

        Assert.Contains("configmap/ssa serverside-applied", created.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("configmap/ssa serverside-applied", updated.StandardOutput, StringComparison.Ordinal);
        using var stored = await GetJsonAsync(session, "configmap", "ssa", "--show-managed-fields");
        Assert.Equal("green", stored.RootElement.GetProperty("data").GetProperty("color").GetString());
        var managers = stored.RootElement.GetProperty("metadata").GetProperty("managedFields").EnumerateArray()
            .Select(m => (m.GetProperty("manager").GetString(), m.GetProperty("operation").GetString()))
            .ToList();
        Assert.Contains(("kubectl", "Apply"), managers);
    }

    [Fact]
    public async Task Kubectl_apply_server_side_by_another_manager_conflicts_unless_forced()
    {
        await using var session = await SandboxSession.StartAsync();
        const string configMap = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: shared
              namespace: NAMESPACE
            data:
              color: red
            """;
        await session.KubectlAsync("apply", "--server-side", "-f", session.WriteManifest("mine.yaml", configMap));
        var theirs = session.WriteManifest("theirs.yaml", configMap.Replace("color: red", "color: blue", StringComparison.Ordinal));

        var conflict = await session.Clients.KubectlAsync("apply", "--server-side", "--field-manager=other", "-f", theirs);

        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Contains("Apply failed with 1 conflict: conflict with \"kubectl\"", conflict.StandardError, StringComparison.Ordinal);
        Assert.Contains(".data.color", conflict.StandardError, StringComparison.Ordinal);
        Assert.Equal("red", await session.JsonPathAsync("configmap/shared", "{.data.color}"));

        await session.KubectlAsync("apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", theirs);
        using var stored = await GetJsonAsync(session, "configmap", "shared", "--show-managed-fields");
        Assert.Equal("blue", stored.RootElement.GetProperty("data").GetProperty("color").GetString());
        var managers = stored.RootElement.GetProperty("metadata").GetProperty("managedFields").EnumerateArray()
            .Select(m => m.GetProperty("manager").GetString())
            .ToList();
        Assert.Equal(["other"], managers);
    }

    [Fact]
    public async Task Kubectl_scale_of_a_deployment_sets_its_replicas()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.KubectlAsync("apply", "-f", session.WriteManifest("app.yaml", Manifests.ConfigMapAndDeployment));

        var scaled = await session.KubectlInNamespaceAsync("scale", "deployment", "web", "--replicas=3");

        Assert.Contains("deployment.apps/web scaled", scaled.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("3", await session.JsonPathAsync("deployment/web", "{.spec.replicas}"));
    }

    [Fact]
    public async Task Kubectl_scale_of_a_custom_resource_goes_through_its_scale_subresource()
    {
        await using var session = await SandboxSession.StartAsync();
        await ApplyWidgetCrdAsync(session);
        await session.KubectlAsync("apply", "-f", session.WriteManifest("widget.yaml", Manifests.Widget));

        var scaled = await session.KubectlInNamespaceAsync("scale", "widget", "w1", "--replicas=4");

        Assert.Contains("widget.realclients.sandbox.test/w1 scaled", scaled.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("4", await session.JsonPathAsync("widget/w1", "{.spec.replicas}"));
    }

    [Fact]
    public async Task Kubectl_patch_of_the_status_subresource_changes_the_status_but_not_the_spec()
    {
        await using var session = await SandboxSession.StartAsync();
        await ApplyWidgetCrdAsync(session);
        await session.KubectlAsync("apply", "-f", session.WriteManifest("widget.yaml", Manifests.Widget));

        var patched = await session.KubectlInNamespaceAsync(
            "patch", "widget", "w1", "--subresource=status", "--type=merge", "-p", Manifests.ReadyStatusPatch.Trim());

        Assert.Contains("widget.realclients.sandbox.test/w1 patched", patched.StandardOutput, StringComparison.Ordinal);
        using var widget = await GetJsonAsync(session, "widget", "w1");
        var root = widget.RootElement;
        Assert.Equal(1, root.GetProperty("status").GetProperty("replicas").GetInt32());
        Assert.Equal("Ready", root.GetProperty("status").GetProperty("conditions")[0].GetProperty("type").GetString());
        Assert.Equal("small", root.GetProperty("spec").GetProperty("size").GetString());
        Assert.Equal(1, root.GetProperty("metadata").GetProperty("generation").GetInt64());
    }

    [Fact]
    public async Task Kubectl_wait_for_condition_ready_returns_once_the_status_says_ready()
    {
        await using var session = await SandboxSession.StartAsync();
        await ApplyWidgetCrdAsync(session);
        await session.KubectlAsync("apply", "-f", session.WriteManifest("widget.yaml", Manifests.Widget));

        using var wait = session.Clients.StartKubectl(
            "wait", "widget/w1", "--for=condition=Ready", "--timeout=20s", "--namespace", session.Namespace);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(wait.HasExited, $"kubectl wait ended before the widget was ready:{Environment.NewLine}{wait.StandardOutput}{wait.StandardError}");
        await session.KubectlInNamespaceAsync(
            "patch", "widget", "w1", "--subresource=status", "--type=merge", "-p", Manifests.ReadyStatusPatch.Trim());

        var result = (await wait.WaitForExitAsync(Patience)).EnsureSuccess();
        Assert.Contains("widget.realclients.sandbox.test/w1 condition met", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubectl_delete_of_an_object_with_a_finalizer_waits_until_the_finalizer_is_removed()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.KubectlAsync("apply", "-f", session.WriteManifest("held.yaml", Manifests.HeldConfigMap));

        using var delete = session.Clients.StartKubectl("delete", "configmap", "held", "--timeout=20s", "--namespace", session.Namespace);
        await EventuallyAsync(
            async () => (await session.JsonPathAsync("configmap/held", "{.metadata.deletionTimestamp}")).Length > 0,
            "the configmap to get a deletionTimestamp");
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(delete.HasExited, $"kubectl delete ended while the finalizer was still there:{Environment.NewLine}{delete.StandardOutput}{delete.StandardError}");
        Assert.Equal("kept", await session.JsonPathAsync("configmap/held", "{.data.state}"));
        await session.KubectlInNamespaceAsync("patch", "configmap", "held", "--type=json", "-p", """[{"op":"remove","path":"/metadata/finalizers"}]""");

        var deleted = (await delete.WaitForExitAsync(Patience)).EnsureSuccess();
        Assert.Contains("configmap \"held\" deleted", deleted.StandardOutput, StringComparison.Ordinal);
        var gone = await session.Clients.KubectlAsync("get", "configmap", "held", "--namespace", session.Namespace);
        Assert.NotEqual(0, gone.ExitCode);
        Assert.Contains("NotFound", gone.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("background")]
    [InlineData("foreground")]
    public async Task Kubectl_delete_of_an_owner_garbage_collects_its_dependent(string cascade)
    {
        await using var session = await SandboxSession.StartAsync();
        await ApplyOwnedConfigMapAsync(session);

        await session.KubectlInNamespaceAsync("delete", "configmap", "owner", $"--cascade={cascade}", "--timeout=20s");

        await EventuallyAsync(
            async () => (await session.Clients.KubectlAsync("get", "configmap", "dependent", "--namespace", session.Namespace))
                .StandardError.Contains("NotFound", StringComparison.Ordinal),
            "the dependent configmap to be garbage collected");
    }

    [Fact]
    public async Task Kubectl_delete_with_cascade_orphan_keeps_the_dependent_without_its_owner_reference()
    {
        await using var session = await SandboxSession.StartAsync();
        await ApplyOwnedConfigMapAsync(session);

        await session.KubectlInNamespaceAsync("delete", "configmap", "owner", "--cascade=orphan", "--timeout=20s");

        await EventuallyAsync(
            async () => (await session.JsonPathAsync("configmap/dependent", "{.metadata.ownerReferences}")).Length == 0,
            "the dependent's ownerReferences to be removed");
        Assert.Equal("dependent", await session.JsonPathAsync("configmap/dependent", "{.metadata.name}"));
    }

    [Fact]
    public async Task Kubectl_get_watch_prints_the_deployment_again_after_an_update()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.KubectlAsync("apply", "-f", session.WriteManifest("app.yaml", Manifests.ConfigMapAndDeployment));

        using var watch = session.Clients.StartKubectl("get", "deployment", "web", "--watch", "--namespace", session.Namespace);
        await watch.WaitForOutputAsync(output => RowsNamed(output, "web") >= 1, Patience, "the deployment's first row");
        await session.KubectlInNamespaceAsync("scale", "deployment", "web", "--replicas=2");

        await watch.WaitForOutputAsync(output => RowsNamed(output, "web") >= 2, Patience, "a second row after the update");
        Assert.Equal("NAME", Words(Lines(watch.StandardOutput)[0])[0]);
    }

    [Fact]
    public async Task Kubectl_get_watch_with_jsonpath_prints_the_new_replica_count()
    {
        await using var session = await SandboxSession.StartAsync();
        await session.KubectlAsync("apply", "-f", session.WriteManifest("app.yaml", Manifests.ConfigMapAndDeployment));

        using var watch = session.Clients.StartKubectl(
            "get", "deployment", "web", "--watch", "-o", "jsonpath={.spec.replicas}{\"\\n\"}", "--namespace", session.Namespace);
        await watch.WaitForOutputAsync(output => Lines(output).Contains("1"), Patience, "replicas 1");
        await session.KubectlInNamespaceAsync("scale", "deployment", "web", "--replicas=5");

        await watch.WaitForOutputAsync(output => Lines(output).Contains("5"), Patience, "replicas 5 after kubectl scale");
    }

    [Fact]
    public async Task Kubectl_get_watch_of_a_custom_resource_prints_its_printer_columns_after_a_scale()
    {
        await using var session = await SandboxSession.StartAsync();
        await ApplyWidgetCrdAsync(session);
        await session.KubectlAsync("apply", "-f", session.WriteManifest("widget.yaml", Manifests.Widget));

        using var watch = session.Clients.StartKubectl("get", "widgets", "--watch", "--namespace", session.Namespace);
        await watch.WaitForOutputAsync(output => Lines(output).Any(line => Words(line) is ["w1", "small", "1", ..]), Patience, "the widget's row");
        await session.KubectlInNamespaceAsync("scale", "widget", "w1", "--replicas=7");

        await watch.WaitForOutputAsync(output => Lines(output).Any(line => Words(line) is ["w1", "small", "7", ..]), Patience, "the widget's row with 7 replicas");
        Assert.Equal(["NAME", "SIZE", "REPLICAS", "AGE"], Words(Lines(watch.StandardOutput)[0]));
    }

    private static async Task ApplyWidgetCrdAsync(SandboxSession session)
    {
        var applied = await session.KubectlAsync("apply", "-f", session.WriteManifest("crd.yaml", Manifests.WidgetCrd));
        Assert.Contains($"customresourcedefinition.apiextensions.k8s.io/{WidgetCrdName}", applied.StandardOutput, StringComparison.Ordinal);
        await session.KubectlAsync("wait", "--for=condition=Established", $"crd/{WidgetCrdName}", "--timeout=10s");
    }

    /// <summary>ConfigMap "dependent" with an ownerReference (by uid) to ConfigMap "owner".</summary>
    private static async Task ApplyOwnedConfigMapAsync(SandboxSession session)
    {
        await session.KubectlAsync("apply", "-f", session.WriteManifest("owner.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: owner
              namespace: NAMESPACE
            """));
        var uid = await session.JsonPathAsync("configmap/owner", "{.metadata.uid}");
        await session.KubectlAsync("apply", "-f", session.WriteManifest("dependent.yaml", $"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: dependent
              namespace: NAMESPACE
              ownerReferences:
                - apiVersion: v1
                  kind: ConfigMap
                  name: owner
                  uid: {uid}
            """));
    }

    private static async Task<JsonDocument> GetJsonAsync(SandboxSession session, string resource, string name, params string[] extra)
    {
        var result = await session.KubectlInNamespaceAsync(["get", resource, name, "-o", "json", .. extra]);
        return JsonDocument.Parse(result.StandardOutput);
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    private static string[] Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string[] Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static int RowsNamed(string output, string name) => Lines(output).Count(line => Words(line)[0] == name);
}
