using k8s.Models;
using ProxyOperator.KubeSandbox.Observation;

namespace ProxyOperator.Packaging.Tests;

/// <summary>
/// The chart's RBAC is exactly what the operator uses. The test API server authorizes nothing, so every request the
/// operator process made during <see cref="InstalledOperator"/>'s journey is checked against the rules the chart
/// installed, as the RBAC authorizer would check it; and every rule is checked for a request that needed it.
/// </summary>
public sealed class RbacTests(InstalledOperator installed) : IClassFixture<InstalledOperator>
{
    /// <summary>Granted, but not reached by the journey; why each is still needed.</summary>
    private static readonly Dictionary<string, string> Unreached = new(StringComparer.Ordinal)
    {
        ["update proxyoperator.io/gomoduleproxies/finalizers"] =
            "never sent: the OwnerReferencesPermissionEnforcement admission plugin requires it of whoever sets blockOwnerDeletion on a child",
        ["get monitoring.coreos.com/servicemonitors"] = "the test API server serves no prometheus-operator API, so the operator skips ServiceMonitors",
        ["create monitoring.coreos.com/servicemonitors"] = "as above: server-side apply of a new ServiceMonitor",
        ["patch monitoring.coreos.com/servicemonitors"] = "as above: server-side apply of a ServiceMonitor",
        ["delete monitoring.coreos.com/servicemonitors"] = "as above: monitoring switched off",
        ["delete networking.k8s.io/networkpolicies"] = "deleted when networkPolicy.enabled goes false; the samples never turn it off",
    };

    /// <summary>Granted, and reached by the journey or not depending on timing; why each is needed.</summary>
    private static readonly Dictionary<string, string> ReachedSometimes = new(StringComparer.Ordinal)
    {
        ["patch /events"] = "EventRecorder bumps the count of an identical event repeated within 10 minutes; whether a resync repeats one during the journey is a matter of timing",
    };

    private sealed record Grant(string? Namespace, V1PolicyRule Rule);

    private sealed record Permission(string Verb, string Group, string Resource, string? Namespace, string? Name)
    {
        public override string ToString() => $"{Verb} {Group}/{Resource}" + (Namespace is null ? "" : $" in {Namespace}") + (Name is null ? "" : $" ({Name})");
    }

    private List<Grant> Grants()
    {
        var grants = new List<Grant>();
        foreach (var document in installed.InstalledManifest)
        {
            switch ((string?)document["kind"])
            {
                case "ClusterRole":
                    grants.AddRange(Manifests.ReadStrictly<V1ClusterRole>(document).Rules.Select(r => new Grant(null, r)));
                    break;
                case "Role":
                    var role = Manifests.ReadStrictly<V1Role>(document);
                    grants.AddRange(role.Rules.Select(r => new Grant(role.Metadata.NamespaceProperty, r)));
                    break;
            }
        }

        return grants;
    }

    /// <summary>The operator's requests: the journey's other clients are kubectl and helm.</summary>
    private List<RequestRecord> OperatorRequests()
    {
        var requests = installed.Requests.Where(r => !r.UserAgent.StartsWith("kubectl", StringComparison.Ordinal) && !r.UserAgent.StartsWith("Helm", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(requests.Count > 0, $"no request from the operator was recorded; user agents seen: {string.Join(", ", installed.Requests.Select(r => r.UserAgent).Distinct())}");
        return requests;
    }

    /// <summary>What RBAC checks for a request: its verb; for a server-side apply that created the object (201), create as well.</summary>
    private static IEnumerable<Permission> Needs(RequestRecord request)
    {
        var resource = request.Subresource is null ? request.Resource : request.Resource + "/" + request.Subresource;
        yield return new Permission(request.Verb, request.Group, resource, request.Namespace, request.Name);
        if (request.Verb == "patch" && request.StatusCode == 201)
        {
            yield return new Permission("create", request.Group, resource, request.Namespace, request.Name);
        }
    }

    private static bool Allows(Grant grant, Permission permission) =>
        (grant.Namespace is null || grant.Namespace == permission.Namespace)
        && (grant.Rule.ApiGroups.Contains(permission.Group) || grant.Rule.ApiGroups.Contains("*"))
        && (grant.Rule.Resources.Contains(permission.Resource) || grant.Rule.Resources.Contains("*"))
        && (grant.Rule.Verbs.Contains(permission.Verb) || grant.Rule.Verbs.Contains("*"))
        && (grant.Rule.ResourceNames is null or { Count: 0 } || (permission.Name is not null && grant.Rule.ResourceNames.Contains(permission.Name)));

    [Fact]
    public void Every_request_the_operator_made_is_allowed_by_the_charts_roles()
    {
        var grants = Grants();

        var denied = OperatorRequests().SelectMany(Needs).Where(p => !grants.Any(g => Allows(g, p))).Select(p => p.ToString()).Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.True(denied.Count == 0,
            "The operator made requests the chart's (Cluster)Role would deny; add them to proxy-operator.rules (or the leader-election Role) " +
            "in charts/proxy-operator/templates/, then run `bash config/generate.sh`:\n  " + string.Join("\n  ", denied));
    }

    [Fact]
    public void The_charts_roles_grant_nothing_the_operator_did_not_use_but_the_documented_allowances()
    {
        var used = OperatorRequests().SelectMany(Needs).ToList();

        var unused = new List<string>();
        foreach (var grant in Grants())
        {
            foreach (var group in grant.Rule.ApiGroups)
            {
                foreach (var resource in grant.Rule.Resources)
                {
                    foreach (var verb in grant.Rule.Verbs)
                    {
                        var single = grant with { Rule = new V1PolicyRule { ApiGroups = [group], Resources = [resource], Verbs = [verb], ResourceNames = grant.Rule.ResourceNames } };
                        var key = $"{verb} {group}/{resource}";
                        if (!used.Any(p => Allows(single, p)) && !Unreached.ContainsKey(key) && !ReachedSometimes.ContainsKey(key))
                        {
                            unused.Add(key + (grant.Namespace is null ? "" : $" in {grant.Namespace}"));
                        }
                    }
                }
            }
        }

        Assert.True(unused.Count == 0,
            "The chart grants what the operator never used in the journey: remove it from charts/proxy-operator/templates/, or, if a path the " +
            $"journey cannot reach needs it, list it with the reason in {nameof(RbacTests)}.{nameof(Unreached)}:\n  " + string.Join("\n  ", unused));
    }

    [Fact]
    public void Every_documented_allowance_is_still_granted_and_still_unreached()
    {
        var grants = Grants();
        var used = OperatorRequests().SelectMany(Needs).ToList();

        foreach (var (key, reason) in Unreached.Concat(ReachedSometimes))
        {
            var (verb, groupResource) = (key[..key.IndexOf(' ', StringComparison.Ordinal)], key[(key.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            var slash = groupResource.IndexOf('/', StringComparison.Ordinal);
            var permission = new Permission(verb, groupResource[..slash], groupResource[(slash + 1)..], InstalledOperator.SamplesNamespace, null);
            Assert.True(grants.Any(g => Allows(g, permission)), $"{key} is listed as an allowance ({reason}) but the chart no longer grants it: remove it from {nameof(Unreached)}.");
            Assert.False(Unreached.ContainsKey(key) && used.Any(p => p.Verb == verb && p.Group == permission.Group && p.Resource == permission.Resource),
                $"{key} is listed as unreached ({reason}) but the journey used it: remove it from {nameof(Unreached)}.");
        }
    }
}
