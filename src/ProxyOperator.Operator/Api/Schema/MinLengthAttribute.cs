namespace ProxyOperator.Operator.Api.Schema;

/// <summary>The schema <c>minLength</c> of a string: a required string that may not be empty.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class MinLengthAttribute(int value) : Attribute
{
    public int Value { get; } = value;
}
