namespace ProxyOperator.Operator.Builders;

/// <summary>
/// The recommended <c>app.kubernetes.io/*</c> labels (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/),
/// in one place so that no two builders spell them differently.
/// </summary>
public static class Labels
{
    public const string Name = "app.kubernetes.io/name";

    public const string Instance = "app.kubernetes.io/instance";

    public const string Component = "app.kubernetes.io/component";

    public const string ManagedBy = "app.kubernetes.io/managed-by";

    public const string PartOf = "app.kubernetes.io/part-of";

    public const string AppName = "goproxy";

    public const string ComponentName = "proxy";

    public const string OperatorName = "proxy-operator";

    public const string ProjectName = "proxyoperator";

    /// <summary>Every label an owned object carries.</summary>
    public static Dictionary<string, string> For(string proxyName) => new(StringComparer.Ordinal)
    {
        [Name] = AppName,
        [Instance] = proxyName,
        [Component] = ComponentName,
        [ManagedBy] = OperatorName,
        [PartOf] = ProjectName,
    };

    /// <summary>
    /// The labels that select the proxy pods. Only name and instance: a workload's selector is immutable, so it must
    /// not include any label we might want to change or add later.
    /// </summary>
    public static Dictionary<string, string> Selector(string proxyName) => new(StringComparer.Ordinal)
    {
        [Name] = AppName,
        [Instance] = proxyName,
    };

    /// <summary>The selector as a label-selector string, the form of the scale subresource's <c>status.selector</c>.</summary>
    public static string SelectorString(string proxyName) =>
        string.Join(",", Selector(proxyName).Select(label => label.Key + "=" + label.Value));
}
