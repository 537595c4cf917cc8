using ProxyOperator.Operator.Builders;

namespace ProxyOperator.Operator.Reconciliation;

public sealed class ReconcilerOptions
{
    /// <summary>The proxy image (<c>repository:tag</c>) for resources that name none; null: <see cref="ProxyImage.Default"/>.</summary>
    public string? ProxyImage { get; set; }

    /// <summary>How long an answer of API discovery is trusted before it is asked again.</summary>
    public TimeSpan DiscoveryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The operator's own namespace (POD_NAMESPACE), which a NetworkPolicy must let through; null outside a cluster.</summary>
    public string? OperatorNamespace { get; set; } = Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } ns ? ns : null;

    internal ProxyImage? ParsedProxyImage()
    {
        if (ProxyImage is not { Length: > 0 } reference)
        {
            return null;
        }

        // The tag follows the last colon after the last slash (a registry may have a port: host:5000/goproxy:1.0).
        var slash = reference.LastIndexOf('/');
        var colon = reference.LastIndexOf(':');
        return colon > slash
            ? new ProxyImage(reference[..colon], reference[(colon + 1)..])
            : new ProxyImage(reference, Builders.ProxyImage.DefaultTag);
    }
}
