namespace ProxyOperator.Operator.Api.Schema;

/// <summary>
/// A CEL rule (<c>x-kubernetes-validations</c>) on the object schema of the type it decorates, for rules across fields
/// that the rest of OpenAPI cannot say
/// (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation-rules).
/// Every rule has a twin in <see cref="GoModuleProxySpecValidator"/>, which shares its message: API servers without CEL
/// (before 1.25, and the test API server) accept what the rule refuses, and the operator reports it as Ready=False.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class CelRuleAttribute(string rule, string message) : Attribute
{
    public string Rule { get; } = rule;

    public string Message { get; } = message;

    /// <summary>The field the error is reported on, relative to the object (<c>.s3</c>); supported from Kubernetes 1.28.</summary>
    public string? FieldPath { get; init; }

    /// <summary>FieldValueInvalid (the server's default), FieldValueRequired, FieldValueForbidden or FieldValueDuplicate.</summary>
    public string? Reason { get; init; }
}
