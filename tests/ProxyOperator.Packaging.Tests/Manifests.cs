using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s.Models;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Builders.Monitoring;
using YamlDotNet.RepresentationModel;

namespace ProxyOperator.Packaging.Tests;

/// <summary>Multi-document YAML (what helm and kustomize print) as JSON, and read strictly into KubernetesClient's models.</summary>
internal static class Manifests
{
    /// <summary>
    /// Refuses any property the model does not declare, as the API server's <c>fieldValidation=Strict</c> refuses
    /// fields the schema does not know (KubernetesJson's own options ignore unknown members).
    /// </summary>
    private static readonly JsonSerializerOptions Strict = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly Dictionary<string, Type> Models = new(StringComparer.Ordinal)
    {
        ["v1/Namespace"] = typeof(V1Namespace),
        ["v1/ServiceAccount"] = typeof(V1ServiceAccount),
        ["v1/Service"] = typeof(V1Service),
        ["v1/Secret"] = typeof(V1Secret),
        ["apps/v1/Deployment"] = typeof(V1Deployment),
        ["rbac.authorization.k8s.io/v1/ClusterRole"] = typeof(V1ClusterRole),
        ["rbac.authorization.k8s.io/v1/ClusterRoleBinding"] = typeof(V1ClusterRoleBinding),
        ["rbac.authorization.k8s.io/v1/Role"] = typeof(V1Role),
        ["rbac.authorization.k8s.io/v1/RoleBinding"] = typeof(V1RoleBinding),
        ["apiextensions.k8s.io/v1/CustomResourceDefinition"] = typeof(V1CustomResourceDefinition),
        [ServiceMonitor.GroupVersion + "/" + ServiceMonitor.KubeKind] = typeof(ServiceMonitor),
        [GoModuleProxy.GroupVersion + "/" + GoModuleProxy.KubeKind] = typeof(GoModuleProxy),
    };

    /// <summary>Every non-empty document of <paramref name="yaml"/>, as JSON.</summary>
    public static List<JsonObject> Documents(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(d => ToJson(d.RootNode)).OfType<JsonObject>().ToList();
    }

    /// <summary>The document read into its KubernetesClient model; fails naming the document and the unknown field.</summary>
    public static object ReadStrictly(JsonObject document)
    {
        var key = $"{document["apiVersion"]}/{document["kind"]}";
        var name = document["metadata"]?["name"];
        if (!Models.TryGetValue(key, out var model))
        {
            Assert.Fail($"{key} {name}: no model is listed for this kind in {nameof(Manifests)}.{nameof(Models)}; add its KubernetesClient type.");
        }

        try
        {
            return document.Deserialize(model, Strict) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            Assert.Fail($"{key} {name} does not read strictly into {model.Name}: {e.Message}\n{document.ToJsonString(new JsonSerializerOptions { WriteIndented = true })}");
            throw;
        }
    }

    public static T ReadStrictly<T>(JsonObject document) => (T)ReadStrictly(document);

    /// <summary>YAML 1.2 core schema: plain scalars may be null, booleans or numbers; quoted ones are strings.</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(pair => KeyValuePair.Create(((YamlScalarNode)pair.Key).Value!, ToJson(pair.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } plain => Plain(plain.Value ?? string.Empty),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? string.Empty),
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    private static JsonValue? Plain(string value) => value switch
    {
        "" or "~" or "null" or "Null" or "NULL" => null,
        "true" or "True" or "TRUE" => JsonValue.Create(true),
        "false" or "False" or "FALSE" => JsonValue.Create(false),
        _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
        _ when value.Any(char.IsAsciiDigit) && !value.Any(char.IsAsciiLetter) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        _ => JsonValue.Create(value),
    };
}
