namespace ProxyOperator.Operator.Api.Schema;

/// <summary>
/// <c>x-kubernetes-list-type: map</c> keyed by <see cref="Keys"/>: server-side apply merges the list item by item
/// instead of replacing it whole (https://kubernetes.io/docs/reference/using-api/server-side-apply/#merge-strategy).
/// The keys must be required fields of the item type.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class ListMapAttribute(params string[] keys) : Attribute
{
    public IReadOnlyList<string> Keys { get; } = keys;
}
