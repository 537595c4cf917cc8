namespace ProxyOperator.KubeSandbox.Operations;

/// <summary>The query parameters every write shares: who writes (managedFields), whether it is a dry run, and apply's force.</summary>
/// <param name="FieldValidation">
/// <c>Strict</c>: unknown fields are a 400; <c>Warn</c>: they are dropped with a warning in <see cref="Warnings"/>;
/// anything else: dropped silently (https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation).
/// </param>
internal sealed record WriteOptions(string FieldManager, bool DryRun = false, bool Force = false, string? FieldValidation = null)
{
    /// <summary>Warnings for the client, sent as <c>Warning: 299</c> headers.</summary>
    public List<string> Warnings { get; } = [];
}
