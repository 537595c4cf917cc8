namespace ProxyOperator.Runtime;

/// <summary>Which primary object to bring to its desired state (controller-runtime's <c>reconcile.Request</c>).</summary>
public readonly record struct ReconcileRequest(ObjectKey Key)
{
    public string Namespace => Key.Namespace;

    public string Name => Key.Name;
}
