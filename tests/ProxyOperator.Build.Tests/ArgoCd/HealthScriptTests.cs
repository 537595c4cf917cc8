using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ProxyOperator.Operator.Status;
using ProxyOperator.Testing;

namespace ProxyOperator.Build.Tests.ArgoCd;

/// <summary>
/// docs/argocd/health.lua run by the real lua5.4, inside a harness that gives it what Argo CD gives it (the resource
/// in the global <c>obj</c>, no string library), against GoModuleProxy objects shaped like the operator's status.
/// </summary>
public sealed class HealthScriptTests : IDisposable
{
    private const string ConfigMapKey = "resource.customizations.health.proxyoperator.io_GoModuleProxy";

    private static readonly string Script = RepositoryRoot.File("docs", "argocd", "health.lua");

    private readonly TempDirectory _temp = TempDirectory.Create("argocd-health-");

    private sealed record Case(JsonObject Resource, string Status, string Message);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["no status yet"] = new(WithStatus(null), "Progressing", "Waiting for the operator to report the proxy's status"),
        ["a status without conditions"] = new(WithStatus(new JsonObject { ["observedGeneration"] = 2 }), "Progressing",
            "Waiting for the operator to report the proxy's status"),
        ["a spec change the operator has not seen"] = new(Resource(generation: 3, observed: 2, conditions: RolledOut()), "Progressing",
            "Waiting for the operator to reconcile generation 3"),
        ["no observedGeneration at all"] = new(Resource(observed: null, conditions: RolledOut()), "Progressing",
            "Waiting for the operator to reconcile generation 2"),
        ["rolled out and every proxy healthy"] = new(Resource(conditions: RolledOut()), "Healthy",
            "StatefulSet rolled out: 3/3 ready, 3 updated, 3 available; 3 ready proxies healthy"),
        ["rolling out"] = new(Resource(conditions:
            [
                Condition(ConditionTypes.Ready, "False", ConditionReasons.RollingOut, "Deployment rolling out: 1/3 ready, 1 updated, 1 available"),
                Condition(ConditionTypes.Progressing, "True", ConditionReasons.RollingOut, "Deployment rolling out: 1/3 ready, 1 updated, 1 available"),
                Condition(ConditionTypes.Degraded, "False", ConditionReasons.AsExpected, "no problem found"),
            ]), "Progressing", "Deployment rolling out: 1/3 ready, 1 updated, 1 available"),
        ["the workload not made yet"] = new(Resource(conditions:
            [
                Condition(ConditionTypes.Ready, "False", ConditionReasons.WorkloadMissing, "the proxy workload does not exist yet"),
                Condition(ConditionTypes.Progressing, "True", ConditionReasons.WorkloadMissing, "the proxy workload does not exist yet"),
                Condition(ConditionTypes.Degraded, "False", ConditionReasons.AsExpected, "no problem found"),
            ]), "Progressing", "the proxy workload does not exist yet"),
        ["a pod that cannot pull its image, while rolling out"] = new(Resource(conditions:
            [
                Condition(ConditionTypes.Ready, "False", ConditionReasons.RollingOut, "StatefulSet rolling out: 0/1 ready, 1 updated, 0 available"),
                Condition(ConditionTypes.Progressing, "True", ConditionReasons.RollingOut, "StatefulSet rolling out: 0/1 ready, 1 updated, 0 available"),
                Condition(ConditionTypes.Degraded, "True", "ImagePullBackOff",
                    "pod goproxy-0: container goproxy: Back-off pulling image \"registry.example/goproxy:0.1.0\""),
            ]), "Degraded", "pod goproxy-0: container goproxy: Back-off pulling image \"registry.example/goproxy:0.1.0\""),
        ["fewer pods available than asked for"] = new(Resource(conditions:
            [
                Condition(ConditionTypes.Ready, "True", ConditionReasons.RolledOut, "Deployment rolled out: 2/3 ready, 3 updated, 2 available"),
                Condition(ConditionTypes.Progressing, "False", ConditionReasons.RolledOut, "Deployment rolled out"),
                Condition(ConditionTypes.Degraded, "True", ConditionReasons.Unavailable, "Deployment: 2/3 ready, 3 updated, 2 available"),
            ]), "Degraded", "Deployment: 2/3 ready, 3 updated, 2 available"),
        ["an invalid spec, as the operator reports it"] = new(Resource(conditions: Rejected(ConditionReasons.InvalidSpec,
            "spec.storage.s3 is required when spec.storage.type is S3")), "Degraded", "spec.storage.s3 is required when spec.storage.type is S3"),
        ["an invalid spec with Ready alone"] = new(Resource(conditions:
            [
                Condition(ConditionTypes.Ready, "False", ConditionReasons.InvalidSpec, "spec.autoscaling.maxReplicas is required"),
            ]), "Degraded", "spec.autoscaling.maxReplicas is required"),
        ["a missing Secret with Ready alone"] = new(Resource(conditions:
            [
                Condition(ConditionTypes.Ready, "False", ConditionReasons.SecretNotFound, "Secret corp-git (spec.privateModules[0].credentialsSecret) not found"),
                Condition(ConditionTypes.Progressing, "False", ConditionReasons.SecretNotFound, "the spec cannot be reconciled until it is fixed"),
            ]), "Degraded", "Secret corp-git (spec.privateModules[0].credentialsSecret) not found"),
        ["rolled out but a proxy unhealthy"] = new(Resource(conditions:
            [
                Condition(ConditionTypes.Ready, "False", ConditionReasons.ProxiesUnhealthy, "pod goproxy-1: storage not ready"),
                Condition(ConditionTypes.Progressing, "False", ConditionReasons.RolledOut, "StatefulSet rolled out"),
                Condition(ConditionTypes.Degraded, "False", ConditionReasons.AsExpected, "no problem found"),
            ]), "Degraded", "pod goproxy-1: storage not ready"),
        ["ready, but a store that cannot be written"] = new(Resource(conditions: RolledOut(
                Condition(ConditionTypes.StorageReady, "False", ConditionReasons.NotWritable, "pod goproxy-0: No space left on device"))),
            "Degraded", "pod goproxy-0: No space left on device"),
        ["ready, but the upstream unreachable"] = new(Resource(conditions: RolledOut(
                Condition(ConditionTypes.UpstreamReachable, "False", ConditionReasons.Unreachable, "pod goproxy-0: https://proxy.golang.org: connection refused"))),
            "Degraded", "pod goproxy-0: https://proxy.golang.org: connection refused"),
        ["ready and offline, no proxy answered yet"] = new(Resource(conditions: RolledOut(
                Condition(ConditionTypes.UpstreamReachable, "Unknown", ConditionReasons.Offline, "the proxies run offline and never contact an upstream"),
                Condition(ConditionTypes.StorageReady, "Unknown", ConditionReasons.NoProxyAnswered, "no proxy pod answered GET /status"))),
            "Healthy", "StatefulSet rolled out: 3/3 ready, 3 updated, 3 available; 3 ready proxies healthy"),
        ["ready, with the ServiceMonitor API missing"] = new(Resource(conditions: RolledOut(
                Condition(ConditionTypes.ServiceMonitorReady, "False", ConditionReasons.ApiNotServed, "the cluster does not serve monitoring.coreos.com/v1"))),
            "Healthy", "StatefulSet rolled out: 3/3 ready, 3 updated, 3 available; 3 ready proxies healthy"),
        ["scaled to zero"] = new(Resource(conditions:
            [
                Condition(ConditionTypes.Ready, "False", ConditionReasons.ScaledToZero, "Deployment rolled out: 0/0 ready, 0 updated, 0 available"),
                Condition(ConditionTypes.Progressing, "False", ConditionReasons.RolledOut, "Deployment rolled out"),
                Condition(ConditionTypes.Degraded, "False", ConditionReasons.AsExpected, "no problem found"),
            ]), "Suspended", "Deployment rolled out: 0/0 ready, 0 updated, 0 available"),
        ["Ready not decided yet"] = new(Resource(conditions:
            [
                Condition(ConditionTypes.Ready, "Unknown", "Unknown", ""),
            ]), "Progressing", "Waiting for the Ready condition"),
        ["being deleted"] = new(Resource(deleting: true, conditions: RolledOut()), "Progressing", "Being deleted"),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    public void Dispose() => _temp.Dispose();

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Health_of_a_GoModuleProxy(string name)
    {
        var expected = Cases[name];
        var (status, message) = await RunAsync(expected.Resource);
        Assert.Equal(expected.Status, status);
        Assert.Equal(expected.Message, message);
    }

    [Fact]
    public async Task A_script_that_uses_the_string_library_fails_in_the_harness_as_in_Argo_CD()
    {
        // Guards the harness itself: without this, a script calling s:find or string.format would pass here and fail
        // in Argo CD, whose default sandbox has no string library.
        var script = Path.Combine(_temp.Path, "uses-strings.lua");
        await File.WriteAllTextAsync(script, "local s = obj.kind\nreturn { status = s:sub(1, 1) == \"G\" and \"Healthy\" or \"Degraded\" }\n");
        var result = await HarnessAsync(script, Resource(conditions: RolledOut()));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("the script failed", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_condition_type_and_reason_the_script_names_is_one_the_operator_writes()
    {
        var text = File.ReadAllText(Script);
        var types = Regex.Matches(text, @"find\(status\.conditions, ""(\w+)""\)").Select(m => m.Groups[1].Value).ToList();
        var reasons = Regex.Matches(text, @"reason == ""(\w+)""").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(types);
        Assert.NotEmpty(reasons);
        Assert.All(types, t => Assert.Contains(t, Constants(typeof(ConditionTypes))));
        Assert.All(reasons, r => Assert.Contains(r, Constants(typeof(ConditionReasons))));
    }

    [Theory]
    [InlineData("docs/argocd/README.md")]
    [InlineData("charts/proxy-operator/README.md")]
    public void The_argocd_cm_snippets_in_the_docs_are_the_script(string document)
    {
        var readme = File.ReadAllLines(RepositoryRoot.File(document.Split('/')));
        var keys = Enumerable.Range(0, readme.Length).Where(i => readme[i].TrimStart().StartsWith(ConfigMapKey + ": |", StringComparison.Ordinal)).ToList();
        Assert.True(keys.Count > 0, $"{document} has no `{ConfigMapKey}: |` block");
        foreach (var key in keys)
        {
            var indent = readme[key].Length - readme[key].TrimStart().Length + 2;
            var block = readme.Skip(key + 1)
                .TakeWhile(l => l.Length == 0 || (l.Length - l.TrimStart().Length >= indent && !l.TrimStart().StartsWith("```", StringComparison.Ordinal)))
                .Select(l => l.Length == 0 ? l : l[indent..]);
            Assert.Equal(File.ReadAllText(Script).TrimEnd(), string.Join('\n', block).TrimEnd());
        }
    }

    private async Task<(string Status, string Message)> RunAsync(JsonObject resource)
    {
        var result = await HarnessAsync(Script, resource);
        Assert.True(result.ExitCode == 0, $"lua5.4 exited {result.ExitCode}: {result.StandardError}");
        var newline = result.StandardOutput.IndexOf('\n', StringComparison.Ordinal);
        return (result.StandardOutput[..newline], result.StandardOutput[(newline + 1)..]);
    }

    private async Task<ProcessResult> HarnessAsync(string script, JsonObject resource)
    {
        var objectFile = Path.Combine(_temp.Path, $"{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(objectFile, LuaLiteral.From(resource));
        return await Lua.RunAsync([Path.Combine(AppContext.BaseDirectory, "ArgoCd", "harness.lua"), script, objectFile], _temp.Path);
    }

    private static JsonObject Resource(long generation = 2, long? observed = 2, bool deleting = false, JsonObject[]? conditions = null) =>
        WithStatus(conditions is null ? null : new JsonObject
        {
            ["observedGeneration"] = observed,
            ["replicas"] = 3,
            ["readyReplicas"] = 3,
            ["selector"] = "app.kubernetes.io/instance=goproxy,app.kubernetes.io/name=goproxy",
            ["endpoint"] = "http://goproxy.tools.svc:80",
            ["conditions"] = new JsonArray([.. conditions]),
        }, generation, deleting);

    private static JsonObject WithStatus(JsonObject? status, long generation = 2, bool deleting = false)
    {
        var metadata = new JsonObject
        {
            ["name"] = "goproxy",
            ["namespace"] = "tools",
            ["generation"] = generation,
            ["creationTimestamp"] = "2026-11-25T04:00:00Z",
        };
        if (deleting)
        {
            metadata["deletionTimestamp"] = "2026-11-25T05:00:00Z";
            metadata["finalizers"] = new JsonArray("proxyoperator.io/finalizer");
        }

        return new JsonObject
        {
            ["apiVersion"] = "proxyoperator.io/v1alpha1",
            ["kind"] = "GoModuleProxy",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject { ["replicas"] = 3 },
            ["status"] = status,
        };
    }

    /// <summary>Rolled out and healthy, as the operator writes it, with <paramref name="replacing"/> in place of the conditions of their types.</summary>
    private static JsonObject[] RolledOut(params JsonObject[] replacing) =>
    [
        .. Healthy().Select(c => replacing.FirstOrDefault(r => (string?)r["type"] == (string?)c["type"]) ?? c),
        .. replacing.Where(r => Healthy().All(c => (string?)c["type"] != (string?)r["type"])),
    ];

    private static JsonObject[] Healthy() =>
    [
        Condition(ConditionTypes.Ready, "True", ConditionReasons.RolledOut,
            "StatefulSet rolled out: 3/3 ready, 3 updated, 3 available; 3 ready proxies healthy"),
        Condition(ConditionTypes.Progressing, "False", ConditionReasons.RolledOut, "StatefulSet rolled out"),
        Condition(ConditionTypes.Degraded, "False", ConditionReasons.AsExpected, "no problem found"),
        Condition(ConditionTypes.UpstreamReachable, "True", ConditionReasons.Reachable, "3 proxies reach the upstream"),
        Condition(ConditionTypes.StorageReady, "True", ConditionReasons.Writable, "3 proxies write to storage"),
    ];

    private static JsonObject[] Rejected(string reason, string message) =>
    [
        Condition(ConditionTypes.Ready, "False", reason, message),
        Condition(ConditionTypes.Progressing, "False", reason, "the spec cannot be reconciled until it is fixed"),
        Condition(ConditionTypes.Degraded, "True", reason, message),
    ];

    private static JsonObject Condition(string type, string status, string reason, string message) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["reason"] = reason,
        ["message"] = message,
        ["observedGeneration"] = 2,
        ["lastTransitionTime"] = "2026-11-25T04:01:00Z",
    };

    private static HashSet<string> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToHashSet();
}
