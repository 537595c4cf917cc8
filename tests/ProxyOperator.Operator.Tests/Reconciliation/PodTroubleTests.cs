using k8s.Models;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Status;

namespace ProxyOperator.Operator.Tests.Reconciliation;

public sealed class PodTroubleTests
{
    private static V1Pod Pod(string name, V1PodStatus status) => new() { Metadata = new V1ObjectMeta { Name = name }, Status = status };

    private static V1PodStatus Waiting(string reason, string? message = null, V1ContainerStateTerminated? last = null) => new()
    {
        Phase = "Pending",
        ContainerStatuses =
        [
            new V1ContainerStatus
            {
                Name = "goproxy",
                Image = "goproxy:x",
                ImageID = "",
                Ready = false,
                RestartCount = 0,
                State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason, Message = message } },
                LastState = last is null ? null : new V1ContainerState { Terminated = last },
            },
        ],
    };

    [Fact]
    public void An_image_that_cannot_be_pulled_names_the_pod_the_container_and_the_kubelets_message()
    {
        var trouble = PodTrouble.Find([Pod("p-1", Waiting("ImagePullBackOff", "Back-off pulling image \"goproxy:nope\""))]);

        Assert.Equal(new PodTrouble("p-1", "ImagePullBackOff", "pod p-1: container goproxy: Back-off pulling image \"goproxy:nope\""), trouble);
    }

    [Fact]
    public void A_crash_loop_carries_the_last_exit_code()
    {
        var trouble = PodTrouble.Find([Pod("p-1", Waiting("CrashLoopBackOff", "back-off 40s restarting failed container", new V1ContainerStateTerminated { ExitCode = 2, Reason = "Error" }))]);

        Assert.Equal("CrashLoopBackOff", trouble!.Reason);
        Assert.EndsWith("(last exit code 2, Error)", trouble.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pod_the_scheduler_cannot_place_is_unschedulable_with_the_schedulers_message()
    {
        var status = new V1PodStatus
        {
            Phase = "Pending",
            Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = "pod has unbound immediate PersistentVolumeClaims" }],
        };

        var trouble = PodTrouble.Find([Pod("p-0", status)]);

        Assert.Equal(new PodTrouble("p-0", "Unschedulable", "pod p-0: pod has unbound immediate PersistentVolumeClaims"), trouble);
    }

    [Fact]
    public void Waiting_that_ends_by_itself_is_no_trouble_and_the_first_troubled_pod_by_name_is_reported()
    {
        Assert.Null(PodTrouble.Find([Pod("a", Waiting("ContainerCreating")), Pod("b", new V1PodStatus { Phase = "Pending" })]));

        var trouble = PodTrouble.Find([Pod("c", Waiting("ErrImagePull")), Pod("a", Waiting("ContainerCreating")), Pod("b", Waiting("CreateContainerConfigError", "secret \"x\" not found"))]);

        Assert.Equal("b", trouble!.Pod);
    }

    [Fact]
    public void Pod_trouble_makes_the_proxy_degraded_with_the_kubelets_reason()
    {
        var proxy = new GoModuleProxy { Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "team", Generation = 1 }, Spec = new GoModuleProxySpec() };
        var rollingOut = new WorkloadRollout("Deployment", 2, 1, 1, 2, 1, 2, 1);
        var trouble = new PodTrouble("p-1", "ImagePullBackOff", "pod p-1: container goproxy: Back-off");

        var status = StatusCalculator.Compute(proxy, new Observations(rollingOut, trouble, null), null, DateTime.UnixEpoch);

        var degraded = status.Conditions!.Single(c => c.Type == ConditionTypes.Degraded);
        Assert.Equal(("True", "ImagePullBackOff", trouble.Message), (degraded.Status, degraded.Reason, degraded.Message));
        Assert.Equal("False", status.Conditions!.Single(c => c.Type == ConditionTypes.Ready).Status);
    }

    [Fact]
    public void A_deployment_past_its_progress_deadline_makes_the_proxy_degraded_with_that_reason()
    {
        var deployment = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Generation = 2 },
            Spec = new V1DeploymentSpec { Replicas = 2 },
            Status = new V1DeploymentStatus
            {
                ObservedGeneration = 2,
                Replicas = 3,
                UpdatedReplicas = 1,
                Conditions = [new V1DeploymentCondition { Type = "Progressing", Status = "False", Reason = "ProgressDeadlineExceeded", Message = "ReplicaSet \"p-1\" has timed out progressing." }],
            },
        };
        var proxy = new GoModuleProxy { Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "team", Generation = 1 }, Spec = new GoModuleProxySpec() };

        var status = StatusCalculator.Compute(proxy, new Observations(WorkloadRollout.Of(deployment), null, null), null, DateTime.UnixEpoch);

        var degraded = status.Conditions!.Single(c => c.Type == ConditionTypes.Degraded);
        Assert.Equal(("True", "ProgressDeadlineExceeded"), (degraded.Status, degraded.Reason));
        Assert.Contains("timed out progressing", degraded.Message, StringComparison.Ordinal);
    }
}
