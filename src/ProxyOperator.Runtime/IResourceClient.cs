using k8s;

namespace ProxyOperator.Runtime;

/// <summary>
/// The list and watch calls of one resource type in one scope (a namespace or all namespaces, optionally a label
/// selector): the seam an <see cref="Informer{T}"/> needs, as client-go's <c>cache.ListerWatcher</c>.
/// </summary>
public interface IResourceClient<T>
{
    /// <summary>Plural resource name, for logs and metrics (e.g. "configmaps").</summary>
    string Resource { get; }

    /// <summary>Lists every object in scope (following continue tokens) and the list's resourceVersion.</summary>
    Task<ResourceList<T>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Watches changes after <paramref name="resourceVersion"/>, with bookmarks, ended by the server after
    /// <paramref name="timeoutSeconds"/>. Errors reported inside the stream (an ERROR event, an event that cannot be
    /// read) go to <paramref name="onError"/>; failures of the request itself are thrown.
    /// </summary>
    IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken cancellationToken);
}
