namespace ProxyOperator.KubeSandbox;

/// <summary>How a <see cref="KubeApiServer"/> listens and behaves; the defaults suit tests.</summary>
public sealed class KubeApiServerOptions
{
    /// <summary>Address to listen on; port 0 picks a free one.</summary>
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; }

    /// <summary>Watch events kept per resource for resuming watches; older resourceVersions get 410 Expired.</summary>
    public int WatchHistoryPerResource { get; set; } = 1000;

    /// <summary>How often a watch asked for bookmarks gets one (a real API server sends one about every minute).</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Seed of the random choices of <see cref="FaultInjector"/>.</summary>
    public int FaultSeed { get; set; } = 1;

    /// <summary>Clock for creationTimestamp, deletionTimestamp and managedFields times.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Told of every request to a resource URL (verb, group, resource, user agent, status); null: nobody is told.</summary>
    public Action<Observation.RequestRecord>? RequestObserver { get; set; }
}
