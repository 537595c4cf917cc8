using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;
using k8s.Models;
using ProxyOperator.KubeSandbox;
using ProxyOperator.KubeSandbox.Observation;
using ProxyOperator.KubeSandbox.Tests.RealClients;
using ProxyOperator.Operator.Builders;

namespace ProxyOperator.Packaging.Tests;

/// <summary>
/// The README's journey, once for the whole class: the chart installed with the real helm into the test API server,
/// the operator started as a separate process with the container's own arguments from the chart (and a kubeconfig),
/// then config/samples applied with the real kubectl and changed the ways that reach the operator's other calls.
/// Every resource request is recorded for the RBAC tests. The operator process is always stopped.
/// </summary>
public sealed class InstalledOperator : IAsyncLifetime
{
    public const string Release = "proxy-operator";
    public const string OperatorNamespace = "proxy-operator-system";
    public const string SamplesNamespace = "samples";
    public static readonly string[] Samples = ["goproxy", "goproxy-ha", "goproxy-s3", "goproxy-private", "goproxy-offline"];

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly ConcurrentQueue<RequestRecord> _requests = new();
    private KubeApiServer? _server;
    private ClientProcess? _operator;

    internal KubeClients Clients { get; private set; } = null!;

    /// <summary>Every GoModuleProxy and its children, as kubectl read them once all five were reconciled.</summary>
    public JsonObject Reconciled { get; private set; } = null!;

    /// <summary>What the chart installed, read back from the API server (helm get manifest).</summary>
    public List<JsonObject> InstalledManifest { get; private set; } = null!;

    public IReadOnlyCollection<RequestRecord> Requests => _requests;

    /// <summary>The operator's stdout and stderr, for failure messages.</summary>
    public string OperatorOutput => _operator is null ? "(not started)" : $"{_operator.StandardOutput}\n{_operator.StandardError}";

    public async Task InitializeAsync()
    {
        _server = await KubeApiServer.StartAsync(new KubeApiServerOptions { RequestObserver = _requests.Enqueue });
        var home = Directory.CreateTempSubdirectory("packaging-journey-").FullName;
        Clients = new KubeClients(KubeClients.LocateBinaries(), home, _server.WriteKubeconfig(Path.Combine(home, "kubeconfig")));

        // 1. helm install, as charts/proxy-operator/README.md says.
        (await Clients.HelmAsync("install", Release, Repository.Chart, "--namespace", OperatorNamespace, "--create-namespace")).EnsureSuccess();
        InstalledManifest = Manifests.Documents((await Clients.HelmAsync("get", "manifest", Release, "--namespace", OperatorNamespace)).EnsureSuccess().StandardOutput);

        // 2. The operator, as the Deployment would run it: its args, POD_NAMESPACE and POD_NAME; only where it listens
        //    and how it finds the API server differ (and a short resync, so the test does not wait 30 s).
        var deployment = Manifests.ReadStrictly<V1Deployment>(InstalledManifest.Single(d => (string?)d["kind"] == "Deployment"));
        var container = deployment.Spec.Template.Spec.Containers.Single();
        string[] arguments =
        [
            .. container.Args.Where(a => !a.StartsWith("--listen=", StringComparison.Ordinal) && !a.StartsWith("--resync-period=", StringComparison.Ordinal)),
            "--listen=127.0.0.1:0", "--resync-period=00:00:02", "--kubeconfig=" + Clients.KubeconfigPath,
        ];
        _operator = ClientProcess.Start(OperatorExecutable(), arguments, home, new Dictionary<string, string?>
        {
            ["POD_NAMESPACE"] = OperatorNamespace,
            ["POD_NAME"] = deployment.Metadata.Name + "-0",
            ["KUBECONFIG"] = null,
        });

        // 3. The samples, with kubectl.
        await KubectlAsync("create", "namespace", SamplesNamespace);
        await KubectlAsync("apply", "-n", SamplesNamespace, "-k", Repository.Path("config", "samples"));
        foreach (var name in Samples)
        {
            await EventuallyAsync($"gmp/{name}", "{.status.observedGeneration}/{.metadata.generation}", v => v.Split('/') is [var o, var g] && o == g && o.Length > 0, "status.observedGeneration = metadata.generation");
        }

        await EventuallyAsync("hpa/goproxy-s3", "{.metadata.name}", v => v == "goproxy-s3", "the HorizontalPodAutoscaler");
        Reconciled = JsonNode.Parse(await KubectlAsync("get", "-n", SamplesNamespace, "gmp,deployments,statefulsets,services,configmaps,pvc,pdb,ingresses,hpa", "-o", "json"))!.AsObject();

        // 4. Changes that make the operator delete what the spec no longer asks for.
        await KubectlAsync("scale", "-n", SamplesNamespace, "gmp/goproxy-ha", "--replicas=1");
        await GoneAsync("pdb/goproxy-ha");
        await KubectlAsync("patch", "-n", SamplesNamespace, "gmp/goproxy-ha", "--type=merge", "-p", """{"spec":{"ingress":{"enabled":false}}}""");
        await GoneAsync("ingress/goproxy-ha");
        await KubectlAsync("patch", "-n", SamplesNamespace, "gmp/goproxy-s3", "--type=merge", "-p", """{"spec":{"autoscaling":{"enabled":false}}}""");
        await GoneAsync("hpa/goproxy-s3");
        await KubectlAsync("patch", "-n", SamplesNamespace, "gmp/goproxy-private", "--type=merge", "-p", """{"spec":{"storage":{"disk":{"accessMode":"ReadWriteMany"}}}}""");
        await GoneAsync("statefulset/goproxy-private");
        await GoneAsync("service/" + Names.HeadlessService("goproxy-private"));
        await KubectlAsync("patch", "-n", SamplesNamespace, "gmp/goproxy-offline", "--type=merge", "-p", """{"spec":{"storage":{"disk":{"accessMode":"ReadWriteOnce"}}}}""");
        await GoneAsync("deployment/goproxy-offline");

        // 5. Deleting a stateful proxy: the finalizer deletes the claim its StatefulSet made (no controller makes it here).
        var claim = Path.Combine(home, "claim.yaml");
        await File.WriteAllTextAsync(claim, $"""
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata:
              name: {Names.CacheVolume}-goproxy-0
              labels: {new JsonObject(Labels.Selector("goproxy").Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))).ToJsonString()}
            spec:
              accessModes: [ReadWriteOnce]
              resources: {"{"}requests: {"{"}storage: 10Gi{"}"}{"}"}
            """);
        await KubectlAsync("apply", "-n", SamplesNamespace, "-f", claim);
        await KubectlAsync("delete", "-n", SamplesNamespace, "gmp/goproxy", "--timeout=20s");
        await GoneAsync($"pvc/{Names.CacheVolume}-goproxy-0");
    }

    public async Task DisposeAsync()
    {
        _operator?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private async Task<string> KubectlAsync(params string[] arguments)
    {
        var result = await Clients.KubectlAsync(arguments);
        if (!result.Succeeded)
        {
            Assert.Fail($"`{result.CommandLine}` exited with {result.ExitCode}.\n{result}\noperator output:\n{OperatorOutput}");
        }

        return result.StandardOutput;
    }

    private async Task EventuallyAsync(string target, string jsonPath, Func<string, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        var last = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            if (_operator!.HasExited)
            {
                Assert.Fail($"the operator process exited while waiting for {target} {what}.\n{OperatorOutput}");
            }

            var result = await Clients.KubectlAsync("get", "-n", SamplesNamespace, target, "-o", "jsonpath=" + jsonPath);
            last = result.ToString();
            if (result.Succeeded && condition(result.StandardOutput))
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"{target}: no {what} within {Patience}; kubectl last printed:\n{last}\noperator output:\n{OperatorOutput}");
    }

    private async Task GoneAsync(string target)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            var result = await Clients.KubectlAsync("get", "-n", SamplesNamespace, target, "--ignore-not-found", "-o", "name");
            if (result.Succeeded && result.StandardOutput.Trim().Length == 0)
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"{target} was not deleted within {Patience}.\noperator output:\n{OperatorOutput}");
    }

    /// <summary>The operator's apphost, built with this test project (same configuration).</summary>
    private static string OperatorExecutable()
    {
        var configuration = typeof(InstalledOperator).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var path = Repository.Path("src", "ProxyOperator.Operator", "bin", configuration, "net10.0", "proxy-operator");
        if (!File.Exists(path))
        {
            Assert.Fail($"The operator's apphost {path} is missing: build it with `dotnet build src/ProxyOperator.Operator -c {configuration}`.");
        }

        return path;
    }
}
