using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Hosting;

namespace ProxyOperator.Operator.Reconciliation;

/// <summary>
/// Records core/v1 Events about a GoModuleProxy, as <c>kubectl describe gmp</c> shows them. An event identical to one
/// recorded within <see cref="AggregationWindow"/> (same object, type, reason and message) bumps that event's count
/// and lastTimestamp instead of adding another, as client-go's EventCorrelator does, so a problem seen at every
/// resync shows as one line "x12 over 6m" rather than a storm.
/// </summary>
internal sealed class EventRecorder(IKubernetes client, ILogger logger, TimeProvider clock)
{
    public static readonly TimeSpan AggregationWindow = TimeSpan.FromMinutes(10);

    // Bounded: cleared when full, at worst one duplicate line per key afterwards.
    private const int MaxRemembered = 4096;

    private readonly ConcurrentDictionary<string, Recorded> _recent = new(StringComparer.Ordinal);

    public const string Normal = "Normal";

    public const string Warning = "Warning";

    /// <summary>Records an event; a failure to record is logged, never fails the reconcile.</summary>
    public async Task RecordAsync(GoModuleProxy proxy, string type, string reason, string message, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var ns = proxy.Metadata.NamespaceProperty;
        var key = $"{proxy.Metadata.Uid}\n{type}\n{reason}\n{message}";
        if (_recent.TryGetValue(key, out var recorded) && now - recorded.Last < AggregationWindow
            && await BumpAsync(ns, recorded with { Count = recorded.Count + 1, Last = now }, cancellationToken).ConfigureAwait(false) is { } bumped)
        {
            _recent[key] = bumped;
            return;
        }

        var record = new Corev1Event
        {
            Metadata = new V1ObjectMeta { GenerateName = proxy.Metadata.Name + ".", NamespaceProperty = ns },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = GoModuleProxy.GroupVersion,
                Kind = GoModuleProxy.KubeKind,
                Name = proxy.Metadata.Name,
                NamespaceProperty = ns,
                Uid = proxy.Metadata.Uid,
                ResourceVersion = proxy.Metadata.ResourceVersion,
            },
            Type = type,
            Reason = reason,
            Message = message,
            Source = new V1EventSource { Component = OwnedKind.FieldManager },
            ReportingComponent = OwnedKind.FieldManager,
            ReportingInstance = Environment.MachineName,
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };
        try
        {
            var created = await client.CoreV1.CreateNamespacedEventAsync(record, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (_recent.Count >= MaxRemembered)
            {
                _recent.Clear();
            }

            _recent[key] = new Recorded(created.Metadata.Name, 1, now);
        }
        catch (HttpOperationException e)
        {
            OperatorLog.EventFailed(logger, ns + "/" + proxy.Metadata.Name, reason, $"{(int)e.Response.StatusCode} {e.Response.ReasonPhrase}");
        }
    }

    /// <returns>The bumped record, or null when the event is gone (expired, deleted) and a new one must be made.</returns>
    private async Task<Recorded?> BumpAsync(string ns, Recorded recorded, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["count"] = recorded.Count,
            ["lastTimestamp"] = recorded.Last.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
        try
        {
            await client.CoreV1.PatchNamespacedEventAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), recorded.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            return recorded;
        }
        catch (HttpOperationException e)
        {
            // Gone (expired, deleted) or not updatable: record a new event instead; recording never fails a reconcile.
            if (e.Response.StatusCode != System.Net.HttpStatusCode.NotFound)
            {
                OperatorLog.EventFailed(logger, ns + "/" + recorded.Name, "update", $"{(int)e.Response.StatusCode} {e.Response.ReasonPhrase}");
            }

            return null;
        }
    }

    private sealed record Recorded(string Name, int Count, DateTime Last);
}
