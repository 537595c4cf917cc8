using k8s.Models;

namespace ProxyOperator.Manifests;

/// <summary>
/// Schemas for the KubernetesClient types the resource embeds. Most are big core/v1 structs (affinity, tolerations,
/// resources) that the API server validates again where they land in a pod template, so they stay opaque objects
/// with <c>x-kubernetes-preserve-unknown-fields</c> instead of thousands of lines of copied schema; the few below are
/// spelled out because the resource's own rules need their fields.
/// </summary>
internal static class KnownSchemas
{
    /// <summary>The pattern of a resource.Quantity, as Kubernetes' own generated schemas carry it.</summary>
    private const string QuantityPattern = @"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

    public static V1JSONSchemaProps? For(Type type)
    {
        if (type == typeof(V1ObjectMeta))
        {
            // The API server owns metadata's schema; a CRD may only say it is an object.
            return new V1JSONSchemaProps { Type = "object" };
        }

        if (type == typeof(ResourceQuantity))
        {
            return new V1JSONSchemaProps { AnyOf = IntOrStringChoices(), Pattern = QuantityPattern, XKubernetesIntOrString = true };
        }

        if (type == typeof(IntOrString))
        {
            return new V1JSONSchemaProps { AnyOf = IntOrStringChoices(), XKubernetesIntOrString = true };
        }

        if (type == typeof(V1LocalObjectReference))
        {
            return new V1JSONSchemaProps
            {
                Type = "object",
                Description = "A reference to an object in the same namespace.",
                Properties = new SortedDictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal)
                {
                    ["name"] = new() { Type = "string", Description = "The name of the object." },
                },
                Required = ["name"],
                XKubernetesMapType = "atomic",
            };
        }

        if (type == typeof(V1Condition))
        {
            return Condition();
        }

        if (type.Namespace == typeof(V1Pod).Namespace)
        {
            return new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true };
        }

        return null;
    }

    private static List<V1JSONSchemaProps> IntOrStringChoices() => [new() { Type = "integer" }, new() { Type = "string" }];

    /// <summary>
    /// metav1.Condition as Kubernetes' own CRDs declare it
    /// (https://github.com/kubernetes/community/blob/master/contributors/devel/sig-architecture/api-conventions.md#typical-status-properties):
    /// <c>type</c> is required because it keys the conditions map list.
    /// </summary>
    private static V1JSONSchemaProps Condition() => new()
    {
        Type = "object",
        Description = "One aspect of the current state (metav1.Condition).",
        Properties = new SortedDictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal)
        {
            ["lastTransitionTime"] = new() { Type = "string", Format = "date-time", Description = "When the condition last changed from one status to another." },
            ["message"] = new() { Type = "string", MaxLength = 32768, Description = "A human-readable message with details about the transition." },
            ["observedGeneration"] = new() { Type = "integer", Format = "int64", Minimum = 0, Description = "The metadata.generation the condition was set for." },
            ["reason"] = new()
            {
                Type = "string",
                MinLength = 1,
                MaxLength = 1024,
                Pattern = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
                Description = "A CamelCase reason for the condition's last transition.",
            },
            ["status"] = new() { Type = "string", EnumProperty = ["True", "False", "Unknown"], Description = "True, False or Unknown." },
            ["type"] = new()
            {
                Type = "string",
                MaxLength = 316,
                Pattern = @"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
                Description = "The condition type in CamelCase, for example Ready.",
            },
        },
        Required = ["lastTransitionTime", "message", "reason", "status", "type"],
    };
}
