namespace ProxyOperator.KubeSandbox.Operations;

/// <summary>
/// A DeleteOptions body or its query equivalents
/// (https://kubernetes.io/docs/concepts/architecture/garbage-collection/#cascading-deletion).
/// </summary>
internal sealed record DeleteOptions(string? PropagationPolicy, string? PreconditionUid, string? PreconditionResourceVersion, bool DryRun)
{
    public static DeleteOptions Default { get; } = new(null, null, null, false);
}
