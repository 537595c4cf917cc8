using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;

namespace ProxyOperator.KubeSandbox.Tests;

/// <summary>A fresh API server per test and the real KubernetesClient pointed at it through a kubeconfig it wrote.</summary>
internal sealed class Sandbox : IAsyncDisposable
{
    private readonly string _directory;

    private Sandbox(KubeApiServer server, string directory)
    {
        Server = server;
        _directory = directory;
        var kubeconfig = server.WriteKubeconfig(Path.Combine(directory, "kubeconfig"));
        Config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
        Client = new Kubernetes(Config);
        Http = new HttpClient { BaseAddress = server.BaseUrl };
    }

    public KubeApiServer Server { get; }

    public KubernetesClientConfiguration Config { get; }

    public Kubernetes Client { get; }

    public HttpClient Http { get; }

    public static async Task<Sandbox> StartAsync(KubeApiServerOptions? options = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "kube-sandbox-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return new Sandbox(await KubeApiServer.StartAsync(options), directory);
    }

    public GenericClient Generic(string group, string version, string plural) => new(Client, group, version, plural, disposeClient: false);

    /// <summary>The HTTP status of the API error <paramref name="call"/> fails with.</summary>
    public static async Task<HttpOperationException> FailureOf(Func<Task> call)
    {
        return await Assert.ThrowsAsync<HttpOperationException>(call);
    }

    /// <summary>The Kubernetes Status object an API error carries.</summary>
    public static JsonObject StatusBody(HttpOperationException failure) => JsonNode.Parse(failure.Response.Content)!.AsObject();

    public static async Task<HttpStatusCode> StatusOf(Func<Task> call) => (await FailureOf(call)).Response.StatusCode;

    /// <summary>Polls until <paramref name="condition"/> holds, for things the server does shortly after a request (garbage collection).</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(5));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("condition not met in time");
            }

            await Task.Delay(25);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
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
