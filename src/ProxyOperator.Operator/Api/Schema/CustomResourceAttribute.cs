namespace ProxyOperator.Operator.Api.Schema;

/// <summary>
/// The CRD's names and subresources beyond what <see cref="k8s.Models.KubernetesEntityAttribute"/> already says
/// (group, version, kind, plural).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CustomResourceAttribute : Attribute
{
    public string[] ShortNames { get; init; } = [];

    /// <summary>Groups the resource joins, for <c>kubectl get CATEGORY</c>.</summary>
    public string[] Categories { get; init; } = [];

    public bool Namespaced { get; init; } = true;

    /// <summary>Serves <c>/status</c>: spec and status are written separately and status writes leave the generation alone.</summary>
    public bool StatusSubresource { get; init; }

    /// <summary>
    /// With <see cref="StatusReplicasPath"/> and <see cref="LabelSelectorPath"/>, serves <c>/scale</c> so that
    /// <c>kubectl scale</c> and a HorizontalPodAutoscaler work on the resource; an HPA needs the selector path, which must
    /// point at a string.
    /// </summary>
    public string? SpecReplicasPath { get; init; }

    public string? StatusReplicasPath { get; init; }

    public string? LabelSelectorPath { get; init; }
}
