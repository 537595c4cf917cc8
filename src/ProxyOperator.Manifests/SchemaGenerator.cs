using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using k8s.Models;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Manifests;

/// <summary>
/// The structural OpenAPI v3 schema of a custom resource, from one reflection walk over its C# types
/// (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema).
/// The conventions it reads: <see cref="JsonPropertyNameAttribute"/> names every field; a C# <c>required</c> member is
/// a required field and every other member is nullable, so that objects built in C# send only what was set; the
/// attributes of <see cref="ProxyOperator.Operator.Api.Schema"/> add descriptions, defaults, limits and CEL rules.
/// Breaking a convention throws, so the mistake shows in <c>make manifests</c> rather than in a cluster.
/// </summary>
internal sealed class SchemaGenerator
{
    private readonly NullabilityInfoContext _nullability = new();

    /// <summary>The fields every object has, described as Kubernetes' own CRDs describe them.</summary>
    public V1JSONSchemaProps Root(Type type)
    {
        var properties = new SortedDictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal)
        {
            ["apiVersion"] = new()
            {
                Type = "string",
                Description = "The versioned schema of this representation of an object "
                    + "(https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources).",
            },
            ["kind"] = new()
            {
                Type = "string",
                Description = "The REST resource this object represents "
                    + "(https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds).",
            },
            ["metadata"] = new() { Type = "object" },
        };
        foreach (var name in (string[])["spec", "status"])
        {
            var property = type.GetProperties().SingleOrDefault(p => JsonName(p) == name);
            if (property is not null)
            {
                properties[name] = PropertySchema(property, name, inItems: false);
            }
        }

        return new V1JSONSchemaProps { Type = "object", Description = Doc(type), Properties = properties };
    }

    private V1JSONSchemaProps ObjectSchema(Type type, string path, bool inItems)
    {
        var properties = new SortedDictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal);
        var required = new List<string>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = JsonName(property);
            var propertyPath = path + "." + name;
            var isRequired = property.IsDefined(typeof(RequiredMemberAttribute));
            var isNullable = _nullability.Create(property).WriteState == NullabilityState.Nullable;
            if (isRequired == isNullable)
            {
                throw new InvalidOperationException(
                    $"{propertyPath} ({type.Name}.{property.Name}): a field must be either a C# required member that is not nullable, or optional and nullable.");
            }

            properties[name] = PropertySchema(property, propertyPath, inItems);
            if (isRequired)
            {
                required.Add(name);
            }
        }

        required.Sort(StringComparer.Ordinal);
        var rules = type.GetCustomAttributes<CelRuleAttribute>()
            .OrderBy(r => r.Rule, StringComparer.Ordinal)
            .Select(r => new V1ValidationRule { Rule = r.Rule, Message = r.Message, FieldPath = r.FieldPath, Reason = r.Reason })
            .ToList();
        return new V1JSONSchemaProps
        {
            Type = "object",
            Description = Doc(type),
            Properties = properties,
            Required = required.Count > 0 ? required : null,
            XKubernetesValidations = rules.Count > 0 ? rules : null,
        };
    }

    private V1JSONSchemaProps PropertySchema(PropertyInfo property, string path, bool inItems)
    {
        var schema = TypeSchema(property.PropertyType, path, inItems);
        schema.Description = property.GetCustomAttribute<DocAttribute>()?.Text ?? schema.Description;
        if (EnumValuesDoc(property.PropertyType) is { } values)
        {
            schema.Description = schema.Description is null ? values : schema.Description + "\n" + values;
        }

        var defaultValue = property.GetCustomAttribute<DefaultAttribute>()?.Value
            ?? (property.IsDefined(typeof(EmptyObjectDefaultAttribute)) ? new Dictionary<string, object>() : null);
        if (defaultValue is not null)
        {
            if (inItems)
            {
                // Defaults inside list items make Argo CD report OutOfSync forever (DESIGN §3, seen in CloudNativePG).
                throw new InvalidOperationException($"{path}: no defaults inside list items.");
            }

            if (schema.EnumProperty is { } allowed && !allowed.Contains(defaultValue))
            {
                throw new InvalidOperationException($"{path}: the default {defaultValue} is not one of its values.");
            }

            schema.DefaultProperty = defaultValue;
        }

        schema.Pattern = property.GetCustomAttribute<PatternAttribute>()?.Regex ?? schema.Pattern;
        schema.Minimum = property.GetCustomAttribute<MinimumAttribute>()?.Value ?? schema.Minimum;
        schema.Maximum = property.GetCustomAttribute<MaximumAttribute>()?.Value ?? schema.Maximum;
        schema.MinLength = property.GetCustomAttribute<MinLengthAttribute>()?.Value ?? schema.MinLength;
        if (property.GetCustomAttribute<ListMapAttribute>() is { } listMap)
        {
            // The keys of a map list must be required (or defaulted, which list items may not be) scalars of the item.
            var missing = listMap.Keys.Except((schema.Items as V1JSONSchemaProps)?.Required ?? []).ToList();
            if (schema.Type != "array" || missing.Count > 0)
            {
                throw new InvalidOperationException($"{path}: a map list needs required item fields as keys; missing: {string.Join(", ", missing)}.");
            }

            schema.XKubernetesListType = "map";
            schema.XKubernetesListMapKeys = listMap.Keys.ToList();
        }

        return schema;
    }

    private V1JSONSchemaProps TypeSchema(Type type, string path, bool inItems)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (KnownSchemas.For(type) is { } known)
        {
            return known;
        }

        if (type == typeof(string))
        {
            return new V1JSONSchemaProps { Type = "string" };
        }

        if (type == typeof(bool))
        {
            return new V1JSONSchemaProps { Type = "boolean" };
        }

        if (type == typeof(int))
        {
            return new V1JSONSchemaProps { Type = "integer", Format = "int32" };
        }

        if (type == typeof(long))
        {
            return new V1JSONSchemaProps { Type = "integer", Format = "int64" };
        }

        if (type == typeof(double))
        {
            return new V1JSONSchemaProps { Type = "number" };
        }

        if (type == typeof(DateTime))
        {
            return new V1JSONSchemaProps { Type = "string", Format = "date-time" };
        }

        if (type.IsEnum)
        {
            return new V1JSONSchemaProps { Type = "string", Description = Doc(type), EnumProperty = EnumValues(type).Select(v => (object)v.Name).ToList() };
        }

        if (GenericArgument(type, typeof(IDictionary<,>), 1) is { } valueType)
        {
            return new V1JSONSchemaProps { Type = "object", AdditionalProperties = TypeSchema(valueType, path + ".*", inItems) };
        }

        if (GenericArgument(type, typeof(IList<>), 0) is { } itemType)
        {
            return new V1JSONSchemaProps { Type = "array", Items = TypeSchema(itemType, path + "[*]", inItems: true) };
        }

        // A class of our own (KubernetesClient's were handled above): walk its properties.
        if (type.IsClass && type.Namespace?.StartsWith("System", StringComparison.Ordinal) != true && !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return ObjectSchema(type, path, inItems);
        }

        throw new InvalidOperationException($"{path}: no schema for {type}.");
    }

    private static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
        ?? throw new InvalidOperationException($"{property.DeclaringType?.Name}.{property.Name}: name the field with [JsonPropertyName].");

    private static string? Doc(MemberInfo member) => member.GetCustomAttribute<DocAttribute>()?.Text;

    private static IEnumerable<(string Name, string? Doc)> EnumValues(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .OrderBy(f => Convert.ToInt64(f.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture))
            .Select(f => (f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name, Doc(f)));

    /// <summary>"Disk: A PersistentVolumeClaim ...", one line per documented value, for <c>kubectl explain</c>.</summary>
    private static string? EnumValuesDoc(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (!type.IsEnum)
        {
            return null;
        }

        var lines = EnumValues(type).Where(v => v.Doc is not null).Select(v => $"{v.Name}: {v.Doc}").ToList();
        return lines.Count > 0 ? string.Join("\n", lines) : null;
    }

    private static Type? GenericArgument(Type type, Type openInterface, int index)
    {
        var match = type.IsGenericType && type.GetGenericTypeDefinition() == openInterface
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == openInterface);
        return match?.GetGenericArguments()[index];
    }
}
