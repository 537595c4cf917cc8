using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using ProxyOperator.KubeSandbox;
using ProxyOperator.Manifests;
using ProxyOperator.Operator.Api;

namespace ProxyOperator.Operator.Tests.Manifests;

/// <summary>The generated CRD installed on the in-process test API server, used through the real KubernetesClient.</summary>
public sealed class CrdOnApiServerTests
{
    private const string Namespace = "default";

    private static async Task<(KubeApiServer Server, Kubernetes Client)> StartWithCrdAsync()
    {
        var server = await KubeApiServer.StartAsync();
        var client = new Kubernetes(new KubernetesClientConfiguration { Host = server.BaseUrl.ToString(), AccessToken = "sandbox" });
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(CustomResourceDefinitions.For(typeof(GoModuleProxy)));
        return (server, client);
    }

    private static GenericClient Proxies(Kubernetes client) =>
        new(client, GoModuleProxy.KubeGroup, GoModuleProxy.KubeApiVersion, GoModuleProxy.KubePluralName, disposeClient: false);

    private static GoModuleProxy Proxy(string name, GoModuleProxySpec? spec = null) =>
        new() { Metadata = new V1ObjectMeta { Name = name }, Spec = spec ?? new GoModuleProxySpec() };

    [Fact]
    public async Task A_created_proxy_reads_back_with_the_schema_defaults_applied()
    {
        var (server, client) = await StartWithCrdAsync();
        await using var _ = server;
        using var __ = client;
        using var proxies = Proxies(client);

        await proxies.CreateNamespacedAsync(Proxy("p"), Namespace);
        var read = await proxies.ReadNamespacedAsync<GoModuleProxy>(Namespace, "p");

        Assert.Equal(GoModuleProxyDefaults.Replicas, read.Spec.Replicas);
        Assert.Equal(ProxyMode.Online, read.Spec.Mode);
        Assert.Equal(StorageType.Disk, read.Spec.Storage!.Type);
        Assert.Null(read.Spec.Storage.Disk);
        Assert.Equal("5m", read.Spec.Cache!.ListTtl);
        Assert.Equal("1m", read.Spec.Cache.NotFoundTtl);
        Assert.Equal(GoModuleProxyDefaults.SumDbUrl, read.Spec.SumDb!.Url);
        Assert.Equal(true, read.Spec.SumDb.Verify);
        Assert.Equal(ServiceType.ClusterIP, read.Spec.Service!.Type);
        Assert.Equal(80, read.Spec.Service.Port);
        Assert.Null(read.Spec.Ingress);
    }

    [Fact]
    public async Task Nested_defaults_apply_under_the_objects_a_user_wrote_but_never_inside_list_items()
    {
        var (server, client) = await StartWithCrdAsync();
        await using var _ = server;
        using var __ = client;
        using var proxies = Proxies(client);

        var created = await proxies.CreateNamespacedAsync(
            Proxy("p", new GoModuleProxySpec
            {
                Ingress = new IngressSpec { Host = "goproxy.example" },
                Storage = new StorageSpec { Disk = new DiskStorageSpec() },
                Upstreams = [new UpstreamSpec { Url = "https://proxy.golang.org" }],
                PodDisruptionBudget = new PodDisruptionBudgetSpec(),
            }),
            Namespace);

        Assert.Equal(IngressClass.Nginx, created.Spec.Ingress!.ClassName);
        Assert.Equal(false, created.Spec.Ingress.Enabled);
        Assert.Equal("10Gi", created.Spec.Storage!.Disk!.Size!.ToString());
        Assert.Equal(VolumeAccessMode.ReadWriteOnce, created.Spec.Storage.Disk.AccessMode);
        Assert.Null(Assert.Single(created.Spec.Upstreams!).FallBack);
        Assert.Equal(1, created.Spec.PodDisruptionBudget!.MaxUnavailable!.ToInt());
    }

    [Fact]
    public async Task The_schema_refuses_an_unknown_ingress_class_and_a_malformed_duration()
    {
        var (server, client) = await StartWithCrdAsync();
        await using var _ = server;
        using var __ = client;
        var body = new JsonObject
        {
            ["apiVersion"] = GoModuleProxy.GroupVersion,
            ["kind"] = GoModuleProxy.KubeKind,
            ["metadata"] = new JsonObject { ["name"] = "p" },
            ["spec"] = new JsonObject { ["ingress"] = new JsonObject { ["className"] = "traefik" }, ["cache"] = new JsonObject { ["listTTL"] = "five minutes" } },
        };

        var failure = await Assert.ThrowsAsync<HttpOperationException>(() => client.CustomObjects.CreateNamespacedCustomObjectAsync(
            body, GoModuleProxy.KubeGroup, GoModuleProxy.KubeApiVersion, Namespace, GoModuleProxy.KubePluralName));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, failure.Response.StatusCode);
        Assert.Contains("spec.ingress.className", failure.Response.Content, StringComparison.Ordinal);
        Assert.Contains("spec.cache.listTTL", failure.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_is_written_through_its_subresource_and_scale_reads_and_writes_replicas()
    {
        var (server, client) = await StartWithCrdAsync();
        await using var _ = server;
        using var __ = client;
        using var proxies = Proxies(client);
        var created = await proxies.CreateNamespacedAsync(Proxy("p", new GoModuleProxySpec { Replicas = 2 }), Namespace);

        created.Status = new GoModuleProxyStatus { ObservedGeneration = created.Metadata.Generation, Replicas = 2, ReadyReplicas = 2, Selector = "app.kubernetes.io/instance=p" };
        var written = await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<GoModuleProxy>(
            created, GoModuleProxy.KubeGroup, GoModuleProxy.KubeApiVersion, Namespace, GoModuleProxy.KubePluralName, "p");
        Assert.Equal(2, written.Status!.ReadyReplicas);
        Assert.Equal(created.Metadata.Generation, written.Metadata.Generation);

        var scale = await client.CustomObjects.GetNamespacedCustomObjectScaleAsync<V1Scale>(
            GoModuleProxy.KubeGroup, GoModuleProxy.KubeApiVersion, Namespace, GoModuleProxy.KubePluralName, "p");
        Assert.Equal(2, scale.Spec.Replicas);
        Assert.Equal(2, scale.Status.Replicas);
        Assert.Equal("app.kubernetes.io/instance=p", scale.Status.Selector);

        scale.Spec.Replicas = 5;
        await client.CustomObjects.ReplaceNamespacedCustomObjectScaleAsync<V1Scale>(
            scale, GoModuleProxy.KubeGroup, GoModuleProxy.KubeApiVersion, Namespace, GoModuleProxy.KubePluralName, "p");
        var scaled = await proxies.ReadNamespacedAsync<GoModuleProxy>(Namespace, "p");
        Assert.Equal(5, scaled.Spec.Replicas);
        Assert.Equal(2, scaled.Status!.Replicas);
    }

    [Fact]
    public async Task A_table_request_shows_the_printer_columns()
    {
        var (server, client) = await StartWithCrdAsync();
        await using var _ = server;
        using var __ = client;
        using var proxies = Proxies(client);
        var created = await proxies.CreateNamespacedAsync(Proxy("p"), Namespace);
        created.Status = new GoModuleProxyStatus
        {
            ReadyReplicas = 2,
            Endpoint = "p.default.svc:80",
            Cache = new CacheStatus { HitRatio = 0.75 },
            Conditions = [new V1Condition { Type = "Ready", Status = "True", Reason = "RolledOut", Message = "all proxies ready", LastTransitionTime = DateTime.UtcNow }],
        };
        await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<GoModuleProxy>(
            created, GoModuleProxy.KubeGroup, GoModuleProxy.KubeApiVersion, Namespace, GoModuleProxy.KubePluralName, "p");

        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("apis/proxyoperator.io/v1alpha1/namespaces/default/gomoduleproxies", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var table = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(["Name", "Ready", "Replicas", "Endpoint", "Hit Ratio", "Age"], table["columnDefinitions"]!.AsArray().Select(c => (string?)c!["name"]));
        var cells = table["rows"]![0]!["cells"]!.AsArray();
        Assert.Equal("p", (string?)cells[0]);
        Assert.Equal("True", (string?)cells[1]);
        Assert.Equal(2, (int?)cells[2]);
        Assert.Equal("p.default.svc:80", (string?)cells[3]);
        Assert.Equal(0.75, (double?)cells[4]);
    }
}
