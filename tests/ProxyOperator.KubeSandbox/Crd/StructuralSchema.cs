using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ProxyOperator.KubeSandbox.Http;

namespace ProxyOperator.KubeSandbox.Crd;

/// <summary>
/// What the API server does with a custom resource's openAPIV3Schema on every write, in its order: prune unknown
/// fields, apply defaults, validate (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema).
/// CEL rules (<c>x-kubernetes-validations</c>) are not evaluated.
/// </summary>
internal static class StructuralSchema
{
    /// <summary>apiVersion, kind and metadata of the object itself are the server's, never pruned or checked against the schema.</summary>
    private static readonly string[] RootFields = ["apiVersion", "kind", "metadata"];

    public static IReadOnlyList<FieldError> PruneDefaultAndValidate(JsonObject obj, JsonObject schema)
    {
        Prune(obj, schema, isRoot: true);
        ApplyDefaults(obj, schema);
        var errors = new List<FieldError>();
        Validate(obj, schema, string.Empty, errors, isRoot: true);
        return errors;
    }

    /// <summary>The fields pruning would drop, for <c>fieldValidation=Strict</c>, which refuses them instead.</summary>
    public static IReadOnlyList<string> UnknownFields(JsonObject obj, JsonObject schema)
    {
        var copy = obj.DeepClone();
        var unknown = new List<string>();
        Prune(copy, schema, isRoot: true, unknown: unknown);
        return unknown;
    }

    private static bool Flag(JsonObject schema, string name) => schema[name] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    private static void Prune(JsonNode? node, JsonObject schema, bool isRoot = false, List<string>? unknown = null, string path = "")
    {
        if (node is JsonArray array)
        {
            if (schema["items"] is JsonObject items)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    Prune(array[i], items, unknown: unknown, path: path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]");
                }
            }

            return;
        }

        if (node is not JsonObject obj || Flag(schema, "x-kubernetes-int-or-string"))
        {
            return;
        }

        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"];
        var keepUnknown = Flag(schema, "x-kubernetes-preserve-unknown-fields")
            || additional is JsonValue allowAll && allowAll.TryGetValue<bool>(out var allowed) && allowed;
        var embedded = Flag(schema, "x-kubernetes-embedded-resource");
        foreach (var name in obj.Select(p => p.Key).ToList())
        {
            if ((isRoot || embedded) && RootFields.Contains(name))
            {
                continue;
            }

            var childPath = path.Length == 0 ? name : path + "." + name;
            if (properties?[name] is JsonObject propertySchema)
            {
                Prune(obj[name], propertySchema, unknown: unknown, path: childPath);
            }
            else if (additional is JsonObject valueSchema)
            {
                Prune(obj[name], valueSchema, unknown: unknown, path: childPath);
            }
            else if (!keepUnknown)
            {
                obj.Remove(name);
                unknown?.Add(childPath);
            }
        }
    }

    /// <summary>
    /// Fills absent fields that have a <c>default</c>, top down: a nested default applies only where its parent exists
    /// (possibly because the parent was itself defaulted).
    /// </summary>
    private static void ApplyDefaults(JsonNode? node, JsonObject schema)
    {
        if (node is JsonArray array && schema["items"] is JsonObject items)
        {
            foreach (var element in array)
            {
                ApplyDefaults(element, items);
            }
        }

        if (node is not JsonObject obj)
        {
            return;
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, propertyNode) in properties)
            {
                if (propertyNode is not JsonObject propertySchema)
                {
                    continue;
                }

                var missing = !obj.ContainsKey(name) || (obj[name] is null && !Flag(propertySchema, "nullable"));
                if (missing && propertySchema["default"] is { } defaultValue)
                {
                    obj[name] = defaultValue.DeepClone();
                }

                if (obj[name] is not null)
                {
                    ApplyDefaults(obj[name], propertySchema);
                }
            }
        }

        if (schema["additionalProperties"] is JsonObject valueSchema)
        {
            foreach (var (_, value) in obj)
            {
                ApplyDefaults(value, valueSchema);
            }
        }
    }

    private static void Validate(JsonNode? node, JsonObject schema, string path, List<FieldError> errors, bool isRoot = false)
    {
        if (node is null)
        {
            if (!Flag(schema, "nullable") && schema["type"] is not null)
            {
                errors.Add(FieldError.TypeInvalid(path, "\"null\"", $"{path} in body must be of type {schema["type"]}: \"null\""));
            }

            return;
        }

        var type = (string?)schema["type"];
        if (Flag(schema, "x-kubernetes-int-or-string"))
        {
            if (!IsInteger(node) && !IsString(node))
            {
                errors.Add(FieldError.TypeInvalid(path, Render(node), $"{path} in body must be of type integer,string: \"{TypeOf(node)}\""));
                return;
            }
        }
        else if (type is not null && !HasType(node, type))
        {
            errors.Add(FieldError.TypeInvalid(path, Render(node), $"{path} in body must be of type {type}: \"{TypeOf(node)}\""));
            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, node)))
        {
            errors.Add(FieldError.NotSupported(path, Render(node), allowed.Select(Render)));
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
        {
            var number = value.GetValue<double>();
            if (schema["minimum"] is JsonValue min && (Flag(schema, "exclusiveMinimum") ? number <= min.GetValue<double>() : number < min.GetValue<double>()))
            {
                var relation = Flag(schema, "exclusiveMinimum") ? "greater than" : "greater than or equal to";
                errors.Add(FieldError.InvalidValue(path, Render(node), $"{path} in body should be {relation} {min}"));
            }

            if (schema["maximum"] is JsonValue max && (Flag(schema, "exclusiveMaximum") ? number >= max.GetValue<double>() : number > max.GetValue<double>()))
            {
                var relation = Flag(schema, "exclusiveMaximum") ? "less than" : "less than or equal to";
                errors.Add(FieldError.InvalidValue(path, Render(node), $"{path} in body should be {relation} {max}"));
            }
        }

        if (IsString(node))
        {
            ValidateString(node.GetValue<string>(), schema, path, errors);
        }

        if (node is JsonArray array)
        {
            if (schema["minItems"] is JsonValue minItems && array.Count < minItems.GetValue<int>())
            {
                errors.Add(FieldError.InvalidValue(path, Render(node), $"{path} in body should have at least {minItems} items"));
            }

            if (schema["maxItems"] is JsonValue maxItems && array.Count > maxItems.GetValue<int>())
            {
                errors.Add(new FieldError("FieldValueTooMany", path, $"{path}: Too many: {array.Count}: must have at most {maxItems} items"));
            }

            if (schema["items"] is JsonObject items)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    Validate(array[i], items, path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", errors);
                }
            }
        }

        if (node is JsonObject obj)
        {
            ValidateObject(obj, schema, path, errors, isRoot);
        }
    }

    private static void ValidateObject(JsonObject obj, JsonObject schema, string path, List<FieldError> errors, bool isRoot)
    {
        string Child(string name) => path.Length == 0 ? name : path + "." + name;

        if (schema["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => (string?)r).OfType<string>())
            {
                if (!obj.ContainsKey(name))
                {
                    errors.Add(FieldError.Required(Child(name)));
                }
            }
        }

        var properties = schema["properties"] as JsonObject;
        foreach (var (name, value) in obj)
        {
            if (isRoot && RootFields.Contains(name))
            {
                continue;
            }

            if (properties?[name] is JsonObject propertySchema)
            {
                Validate(value, propertySchema, Child(name), errors);
            }
            else if (schema["additionalProperties"] is JsonObject valueSchema)
            {
                Validate(value, valueSchema, Child(name), errors);
            }
        }
    }

    private static void ValidateString(string text, JsonObject schema, string path, List<FieldError> errors)
    {
        if (schema["minLength"] is JsonValue minLength && text.Length < minLength.GetValue<int>())
        {
            errors.Add(FieldError.InvalidValue(path, Render(JsonValue.Create(text)), $"{path} in body should be at least {minLength} chars long"));
        }

        if (schema["maxLength"] is JsonValue maxLength && text.Length > maxLength.GetValue<int>())
        {
            errors.Add(new FieldError("FieldValueTooLong", path, $"{path}: Too long: may not be more than {maxLength} bytes"));
        }

        if (schema["pattern"] is JsonValue pattern && !Regex.IsMatch(text, pattern.GetValue<string>(), RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            errors.Add(FieldError.InvalidValue(path, Render(JsonValue.Create(text)), $"{path} in body should match '{pattern}'"));
        }
    }

    private static bool IsString(JsonNode node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String;

    private static bool IsInteger(JsonNode node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && Math.Abs(v.GetValue<double>() % 1) < double.Epsilon;

    private static bool HasType(JsonNode node, string type) => type switch
    {
        "object" => node is JsonObject,
        "array" => node is JsonArray,
        "string" => IsString(node),
        "integer" => IsInteger(node),
        "number" => node is JsonValue v && v.GetValueKind() == JsonValueKind.Number,
        "boolean" => node is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        _ => true,
    };

    private static string TypeOf(JsonNode node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        _ when IsString(node) => "string",
        _ when IsInteger(node) => "integer",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => "number",
        _ => "boolean",
    };

    private static string Render(JsonNode? node) => node?.ToJsonString() ?? "null";
}
