using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using ProxyOperator.Operator.Api;

namespace ProxyOperator.Operator.Tests.Api;

public sealed class SerializationTests
{
    [Fact]
    public void A_minimal_resource_serializes_to_only_what_was_set()
    {
        var proxy = new GoModuleProxy { Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "default" }, Spec = new GoModuleProxySpec { Replicas = 2 } };

        var json = JsonNode.Parse(KubernetesJson.Serialize(proxy))!;

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"apiVersion":"proxyoperator.io/v1alpha1","kind":"GoModuleProxy","metadata":{"name":"p","namespace":"default"},"spec":{"replicas":2}}"""),
            json), json.ToJsonString());
    }

    [Fact]
    public void An_empty_status_serializes_to_an_empty_object_so_server_side_apply_claims_nothing()
    {
        Assert.Equal("{}", KubernetesJson.Serialize(new GoModuleProxyStatus()));
        Assert.Equal("{}", KubernetesJson.Serialize(new GoModuleProxySpec()));
    }

    [Fact]
    public void Enums_use_their_kubernetes_spelling()
    {
        var spec = new GoModuleProxySpec
        {
            Ingress = new IngressSpec { Enabled = true, ClassName = IngressClass.Haproxy, Host = "goproxy.example" },
            Storage = new StorageSpec { Type = StorageType.Disk, Disk = new DiskStorageSpec { AccessMode = VolumeAccessMode.ReadWriteMany } },
            Upstreams = [new UpstreamSpec { Url = "https://proxy.golang.org", FallBack = FallBack.OnAnyError }],
        };

        var json = JsonNode.Parse(KubernetesJson.Serialize(spec))!;

        Assert.Equal("haproxy", (string?)json["ingress"]!["className"]);
        Assert.Equal("ReadWriteMany", (string?)json["storage"]!["disk"]!["accessMode"]);
        Assert.Equal("OnAnyError", (string?)json["upstreams"]![0]!["fallBack"]);
    }

    [Fact]
    public void A_full_resource_survives_a_round_trip_through_kubernetes_json()
    {
        const string Json = """
            {
              "apiVersion": "proxyoperator.io/v1alpha1",
              "kind": "GoModuleProxy",
              "metadata": { "name": "corp", "namespace": "tools", "generation": 3 },
              "spec": {
                "replicas": 3,
                "image": { "repository": "registry.example/goproxy", "tag": "0.1.0", "pullPolicy": "IfNotPresent", "pullSecrets": [{ "name": "regcred" }] },
                "upstreams": [{ "url": "https://proxy.golang.org", "fallBack": "OnNotFound" }, { "url": "https://goproxy.example" }],
                "sumDB": { "name": "sum.golang.org", "url": "https://sum.golang.org", "proxy": true, "verify": true },
                "privateModules": [{ "pattern": "git.corp.example/*", "credentialsSecret": "corp-git", "skipSumDB": true }],
                "storage": { "type": "S3", "s3": { "bucket": "modules", "prefix": "corp/", "endpoint": "http://minio:9000", "forcePathStyle": true, "credentialsSecret": "s3" }, "maxSize": "40Gi" },
                "cache": { "listTTL": "5m", "notFoundTTL": "1m", "staleIfError": true },
                "mode": "Offline",
                "filters": { "deny": ["example.com/bad"], "allow": ["example.com/*"] },
                "auth": { "type": "Basic", "secretRef": { "name": "htpasswd" } },
                "tls": { "secretName": "proxy-tls" },
                "service": { "type": "LoadBalancer", "port": 8080, "annotations": { "a": "b" } },
                "ingress": { "enabled": true, "className": "nginx", "host": "goproxy.corp.example", "tls": { "secretName": "ingress-tls" } },
                "monitoring": { "serviceMonitor": { "enabled": true, "interval": "15s", "labels": { "release": "prom" } } },
                "podDisruptionBudget": { "maxUnavailable": "50%" },
                "autoscaling": { "enabled": true, "minReplicas": 2, "maxReplicas": 6, "targetCPUUtilizationPercentage": 70 },
                "resources": { "requests": { "cpu": "100m", "memory": "128Mi" } },
                "nodeSelector": { "disk": "ssd" },
                "tolerations": [{ "key": "dedicated", "operator": "Equal", "value": "proxy", "effect": "NoSchedule" }],
                "podAnnotations": { "x": "y" }
              },
              "status": {
                "observedGeneration": 3,
                "replicas": 3,
                "readyReplicas": 2,
                "selector": "app.kubernetes.io/instance=corp",
                "endpoint": "corp.tools.svc:8080",
                "url": "https://goproxy.corp.example",
                "conditions": [{ "type": "Ready", "status": "False", "reason": "RolloutInProgress", "message": "2 of 3 ready", "lastTransitionTime": "2026-01-02T03:04:05Z", "observedGeneration": 3 }],
                "proxies": [{ "pod": "corp-0", "ready": true, "lastReport": "2026-01-02T03:04:05Z", "cacheHitRatio": 0.5, "cachedArtifacts": 10, "cacheBytes": 2048, "upstreamErrors": 1, "version": "0.1.0" }],
                "cache": { "hitRatio": 0.5, "artifacts": 10, "bytes": 2048 }
              }
            }
            """;

        var proxy = KubernetesJson.Deserialize<GoModuleProxy>(Json);

        Assert.Equal(StorageType.S3, proxy.Spec.Storage!.Type);
        Assert.Equal("40Gi", proxy.Spec.Storage.MaxSize!.ToString());
        Assert.Equal("50%", proxy.Spec.PodDisruptionBudget!.MaxUnavailable!.Value);
        Assert.Equal("RolloutInProgress", proxy.Status!.Conditions![0].Reason);
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), proxy.Status.Proxies![0].LastReport);
        var again = JsonNode.Parse(KubernetesJson.Serialize(proxy))!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Json), again), again.ToJsonString());
    }
}
