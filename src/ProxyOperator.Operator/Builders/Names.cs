namespace ProxyOperator.Operator.Builders;

/// <summary>
/// The names of the objects a GoModuleProxy owns, derived from its own name in one place so that the builders,
/// the reconciler and the tests cannot disagree.
/// </summary>
public static class Names
{
    /// <summary>The name of the volume that holds the module store, in the pod and in the StatefulSet's claim template.</summary>
    public const string CacheVolume = "cache";

    /// <summary>The Deployment or StatefulSet: never both, so they share the resource's name.</summary>
    public static string Workload(string proxyName) => proxyName;

    /// <summary>The Service clients use (the GOPROXY address).</summary>
    public static string Service(string proxyName) => proxyName;

    /// <summary>The headless Service that governs the StatefulSet (stable pod DNS names).</summary>
    public static string HeadlessService(string proxyName) => proxyName + "-pods";

    public static string ConfigMap(string proxyName) => proxyName + "-config";

    /// <summary>The shared claim of a Deployment on a ReadWriteMany disk.</summary>
    public static string CacheClaim(string proxyName) => proxyName + "-cache";

    public static string PodDisruptionBudget(string proxyName) => proxyName;

    /// <summary>The Ingress that exposes the Service outside the cluster.</summary>
    public static string Ingress(string proxyName) => proxyName;

    /// <summary>The monitoring.coreos.com/v1 ServiceMonitor that has Prometheus scrape the proxies.</summary>
    public static string ServiceMonitor(string proxyName) => proxyName;

    public static string HorizontalPodAutoscaler(string proxyName) => proxyName;

    public static string NetworkPolicy(string proxyName) => proxyName;
}
