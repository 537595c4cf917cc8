namespace ProxyOperator.KubeSandbox.Patching;

/// <summary>A field an apply wanted to change that <paramref name="Manager"/> owns; <paramref name="FieldPath"/> is like ".spec.replicas".</summary>
public sealed record ApplyConflict(string Manager, string FieldPath);
