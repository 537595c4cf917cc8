namespace ProxyOperator.Operator.Api.Schema;

/// <summary>
/// <c>default: {}</c>: the API server creates the object when absent, so the defaults of its own fields apply too
/// (a nested default applies only where its parent exists). <c>kubectl get -o yaml</c> then shows the effective settings.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class EmptyObjectDefaultAttribute : Attribute;
