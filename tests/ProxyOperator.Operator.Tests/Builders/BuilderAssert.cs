using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace ProxyOperator.Operator.Tests.Builders;

/// <summary>Checks the builder tests of the optional kinds share.</summary>
internal static class BuilderAssert
{
    /// <summary>
    /// Refuses any JSON property the model does not declare, as the API server's <c>fieldValidation=Strict</c> refuses
    /// fields the schema does not know. KubernetesJson's own options are internal and ignore unknown members.
    /// </summary>
    private static readonly JsonSerializerOptions Strict = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>
    /// KubernetesJson's output reads back into the model with no member left over, and writes out again unchanged:
    /// every field we send has a camelCase name the model (and so the API) knows.
    /// </summary>
    public static JsonNode RoundTripsStrictly<T>(T built)
        where T : class
    {
        var json = KubernetesJson.Serialize(built);
        var copy = ReadStrictly<T>(json);
        var again = KubernetesJson.Serialize(copy);
        var node = JsonNode.Parse(json)!;
        Assert.True(JsonNode.DeepEquals(node, JsonNode.Parse(again)), $"{json}\n!=\n{again}");
        return node;
    }

    /// <exception cref="JsonException">the JSON holds a member <typeparamref name="T"/> does not declare.</exception>
    public static T ReadStrictly<T>(string json)
        where T : class =>
        JsonSerializer.Deserialize<T>(json, Strict) ?? throw new JsonException("the JSON is null");

    /// <summary>In the proxy's namespace, with the recommended labels, and owned by the proxy as its controller.</summary>
    public static void OwnedByTheProxy(IKubernetesObject<V1ObjectMeta> owned)
    {
        Assert.Equal(Proxies.Name, owned.Metadata.Name);
        Assert.Equal(Proxies.Namespace, owned.Metadata.NamespaceProperty);
        foreach (var (key, value) in ProxyOperator.Operator.Builders.Labels.For(Proxies.Name))
        {
            Assert.Equal(value, owned.Metadata.Labels[key]);
        }

        var owner = Assert.Single(owned.Metadata.OwnerReferences);
        Assert.Equal(
            ("proxyoperator.io/v1alpha1", "GoModuleProxy", Proxies.Name, Proxies.Uid, true, true),
            (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
    }
}
