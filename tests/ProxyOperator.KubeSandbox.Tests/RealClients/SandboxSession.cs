namespace ProxyOperator.KubeSandbox.Tests.RealClients;

/// <summary>
/// One test's world: a fresh in-process <see cref="KubeApiServer"/>, a temp folder with its kubeconfig and the clients'
/// private HOME, and a namespace of the test's own.
/// Set <c>KUBE_SANDBOX_KUBECONFIG</c> to run the same tests against another API server instead (e.g. the real
/// kube-apiserver from shared/tools/real-kube, to check that the tests assert Kubernetes' behaviour and not ours).
/// </summary>
internal sealed class SandboxSession : IAsyncDisposable
{
    private readonly KubeApiServer? server;

    private SandboxSession(KubeApiServer? server, string root, KubeClients clients, string ns)
    {
        this.server = server;
        Root = root;
        Clients = clients;
        Namespace = ns;
    }

    /// <summary>The temp folder of this session (kubeconfig, HOME, manifests).</summary>
    public string Root { get; }

    public KubeClients Clients { get; }

    /// <summary>A namespace name no other test uses (created by <see cref="StartAsync"/> unless asked not to).</summary>
    public string Namespace { get; }

    public static async Task<SandboxSession> StartAsync(bool createNamespace = true)
    {
        var binaries = KubeClients.LocateBinaries();
        var root = Directory.CreateTempSubdirectory("kube-real-clients-").FullName;
        var home = Directory.CreateDirectory(Path.Combine(root, "home")).FullName;
        var kubeconfig = Path.Combine(root, "kubeconfig");
        KubeApiServer? server = null;
        var external = Environment.GetEnvironmentVariable("KUBE_SANDBOX_KUBECONFIG");
        if (string.IsNullOrEmpty(external))
        {
            server = await KubeApiServer.StartAsync().ConfigureAwait(false);
            server.WriteKubeconfig(kubeconfig);
        }
        else
        {
            File.Copy(external, kubeconfig);
        }

        var ns = "rc-" + Guid.NewGuid().ToString("N")[..10];
        var session = new SandboxSession(server, root, new KubeClients(binaries, home, kubeconfig), ns);
        if (createNamespace)
        {
            // Through apply (a JSON body), not `kubectl create namespace` (a protobuf body, which has a test of its own),
            // and without client-side validation, so that every other test does not hinge on those two.
            var manifest = session.WriteManifest("namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: NAMESPACE\n");
            await session.KubectlAsync("apply", "--validate=false", "-f", manifest).ConfigureAwait(false);
        }

        return session;
    }

    /// <summary>Runs kubectl and fails the test unless it succeeds.</summary>
    public async Task<ClientResult> KubectlAsync(params string[] arguments) =>
        (await Clients.KubectlAsync(arguments).ConfigureAwait(false)).EnsureSuccess();

    /// <summary>Runs kubectl in this session's namespace and fails the test unless it succeeds.</summary>
    public Task<ClientResult> KubectlInNamespaceAsync(params string[] arguments) =>
        KubectlAsync([.. arguments, "--namespace", Namespace]);

    /// <summary>Runs helm in this session's namespace and fails the test unless it succeeds.</summary>
    public async Task<ClientResult> HelmAsync(params string[] arguments) =>
        (await Clients.HelmAsync([.. arguments, "--namespace", Namespace]).ConfigureAwait(false)).EnsureSuccess();

    /// <summary><c>kubectl get ... -o jsonpath=...</c> in this session's namespace; returns what it printed.</summary>
    public async Task<string> JsonPathAsync(string resource, string jsonPath) =>
        (await KubectlInNamespaceAsync("get", resource, "-o", "jsonpath=" + jsonPath).ConfigureAwait(false)).StandardOutput;

    /// <summary>Writes a manifest (with <c>NAMESPACE</c> replaced by this session's namespace) and returns its path.</summary>
    public string WriteManifest(string fileName, string yaml)
    {
        var path = Path.Combine(Root, fileName);
        File.WriteAllText(path, yaml.Replace("NAMESPACE", Namespace, StringComparison.Ordinal));
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            // A shared external server: leave it as we found it (CRDs are shared by all tests and stay).
            await Clients.KubectlAsync("delete", "namespace", Namespace, "--wait=false", "--ignore-not-found").ConfigureAwait(false);
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a client still holding a file; the temp folder is cleaned by the OS
        }
    }
}
