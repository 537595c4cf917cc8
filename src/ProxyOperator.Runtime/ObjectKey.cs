using k8s;
using k8s.Models;

namespace ProxyOperator.Runtime;

/// <summary>
/// Identifies an object the way client-go's <c>cache.MetaNamespaceKeyFunc</c> does: <c>namespace/name</c>, or just
/// <c>name</c> for cluster-scoped objects (empty namespace).
/// </summary>
public readonly record struct ObjectKey(string Namespace, string Name)
{
    public static ObjectKey Of(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return new ObjectKey(obj.Metadata?.NamespaceProperty ?? string.Empty, obj.Metadata?.Name ?? string.Empty);
    }

    public override string ToString() => Namespace.Length == 0 ? Name : Namespace + "/" + Name;
}
