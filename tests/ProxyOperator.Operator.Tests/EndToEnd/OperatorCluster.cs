using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ProxyOperator.KubeSandbox;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Hosting;
using ProxyOperator.Operator.Tests.Manifests;

namespace ProxyOperator.Operator.Tests.EndToEnd;

/// <summary>
/// The in-process test API server with the committed CRD installed, the operator host running against it as in
/// production (a kubeconfig, leader election on), and a real KubernetesClient for the test's own reads and writes.
/// </summary>
public sealed class OperatorCluster : IAsyncDisposable
{
    private readonly string _directory;
    private Func<V1Pod, Uri?>? _podAddress;

    private OperatorCluster(KubeApiServer server, string directory, string kubeconfig)
    {
        Server = server;
        _directory = directory;
        Kubeconfig = kubeconfig;
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        Proxies = new GenericClient(Client, GoModuleProxy.KubeGroup, GoModuleProxy.KubeApiVersion, GoModuleProxy.KubePluralName, disposeClient: false);
    }

    public KubeApiServer Server { get; }

    public string Kubeconfig { get; }

    public Kubernetes Client { get; }

    public GenericClient Proxies { get; }

    public WebApplication? Operator { get; private set; }

    public Uri OperatorUrl => UrlOf(Operator!);

    /// <param name="startOperator">Start the operator host at once.</param>
    /// <param name="podAddress">Where the operator finds each proxy pod's /status (the pods here have no network of their own).</param>
    public static async Task<OperatorCluster> StartAsync(bool startOperator = true, Func<V1Pod, Uri?>? podAddress = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "operator-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var server = await KubeApiServer.StartAsync();
        var cluster = new OperatorCluster(server, directory, server.WriteKubeconfig(Path.Combine(directory, "kubeconfig"))) { _podAddress = podAddress };
        var crdPath = Path.Combine(RepositoryRoot.Path, "config", "crd", "bases", "proxyoperator.io_gomoduleproxies.yaml");
        var crd = KubernetesYaml.LoadAllFromString(await File.ReadAllTextAsync(crdPath)).OfType<V1CustomResourceDefinition>().Single();
        await cluster.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        if (startOperator)
        {
            await cluster.StartOperatorAsync();
        }

        return cluster;
    }

    public async Task StartOperatorAsync() => Operator = await StartSecondOperatorAsync();

    /// <summary>Another operator process on the same cluster (a second replica), to be stopped and disposed by the caller.</summary>
    public async Task<WebApplication> StartSecondOperatorAsync()
    {
        var host = OperatorHost.Build(
        [
            "--kubeconfig", Kubeconfig,
            "--listen", "127.0.0.1:0",
            "--leader-elect", "true",
            "--lease-namespace", "default",
            "--workers", "4",
            "--resync-period", "00:00:02",
            "--discovery-interval", "00:00:01",
            "--lease-duration", "00:00:04",
            "--renew-deadline", "00:00:03",
            "--retry-period", "00:00:00.500",
            "--proxy-status-timeout", "00:00:01",
        ], services =>
        {
            if (_podAddress is { } address)
            {
                services.AddSingleton(sp => new ProxyOperator.Operator.Status.ProxyStatusPoller(
                    new ProxyOperator.Operator.Status.ProxyStatusPollerOptions { Timeout = TimeSpan.FromSeconds(1) }, TimeProvider.System, address));
            }
        });
        await host.StartAsync();
        return host;
    }

    public static Uri UrlOf(WebApplication host) =>
        new(host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public async Task<string> CreateNamespaceAsync()
    {
        var name = "t-" + Guid.NewGuid().ToString("N")[..8];
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    public static GoModuleProxy Proxy(string name, GoModuleProxySpec spec) =>
        new() { Metadata = new V1ObjectMeta { Name = name }, Spec = spec };

    public Task<GoModuleProxy> CreateAsync(string ns, GoModuleProxy proxy) => Proxies.CreateNamespacedAsync(proxy, ns);

    public Task<GoModuleProxy> ReadAsync(string ns, string name) => Proxies.ReadNamespacedAsync<GoModuleProxy>(ns, name);

    /// <summary>
    /// Read, change, replace; again on 409 Conflict, as client-go's RetryOnConflict and kubectl edit do: the operator
    /// writes the resource's status meanwhile, which moves its resourceVersion.
    /// </summary>
    public async Task<GoModuleProxy> UpdateAsync(string ns, string name, Action<GoModuleProxy> change)
    {
        for (var attempt = 1; ; attempt++)
        {
            var proxy = await ReadAsync(ns, name);
            change(proxy);
            try
            {
                return await Proxies.ReplaceNamespacedAsync(proxy, ns, name);
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict && attempt < 10)
            {
            }
        }
    }

    /// <summary>Polls <paramref name="read"/> until it returns a value for which <paramref name="condition"/> holds; 404 counts as not yet.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, TimeSpan? within = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        T? last = null;
        while (true)
        {
            try
            {
                last = await read();
                if (last is not null && condition(last))
                {
                    return last;
                }
            }
            catch (HttpOperationException e) when (e.Response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.InternalServerError or System.Net.HttpStatusCode.Conflict)
            {
                last = null;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}; last seen: {(last is null ? "nothing" : KubernetesJson.Serialize(last))}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Polls until reading the object answers 404.</summary>
    public static async Task GoneAsync(Func<Task> read, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            try
            {
                await read();
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what} to be deleted");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Operator is not null)
        {
            await Operator.StopAsync();
            await Operator.DisposeAsync();
        }

        Proxies.Dispose();
        Client.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>One cluster and operator for the tests of a class; each test works in its own namespace.</summary>
public sealed class OperatorClusterFixture : IAsyncLifetime
{
    public OperatorCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await OperatorCluster.StartAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
