namespace ProxyOperator.Operator.Api.Schema;

/// <summary>
/// The schema <c>description</c> of a type, property or enum value. XML doc comments do not exist at run time, and the
/// CRD generator reads the types by reflection, so the text users see in <c>kubectl explain</c> lives here.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property | AttributeTargets.Enum | AttributeTargets.Field, Inherited = false)]
public sealed class DocAttribute(string text) : Attribute
{
    public string Text { get; } = text;
}
