using System.Text.Json.Nodes;

namespace ProxyOperator.KubeSandbox.Resources;

/// <summary>
/// The defaults a real API server fills into the built-in kinds the operator owns, so that what a client reads back
/// (and what it diffs against) looks as on a cluster: k8s.io/kubernetes pkg/apis/apps/v1/defaults.go and
/// pkg/apis/core/v1/defaults.go. Only absent fields are set; nothing a client sent is changed.
/// </summary>
internal static class BuiltInDefaults
{
    public static void Apply(ResourceDefinition definition, JsonObject obj, JsonObject? previous)
    {
        switch (definition.Group, definition.Kind)
        {
            case ("apps", "Deployment"):
                var deployment = Object(obj, "spec");
                deployment["replicas"] ??= 1;
                var strategy = Object(deployment, "strategy");
                strategy["type"] ??= "RollingUpdate";
                if ((string?)strategy["type"] == "RollingUpdate")
                {
                    var rolling = Object(strategy, "rollingUpdate");
                    rolling["maxUnavailable"] ??= "25%";
                    rolling["maxSurge"] ??= "25%";
                }

                deployment["revisionHistoryLimit"] ??= 10;
                deployment["progressDeadlineSeconds"] ??= 600;
                PodTemplate(deployment);
                break;
            case ("apps", "StatefulSet"):
                var statefulSet = Object(obj, "spec");
                statefulSet["replicas"] ??= 1;
                statefulSet["podManagementPolicy"] ??= "OrderedReady";
                var update = Object(statefulSet, "updateStrategy");
                update["type"] ??= "RollingUpdate";
                if ((string?)update["type"] == "RollingUpdate")
                {
                    Object(update, "rollingUpdate")["partition"] ??= 0;
                }

                statefulSet["revisionHistoryLimit"] ??= 10;
                var retention = Object(statefulSet, "persistentVolumeClaimRetentionPolicy");
                retention["whenDeleted"] ??= "Retain";
                retention["whenScaled"] ??= "Retain";
                PodTemplate(statefulSet);
                break;
            case ("apps", "ReplicaSet"):
                var replicaSet = Object(obj, "spec");
                replicaSet["replicas"] ??= 1;
                PodTemplate(replicaSet);
                break;
            case ("apps", "DaemonSet"):
                var daemonSet = Object(obj, "spec");
                var daemonUpdate = Object(daemonSet, "updateStrategy");
                daemonUpdate["type"] ??= "RollingUpdate";
                if ((string?)daemonUpdate["type"] == "RollingUpdate")
                {
                    var rolling = Object(daemonUpdate, "rollingUpdate");
                    rolling["maxUnavailable"] ??= 1;
                    rolling["maxSurge"] ??= 0;
                }

                daemonSet["revisionHistoryLimit"] ??= 10;
                PodTemplate(daemonSet);
                break;
            case ("", "Pod"):
                PodSpec(Object(obj, "spec"));
                break;
            case ("", "Service"):
                Service(Object(obj, "spec"), previous?["spec"] as JsonObject, obj["metadata"]?["uid"]?.ToString() ?? string.Empty);
                break;
        }
    }

    private static void PodTemplate(JsonObject spec)
    {
        if (spec["template"] is JsonObject template)
        {
            PodSpec(Object(template, "spec"));
        }
    }

    private static void PodSpec(JsonObject spec)
    {
        spec["restartPolicy"] ??= "Always";
        spec["terminationGracePeriodSeconds"] ??= 30;
        spec["dnsPolicy"] ??= "ClusterFirst";
        spec["securityContext"] ??= new JsonObject();
        spec["schedulerName"] ??= "default-scheduler";
        foreach (var list in (string[])["containers", "initContainers"])
        {
            if (spec[list] is not JsonArray containers)
            {
                continue;
            }

            foreach (var container in containers.OfType<JsonObject>())
            {
                var image = (string?)container["image"] ?? string.Empty;
                var lastSegment = image[(image.LastIndexOf('/') + 1)..];
                var tagged = lastSegment.Contains(':', StringComparison.Ordinal) && !image.EndsWith(":latest", StringComparison.Ordinal);
                container["imagePullPolicy"] ??= tagged || image.Contains('@', StringComparison.Ordinal) ? "IfNotPresent" : "Always";
                container["terminationMessagePath"] ??= "/dev/termination-log";
                container["terminationMessagePolicy"] ??= "File";
                container["resources"] ??= new JsonObject();
                if (container["ports"] is JsonArray ports)
                {
                    foreach (var port in ports.OfType<JsonObject>())
                    {
                        port["protocol"] ??= "TCP";
                    }
                }
            }
        }
    }

    private static void Service(JsonObject spec, JsonObject? previous, string uid)
    {
        spec["type"] ??= "ClusterIP";
        spec["sessionAffinity"] ??= "None";
        if ((string?)spec["type"] is not "ExternalName")
        {
            // A cluster IP is allocated once and kept: an update that leaves it out keeps the old one.
            if (string.IsNullOrEmpty((string?)spec["clusterIP"]))
            {
                spec["clusterIP"] = previous?["clusterIP"]?.DeepClone() ?? AllocateClusterIp(uid);
                spec.Remove("clusterIPs");
            }

            spec["clusterIPs"] ??= (string?)spec["clusterIP"] == "None" ? new JsonArray("None") : new JsonArray((string?)spec["clusterIP"]);
            spec["ipFamilies"] ??= new JsonArray("IPv4");
            spec["ipFamilyPolicy"] ??= "SingleStack";
            spec["internalTrafficPolicy"] ??= "Cluster";
        }

        if (spec["ports"] is JsonArray ports)
        {
            foreach (var port in ports.OfType<JsonObject>())
            {
                port["protocol"] ??= "TCP";
                port["targetPort"] ??= port["port"]?.DeepClone();
            }
        }
    }

    /// <summary>An address in the default service range 10.96.0.0/12, derived from the uid so that it needs no counter.</summary>
    private static string AllocateClusterIp(string uid)
    {
        var hash = (uint)uid.Aggregate(17, (h, c) => unchecked((h * 31) + c));
        return $"10.96.{(hash >> 8) % 256}.{(hash % 253) + 2}";
    }

    private static JsonObject Object(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject child)
        {
            return child;
        }

        child = new JsonObject();
        parent[name] = child;
        return child;
    }
}
