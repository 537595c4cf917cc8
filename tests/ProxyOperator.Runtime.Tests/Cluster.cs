using k8s;
using k8s.Models;
using ProxyOperator.KubeSandbox;

namespace ProxyOperator.Runtime.Tests;

/// <summary>A fresh in-process API server per test and the real KubernetesClient talking to it over HTTP.</summary>
internal sealed class Cluster : IAsyncDisposable
{
    private readonly string _directory;

    private Cluster(KubeApiServer server, string directory)
    {
        Server = server;
        _directory = directory;
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.WriteKubeconfig(Path.Combine(directory, "kubeconfig"))));
    }

    public KubeApiServer Server { get; }

    public FaultInjector Faults => Server.Faults;

    public Kubernetes Client { get; }

    /// <summary>Informer options for tests: quick retries, so recovery takes milliseconds, not seconds.</summary>
    public static InformerOptions FastInformer => new()
    {
        WatchTimeout = TimeSpan.FromSeconds(30),
        InitialRetryDelay = TimeSpan.FromMilliseconds(20),
        MaxRetryDelay = TimeSpan.FromMilliseconds(200),
    };

    public static async Task<Cluster> StartAsync(KubeApiServerOptions? options = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "runtime-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return new Cluster(await KubeApiServer.StartAsync(options), directory);
    }

    public Informer<V1ConfigMap> ConfigMapInformer(InformerOptions? options = null, string? labelSelector = null) =>
        new(new KubernetesResourceClient<V1ConfigMap>(Client, string.Empty, "v1", "configmaps", "default", labelSelector), options ?? FastInformer);

    public Informer<V1Deployment> DeploymentInformer() =>
        new(new KubernetesResourceClient<V1Deployment>(Client, "apps", "v1", "deployments", "default"), FastInformer);

    public Task<V1ConfigMap> CreateConfigMapAsync(string name, IDictionary<string, string>? data = null, V1OwnerReference? owner = null) =>
        Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap
            {
                Metadata = new V1ObjectMeta { Name = name, OwnerReferences = owner is null ? null : [owner] },
                Data = data,
            },
            "default");

    public Task<V1Deployment> CreateDeploymentAsync(string name)
    {
        var labels = new Dictionary<string, string> { ["app"] = name };
        return Client.AppsV1.CreateNamespacedDeploymentAsync(
            new V1Deployment
            {
                Metadata = new V1ObjectMeta { Name = name },
                Spec = new V1DeploymentSpec
                {
                    Selector = new V1LabelSelector { MatchLabels = labels },
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta { Labels = labels },
                        Spec = new V1PodSpec { Containers = [new V1Container { Name = "proxy", Image = "example/proxy:1" }] },
                    },
                },
            },
            "default");
    }

    /// <summary>Polls until <paramref name="condition"/> holds; generous by default, since only counts are asserted tightly.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, TimeSpan? within = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("not in time: " + (what ?? "condition"));
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
