using System.Runtime.CompilerServices;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ProxyOperator.Runtime;

/// <summary>
/// <see cref="IResourceClient{T}"/> over KubernetesClient's custom-objects operations, which serve built-in kinds too:
/// the client rewrites the core group's <c>/apis//v1</c> to <c>/api/v1</c>. One implementation for ConfigMaps and
/// custom resources alike, instead of a delegate per generated <c>List...</c>/<c>WatchList...</c> method.
/// Watches always ask for bookmarks, so a quiet resource still moves the resume point forward.
/// </summary>
public sealed class KubernetesResourceClient<T> : IResourceClient<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    // client-go's pager lists in chunks of 500 (k8s.io/client-go/tools/pager).
    private const int PageSize = 500;

    private readonly IKubernetes _client;
    private readonly string _group;
    private readonly string _version;
    private readonly string? _namespace;
    private readonly string? _labelSelector;

    /// <param name="group">API group; empty for the core group (ConfigMaps, Services).</param>
    /// <param name="namespace">Namespace to list and watch; null for all namespaces.</param>
    /// <param name="labelSelector">Only objects matching this selector; null for all.</param>
    public KubernetesResourceClient(IKubernetes client, string group, string version, string plural, string? @namespace = null, string? labelSelector = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _group = group;
        _version = version;
        Resource = plural;
        _namespace = @namespace;
        _labelSelector = labelSelector;
    }

    public string Resource { get; }

    public async Task<ResourceList<T>> ListAsync(CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? continueToken = null;
        string resourceVersion;
        do
        {
            var page = _namespace is null
                ? await _client.CustomObjects.ListClusterCustomObjectAsync<KubernetesList<T>>(_group, _version, Resource, continueParameter: continueToken, labelSelector: _labelSelector, limit: PageSize, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await _client.CustomObjects.ListNamespacedCustomObjectAsync<KubernetesList<T>>(_group, _version, _namespace, Resource, continueParameter: continueToken, labelSelector: _labelSelector, limit: PageSize, cancellationToken: cancellationToken).ConfigureAwait(false);
            items.AddRange(page.Items ?? []);
            resourceVersion = page.Metadata?.ResourceVersion ?? string.Empty;
            continueToken = page.Metadata?.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(continueToken));

        return new ResourceList<T>(items, resourceVersion);
    }

    public IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken cancellationToken) =>
        _client is Kubernetes concrete
            ? WatchOverHttpAsync(concrete, resourceVersion, timeoutSeconds, onError, cancellationToken)
            : WatchThroughClientAsync(resourceVersion, timeoutSeconds, onError, cancellationToken);

    /// <summary>
    /// The watch over the client's own HttpClient and credentials. KubernetesClient 19's watch wrapper
    /// (LineSeparatedHttpContent) never disposes the response stream it reads, so a watch the client abandons
    /// (cancellation, the idle watchdog, an unreadable event) would keep its connection open until the server's
    /// timeout; owning the response closes it at once. Events are read as the client reads them: one JSON line each,
    /// an ERROR event's Status reported as a <see cref="KubernetesException"/> through <paramref name="onError"/>.
    /// </summary>
    private async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchOverHttpAsync(Kubernetes client, string resourceVersion, int timeoutSeconds, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = (_group.Length == 0 ? $"api/{_version}" : $"apis/{_group}/{_version}")
            + (_namespace is null ? string.Empty : $"/namespaces/{Uri.EscapeDataString(_namespace)}")
            + $"/{Resource}?watch=true&allowWatchBookmarks=true&timeoutSeconds={timeoutSeconds.ToString(CultureInfo.InvariantCulture)}&resourceVersion={Uri.EscapeDataString(resourceVersion)}"
            + (_labelSelector is null ? string.Empty : $"&labelSelector={Uri.EscapeDataString(_labelSelector)}");
        var baseUri = client.BaseUri.AbsoluteUri.EndsWith('/') ? client.BaseUri : new Uri(client.BaseUri.AbsoluteUri + "/");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, path));
        if (client.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        using var response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // The same exception the client's generated calls throw, so callers handle one failure type.
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpOperationException($"watch of {Resource} answered {(int)response.StatusCode}")
            {
                Request = new HttpRequestMessageWrapper(request, null),
                Response = new HttpResponseMessageWrapper(response, body),
            };
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                (WatchEventType Type, T Object)? change = null;
                try
                {
                    var watchEvent = KubernetesJson.Deserialize<WatchEvent>(line);
                    if (watchEvent.Type == WatchEventType.Error || (watchEvent.Object.TryGetProperty("kind", out var kind) && kind.ValueEquals("Status")))
                    {
                        onError(new KubernetesException(KubernetesJson.Deserialize<V1Status>(watchEvent.Object)));
                    }
                    else
                    {
                        change = (watchEvent.Type, KubernetesJson.Deserialize<T>(watchEvent.Object));
                    }
                }
                catch (Exception e) when (e is JsonException or InvalidOperationException)
                {
                    onError(e);
                }

                if (change is { } ready)
                {
                    yield return ready;
                }
            }
        }
    }

    /// <summary>The client's generated watch, for <see cref="IKubernetes"/> implementations other than <see cref="Kubernetes"/>.</summary>
    private async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchThroughClientAsync(string resourceVersion, int timeoutSeconds, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The custom-objects watch yields untyped JSON; each object is read once more as T.
        var events = _namespace is null
            ? _client.CustomObjects.WatchListClusterCustomObjectAsync(_group, _version, Resource, allowWatchBookmarks: true, labelSelector: _labelSelector, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken)
            : _client.CustomObjects.WatchListNamespacedCustomObjectAsync(_group, _version, _namespace, Resource, allowWatchBookmarks: true, labelSelector: _labelSelector, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken);
        await foreach (var (type, obj) in events.ConfigureAwait(false))
        {
            yield return obj is JsonElement json
                ? (type, KubernetesJson.Deserialize<T>(json))
                : throw new InvalidOperationException($"a watch event of {Resource} carried {obj?.GetType().Name ?? "null"} instead of JSON");
        }
    }

    private sealed class WatchEvent
    {
        [JsonPropertyName("type")]
        public WatchEventType Type { get; set; }

        [JsonPropertyName("object")]
        public JsonElement Object { get; set; }
    }
}
