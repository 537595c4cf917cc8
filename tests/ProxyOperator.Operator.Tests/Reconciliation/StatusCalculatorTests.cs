using k8s.Models;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Status;

namespace ProxyOperator.Operator.Tests.Reconciliation;

public sealed class StatusCalculatorTests
{
    private static readonly DateTime Earlier = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Now = new(2026, 1, 1, 1, 0, 0, DateTimeKind.Utc);

    private static GoModuleProxy Proxy(long generation = 3, GoModuleProxyStatus? status = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "team", Generation = generation, Uid = "u" },
        Spec = new GoModuleProxySpec { Replicas = 2, Service = new ServiceSpec { Port = 8080 } },
        Status = status,
    };

    private static WorkloadRollout RolledOut(int replicas = 2) => new("Deployment", replicas, 5, 5, replicas, replicas, replicas, replicas);

    private static V1Condition Condition(GoModuleProxyStatus status, string type) => status.Conditions!.Single(c => c.Type == type);

    [Fact]
    public void A_rolled_out_workload_makes_the_proxy_ready_and_not_progressing()
    {
        var status = StatusCalculator.Compute(Proxy(), new Observations(RolledOut(), null, null), null, Now);

        Assert.Equal(3, status.ObservedGeneration);
        Assert.Equal(2, status.ReadyReplicas);
        Assert.Equal("http://p.team.svc:8080", status.Endpoint);
        Assert.Equal("app.kubernetes.io/name=goproxy,app.kubernetes.io/instance=p", status.Selector);
        Assert.Equal("True", Condition(status, ConditionTypes.Ready).Status);
        Assert.Equal("False", Condition(status, ConditionTypes.Progressing).Status);
        Assert.Equal("False", Condition(status, ConditionTypes.Degraded).Status);
        Assert.All(status.Conditions!, c => Assert.Equal(3, c.ObservedGeneration));
    }

    [Fact]
    public void The_url_is_the_ingress_host_when_an_ingress_is_enabled_and_the_service_otherwise()
    {
        var plain = Proxy();
        var exposed = Proxy();
        exposed.Spec.Ingress = new IngressSpec { Enabled = true, Host = "goproxy.example", Tls = new IngressTlsSpec { SecretName = "cert" } };

        Assert.Equal("http://p.team.svc:8080", StatusCalculator.Compute(plain, new Observations(RolledOut(), null, null), null, Now).Url);
        Assert.Equal("https://goproxy.example", StatusCalculator.Compute(exposed, new Observations(RolledOut(), null, null), null, Now).Url);
    }

    [Fact]
    public void A_workload_whose_controller_has_not_seen_the_new_spec_is_still_progressing()
    {
        var status = StatusCalculator.Compute(Proxy(), new Observations(RolledOut() with { Generation = 6 }, null, null), null, Now);

        Assert.Equal(ConditionReasons.RollingOut, Condition(status, ConditionTypes.Ready).Reason);
        Assert.Equal("True", Condition(status, ConditionTypes.Progressing).Status);
    }

    [Fact]
    public void Updated_pods_that_are_not_available_make_the_proxy_degraded()
    {
        var status = StatusCalculator.Compute(Proxy(), new Observations(RolledOut() with { AvailableReplicas = 1, ReadyReplicas = 1 }, null, null), null, Now);

        Assert.Equal("True", Condition(status, ConditionTypes.Degraded).Status);
        Assert.Equal(ConditionReasons.Unavailable, Condition(status, ConditionTypes.Degraded).Reason);
        Assert.Equal("False", Condition(status, ConditionTypes.Ready).Status);
    }

    [Fact]
    public void A_rejected_spec_is_not_ready_with_the_rejection_reason_and_message()
    {
        var status = StatusCalculator.Compute(Proxy(), new Observations(null, null, null), new SpecRejection(ConditionReasons.SecretNotFound, "Secret \"x\" not found"), Now);

        var ready = Condition(status, ConditionTypes.Ready);
        Assert.Equal(("False", ConditionReasons.SecretNotFound, "Secret \"x\" not found"), (ready.Status, ready.Reason, ready.Message));
    }

    [Fact]
    public void The_transition_time_changes_only_when_the_condition_status_changes()
    {
        var before = StatusCalculator.Compute(Proxy(), new Observations(RolledOut() with { Generation = 6 }, null, null), null, Earlier);

        var stillRolling = StatusCalculator.Compute(Proxy(status: before), new Observations(RolledOut() with { Generation = 7 }, null, null), null, Now);
        var rolledOut = StatusCalculator.Compute(Proxy(status: before), new Observations(RolledOut(), null, null), null, Now);

        Assert.Equal(Earlier, Condition(stillRolling, ConditionTypes.Ready).LastTransitionTime);
        Assert.Equal(Now, Condition(rolledOut, ConditionTypes.Ready).LastTransitionTime);
        Assert.Equal(Earlier, Condition(rolledOut, ConditionTypes.Degraded).LastTransitionTime);
    }

    [Fact]
    public void Every_condition_has_a_message_as_the_schema_requires()
    {
        foreach (var status in new[]
        {
            StatusCalculator.Compute(Proxy(), new Observations(null, null, null), null, Now),
            StatusCalculator.Compute(Proxy(), new Observations(RolledOut(), null, null), null, Now),
            StatusCalculator.Compute(Proxy(), new Observations(RolledOut(0), null, null), null, Now),
            StatusCalculator.Compute(Proxy(), new Observations(null, null, null), new SpecRejection(ConditionReasons.InvalidSpec, "bad"), Now),
        })
        {
            Assert.All(status.Conditions!, c => Assert.False(string.IsNullOrEmpty(c.Message)));
        }
    }
}
