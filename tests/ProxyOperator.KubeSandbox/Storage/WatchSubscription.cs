using System.Threading.Channels;

namespace ProxyOperator.KubeSandbox.Storage;

/// <summary>A watcher's queue of a resource's events; the store writes to it under its lock, the watch stream reads.</summary>
internal sealed class WatchSubscription(string group, string resource, ObjectStore store) : IDisposable
{
    public string Group { get; } = group;

    public string Resource { get; } = resource;

    public Channel<StoredEvent> Events { get; } = Channel.CreateUnbounded<StoredEvent>(new UnboundedChannelOptions { SingleReader = true });

    public void Dispose()
    {
        lock (store.Gate)
        {
            store.Unsubscribe(this);
        }
    }
}
