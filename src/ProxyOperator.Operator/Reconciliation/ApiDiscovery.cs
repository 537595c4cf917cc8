using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;

namespace ProxyOperator.Operator.Reconciliation;

/// <summary>
/// Whether the cluster serves an optional resource (a ServiceMonitor needs prometheus-operator's CRDs), from API
/// discovery, remembered for a short while: asked on every reconcile of every resource, and the answer changes only
/// when someone installs or removes a CRD, which should take effect without restarting the operator.
/// </summary>
internal sealed class ApiDiscovery(IKubernetes client, TimeSpan cacheFor, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, (bool Served, DateTimeOffset At)> _answers = new(StringComparer.Ordinal);

    public async Task<bool> ServesAsync(string group, string version, string plural, CancellationToken cancellationToken)
    {
        var key = $"{group}/{version}/{plural}";
        var now = clock.GetUtcNow();
        if (_answers.TryGetValue(key, out var known) && now - known.At < cacheFor)
        {
            return known.Served;
        }

        bool served;
        try
        {
            var resources = await client.CustomObjects.GetAPIResourcesAsync(group, version, cancellationToken).ConfigureAwait(false);
            served = resources.Resources?.Any(r => r.Name == plural) == true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            served = false;
        }

        _answers[key] = (served, now);
        return served;
    }
}
