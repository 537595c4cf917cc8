using k8s.Models;
using ProxyOperator.Operator.Api;

namespace ProxyOperator.Operator.Builders;

/// <summary>
/// The metadata every owned object shares: name, namespace, labels and the owner reference. Every builder calls this
/// (CloudNativePG's SetInheritedDataAndOwnership) so that ownership is never re-typed per kind.
/// </summary>
public static class Ownership
{
    /// <summary>Metadata for an object owned by <paramref name="proxy"/>, in the proxy's namespace.</summary>
    /// <exception cref="ArgumentException">the proxy has no name or UID, so nothing could own the object.</exception>
    public static V1ObjectMeta Metadata(GoModuleProxy proxy, string name, IDictionary<string, string>? annotations = null)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        return new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = proxy.Metadata.NamespaceProperty,
            Labels = Labels.For(ProxyName(proxy)),
            // Null rather than empty: an empty map sent with server-side apply would still be a field we claim.
            Annotations = annotations is { Count: > 0 } ? new Dictionary<string, string>(annotations, StringComparer.Ordinal) : null,
            OwnerReferences = [OwnerReference(proxy)],
        };
    }

    /// <summary>
    /// The reference that lets the garbage collector delete the object with its proxy. <c>controller: true</c> marks us
    /// as the one managing controller and <c>blockOwnerDeletion: true</c> makes foreground deletion wait for it (DESIGN §3).
    /// </summary>
    public static V1OwnerReference OwnerReference(GoModuleProxy proxy)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        return new V1OwnerReference
        {
            ApiVersion = GoModuleProxy.GroupVersion,
            Kind = GoModuleProxy.KubeKind,
            Name = ProxyName(proxy),
            // A reference without the UID is rejected by the API server; the proxy must have been read from it.
            Uid = proxy.Metadata.Uid is { Length: > 0 } uid ? uid : throw new ArgumentException("the GoModuleProxy has no metadata.uid", nameof(proxy)),
            Controller = true,
            BlockOwnerDeletion = true,
        };
    }

    /// <summary>
    /// The apiVersion field for a model's group and version. The models' KubeApiVersion is the version alone
    /// (<c>v1</c> for apps/v1 too); only the core group is written without a prefix.
    /// </summary>
    internal static string ApiVersion(string group, string version) => group.Length == 0 ? version : group + "/" + version;

    internal static string ProxyName(GoModuleProxy proxy) =>
        proxy.Metadata.Name is { Length: > 0 } name ? name : throw new ArgumentException("the GoModuleProxy has no metadata.name", nameof(proxy));
}
