using k8s.Models;

namespace ProxyOperator.Operator.Status;

/// <summary>
/// Why a proxy pod cannot run, as users would otherwise dig it out with <c>kubectl describe pod</c>: the kubelet's
/// waiting reason for a container, or the scheduler's for a pod that stays Pending. The first troubled pod by name.
/// </summary>
internal sealed record PodTrouble(string Pod, string Reason, string Message)
{
    // The waiting reasons that do not go away by waiting (ContainerCreating and PodInitializing do).
    private static readonly HashSet<string> StuckReasons = new(StringComparer.Ordinal)
    {
        "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull",
        "CrashLoopBackOff", "CreateContainerConfigError", "CreateContainerError", "RunContainerError",
    };

    public static PodTrouble? Find(IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        foreach (var pod in pods.Where(p => p.Metadata.DeletionTimestamp is null).OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            if (Of(pod) is { } trouble)
            {
                return trouble;
            }
        }

        return null;
    }

    private static PodTrouble? Of(V1Pod pod)
    {
        var name = pod.Metadata.Name;
        var containers = (pod.Status?.InitContainerStatuses ?? []).Concat(pod.Status?.ContainerStatuses ?? []);
        foreach (var container in containers)
        {
            if (container.State?.Waiting is { Reason: { } reason } waiting && StuckReasons.Contains(reason))
            {
                var detail = string.IsNullOrWhiteSpace(waiting.Message) ? reason : waiting.Message.Trim();
                if (container.LastState?.Terminated is { } last)
                {
                    detail += $" (last exit code {last.ExitCode}{(string.IsNullOrEmpty(last.Reason) ? "" : ", " + last.Reason)})";
                }

                return new PodTrouble(name, reason, $"pod {name}: container {container.Name}: {detail}");
            }
        }

        if (pod.Status?.Phase == "Pending"
            && pod.Status.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled") is { Status: "False", Reason: "Unschedulable" } unscheduled)
        {
            return new PodTrouble(name, "Unschedulable", $"pod {name}: {unscheduled.Message ?? "cannot be scheduled"}");
        }

        return null;
    }
}
