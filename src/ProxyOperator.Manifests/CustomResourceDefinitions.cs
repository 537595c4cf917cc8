using System.Reflection;
using k8s.Models;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Manifests;

/// <summary>
/// The apiextensions.k8s.io/v1 CustomResourceDefinition of a C# resource type: names from its
/// <see cref="KubernetesEntityAttribute"/> and <see cref="CustomResourceAttribute"/>, the schema from
/// <see cref="SchemaGenerator"/>, printer columns from <see cref="PrinterColumnAttribute"/>
/// (https://kubernetes.io/docs/reference/kubernetes-api/extend-resources/custom-resource-definition-v1/).
/// </summary>
internal static class CustomResourceDefinitions
{
    /// <summary>The resources this operator defines.</summary>
    public static IReadOnlyList<Type> Resources { get; } = [typeof(GoModuleProxy)];

    public static V1CustomResourceDefinition For(Type resource)
    {
        var entity = resource.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{resource.Name} needs [KubernetesEntity].");
        var custom = resource.GetCustomAttribute<CustomResourceAttribute>()
            ?? throw new InvalidOperationException($"{resource.Name} needs [CustomResource].");

        return new V1CustomResourceDefinition
        {
            ApiVersion = "apiextensions.k8s.io/v1",
            Kind = "CustomResourceDefinition",
            Metadata = new V1ObjectMeta { Name = entity.PluralName + "." + entity.Group },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = entity.Group,
                Names = new V1CustomResourceDefinitionNames
                {
                    Kind = entity.Kind,
                    ListKind = entity.Kind + "List",
                    Plural = entity.PluralName,
                    Singular = entity.Kind.ToLowerInvariant(),
                    ShortNames = custom.ShortNames.Length > 0 ? custom.ShortNames : null,
                    Categories = custom.Categories.Length > 0 ? custom.Categories : null,
                },
                Scope = custom.Namespaced ? "Namespaced" : "Cluster",
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = entity.ApiVersion,
                        Served = true,
                        Storage = true,
                        Schema = new V1CustomResourceValidation { OpenAPIV3Schema = new SchemaGenerator().Root(resource) },
                        Subresources = Subresources(custom),
                        AdditionalPrinterColumns = PrinterColumns(resource),
                    },
                ],
            },
        };
    }

    /// <summary>The file name <c>controller-gen</c> would give it: <c>GROUP_PLURAL.yaml</c>.</summary>
    public static string FileName(V1CustomResourceDefinition crd)
    {
        ArgumentNullException.ThrowIfNull(crd);
        return crd.Spec.Group + "_" + crd.Spec.Names.Plural + ".yaml";
    }

    private static V1CustomResourceSubresources? Subresources(CustomResourceAttribute custom)
    {
        var scale = custom.SpecReplicasPath is null
            ? null
            : new V1CustomResourceSubresourceScale
            {
                SpecReplicasPath = custom.SpecReplicasPath,
                StatusReplicasPath = custom.StatusReplicasPath ?? throw new InvalidOperationException("The scale subresource needs StatusReplicasPath."),
                LabelSelectorPath = custom.LabelSelectorPath,
            };
        if (!custom.StatusSubresource && scale is null)
        {
            return null;
        }

        return new V1CustomResourceSubresources
        {
            // An empty object enables the subresource; it has no settings.
            Status = custom.StatusSubresource ? new Dictionary<string, object>() : null,
            Scale = scale,
        };
    }

    private static List<V1CustomResourceColumnDefinition>? PrinterColumns(Type resource)
    {
        var columns = resource.GetCustomAttributes<PrinterColumnAttribute>()
            .OrderBy(c => c.Order)
            .Select(c => new V1CustomResourceColumnDefinition
            {
                Name = c.Name,
                Type = c.Type,
                JsonPath = c.JsonPath,
                Description = c.Description,
                Priority = c.Priority == 0 ? null : c.Priority,
            })
            .ToList();
        return columns.Count > 0 ? columns : null;
    }
}
