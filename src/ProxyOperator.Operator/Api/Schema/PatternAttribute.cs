namespace ProxyOperator.Operator.Api.Schema;

/// <summary>The schema <c>pattern</c> (ECMA-262 regular expression) a string must match.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class PatternAttribute(string regex) : Attribute
{
    public string Regex { get; } = regex;
}
