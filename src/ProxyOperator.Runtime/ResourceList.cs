namespace ProxyOperator.Runtime;

/// <summary>The result of a complete list: every object and the resourceVersion a watch resumes from.</summary>
public sealed record ResourceList<T>(IReadOnlyList<T> Items, string ResourceVersion);
