namespace ProxyOperator.KubeSandbox.Resources;

/// <summary>
/// Where a resource keeps what its <c>/scale</c> subresource shows, as a CustomResourceDefinition's
/// <c>subresources.scale</c> says (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#scale-subresource).
/// Built-in workloads keep their selector as a LabelSelector object at <c>.spec.selector</c>, which the Scale shows as a string.
/// </summary>
internal sealed record ScaleSpec(string SpecReplicasPath, string StatusReplicasPath, string? LabelSelectorPath, bool SelectorIsLabelSelectorObject = false);
