using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Hosting;

namespace ProxyOperator.Operator.Reconciliation;

/// <summary>Records core/v1 Events about a GoModuleProxy, as <c>kubectl describe gmp</c> shows them.</summary>
internal sealed class EventRecorder(IKubernetes client, ILogger logger, TimeProvider clock)
{
    public const string Normal = "Normal";

    public const string Warning = "Warning";

    /// <summary>Records an event; a failure to record is logged, never fails the reconcile.</summary>
    public async Task RecordAsync(GoModuleProxy proxy, string type, string reason, string message, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var ns = proxy.Metadata.NamespaceProperty;
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
            await client.CoreV1.CreateNamespacedEventAsync(record, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            OperatorLog.EventFailed(logger, ns + "/" + proxy.Metadata.Name, reason, $"{(int)e.Response.StatusCode} {e.Response.ReasonPhrase}");
        }
    }
}
