using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Builders;

namespace ProxyOperator.Operator.Tests.Builders;

/// <summary>What every builder's output shares: ownership, labels, and only the fields we mean to own under server-side apply.</summary>
public sealed class OwnedObjectsTests
{
    public static TheoryData<string, GoModuleProxySpec, string[]> Shapes => new()
    {
        { "Disk ReadWriteOnce, 3 replicas", Proxies.Disk(VolumeAccessMode.ReadWriteOnce, replicas: 3), ["ConfigMap", "PodDisruptionBudget", "Service", "Service", "StatefulSet"] },
        { "Disk ReadWriteMany, 1 replica", Proxies.Disk(VolumeAccessMode.ReadWriteMany), ["ConfigMap", "Deployment", "PersistentVolumeClaim", "Service"] },
        { "S3, 3 replicas", Proxies.S3(), ["ConfigMap", "Deployment", "PodDisruptionBudget", "Service"] },
        { "Ephemeral, 1 replica", Proxies.Ephemeral(), ["ConfigMap", "Deployment", "Service"] },
        { "everything set", Proxies.Full(), ["ConfigMap", "Deployment", "PersistentVolumeClaim", "PodDisruptionBudget", "Service"] },
        { "an empty spec", new GoModuleProxySpec(), ["ConfigMap", "Service", "Service", "StatefulSet"] },
        {
            "ingress, monitoring and autoscaling",
            Proxies.Exposed(),
            ["ConfigMap", "Deployment", "HorizontalPodAutoscaler", "Ingress", "NetworkPolicy", "PersistentVolumeClaim", "PodDisruptionBudget", "Service", "ServiceMonitor"]
        },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Each_storage_shape_owns_the_expected_kinds(string shape, GoModuleProxySpec spec, string[] kinds)
    {
        Assert.True(
            kinds.SequenceEqual(Proxies.OwnedObjects(Proxies.With(spec)).Select(o => o.Kind).Order(StringComparer.Ordinal)),
            shape);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_object_names_its_full_api_version(string shape, GoModuleProxySpec spec, string[] kinds)
    {
        _ = (shape, kinds);
        var expected = new Dictionary<string, string>
        {
            ["ConfigMap"] = "v1",
            ["Service"] = "v1",
            ["PersistentVolumeClaim"] = "v1",
            ["Deployment"] = "apps/v1",
            ["StatefulSet"] = "apps/v1",
            ["PodDisruptionBudget"] = "policy/v1",
            ["Ingress"] = "networking.k8s.io/v1",
            ["NetworkPolicy"] = "networking.k8s.io/v1",
            ["HorizontalPodAutoscaler"] = "autoscaling/v2",
            ["ServiceMonitor"] = "monitoring.coreos.com/v1",
        };
        foreach (var owned in Proxies.OwnedObjects(Proxies.With(spec)))
        {
            Assert.Equal(expected[owned.Kind], owned.ApiVersion);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_object_is_owned_by_the_proxy_as_its_controller(string shape, GoModuleProxySpec spec, string[] kinds)
    {
        _ = (shape, kinds);
        foreach (var owned in Proxies.OwnedObjects(Proxies.With(spec)))
        {
            Assert.Equal(Proxies.Namespace, owned.Metadata.NamespaceProperty);
            var owner = Assert.Single(owned.Metadata.OwnerReferences);
            Assert.Equal(
                ("proxyoperator.io/v1alpha1", "GoModuleProxy", Proxies.Name, Proxies.Uid, true, true),
                (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_object_carries_the_recommended_labels(string shape, GoModuleProxySpec spec, string[] kinds)
    {
        _ = (shape, kinds);
        var expected = new Dictionary<string, string>
        {
            ["app.kubernetes.io/name"] = "goproxy",
            ["app.kubernetes.io/instance"] = "corp",
            ["app.kubernetes.io/component"] = "proxy",
            ["app.kubernetes.io/managed-by"] = "proxy-operator",
            ["app.kubernetes.io/part-of"] = "proxyoperator",
        };
        foreach (var owned in Proxies.OwnedObjects(Proxies.With(spec)))
        {
            Assert.Equal(expected, owned.Metadata.Labels);
        }

        Assert.Equal(expected, Proxies.PodTemplate(Proxies.With(spec)).Metadata.Labels);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Serialized_objects_hold_no_status_and_no_unset_fields(string shape, GoModuleProxySpec spec, string[] kinds)
    {
        _ = kinds;
        foreach (var owned in Proxies.OwnedObjects(Proxies.With(spec)))
        {
            var json = JsonNode.Parse(KubernetesJson.Serialize(owned))!.AsObject();

            Assert.Equal(owned.ApiVersion, (string?)json["apiVersion"]);
            Assert.Equal(owned.Kind, (string?)json["kind"]);
            Assert.Equal(owned.Kind == "ConfigMap" ? ["apiVersion", "data", "kind", "metadata"] : ["apiVersion", "kind", "metadata", "spec"], json.Select(p => p.Key).Order(StringComparer.Ordinal));
            Assert.Equal(["labels", "name", "namespace", "ownerReferences"], json["metadata"]!.AsObject().Select(p => p.Key).Where(k => k != "annotations").Order(StringComparer.Ordinal));
            AssertOnlySetFields(json, $"{shape}: {owned.Kind}");
        }
    }

    [Fact]
    public void A_budget_serializes_to_exactly_the_fields_we_own()
    {
        var json = JsonNode.Parse(KubernetesJson.Serialize(PodDisruptionBudgetBuilder.Build(Proxies.With(Proxies.S3()))));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""
            {
              "apiVersion": "policy/v1",
              "kind": "PodDisruptionBudget",
              "metadata": {
                "name": "corp",
                "namespace": "tools",
                "labels": {
                  "app.kubernetes.io/name": "goproxy",
                  "app.kubernetes.io/instance": "corp",
                  "app.kubernetes.io/component": "proxy",
                  "app.kubernetes.io/managed-by": "proxy-operator",
                  "app.kubernetes.io/part-of": "proxyoperator"
                },
                "ownerReferences": [
                  { "apiVersion": "proxyoperator.io/v1alpha1", "kind": "GoModuleProxy", "name": "corp", "uid": "{{Proxies.Uid}}", "controller": true, "blockOwnerDeletion": true }
                ]
              },
              "spec": {
                "maxUnavailable": 1,
                "selector": { "matchLabels": { "app.kubernetes.io/name": "goproxy", "app.kubernetes.io/instance": "corp" } }
              }
            }
            """), json), json!.ToJsonString());
    }

    [Fact]
    public void A_deployment_spec_serializes_to_only_the_fields_we_own()
    {
        var json = JsonNode.Parse(KubernetesJson.Serialize(WorkloadBuilder.BuildDeployment(Proxies.With(Proxies.Ephemeral()))))!;

        Assert.Equal(["replicas", "selector", "strategy", "template"], json["spec"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["automountServiceAccountToken", "containers", "securityContext", "volumes"],
            json["spec"]!["template"]!["spec"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{ "type": "RollingUpdate", "rollingUpdate": { "maxUnavailable": 0 } }"""), json["spec"]!["strategy"]));
    }

    [Fact]
    public void A_proxy_not_read_from_the_api_server_cannot_own_anything()
    {
        var proxy = Proxies.With(new GoModuleProxySpec());
        proxy.Metadata.Uid = null;

        Assert.Throws<ArgumentException>(() => ServiceBuilder.Build(proxy));
    }

    /// <summary>No nulls, no status anywhere, and no empty object or list except an emptyDir, which is set by being there.</summary>
    private static void AssertOnlySetFields(JsonNode? node, string path)
    {
        switch (node)
        {
            case null:
                Assert.Fail($"{path} is null");
                break;
            case JsonObject obj:
                Assert.True(obj.Count > 0 || path.EndsWith(".emptyDir", StringComparison.Ordinal), $"{path} is an empty object");
                foreach (var (key, value) in obj)
                {
                    Assert.False(key == "status", $"{path}.status is set");
                    AssertOnlySetFields(value, $"{path}.{key}");
                }

                break;
            case JsonArray array:
                Assert.True(array.Count > 0, $"{path} is an empty list");
                for (var i = 0; i < array.Count; i++)
                {
                    AssertOnlySetFields(array[i], $"{path}[{i}]");
                }

                break;
        }
    }
}
