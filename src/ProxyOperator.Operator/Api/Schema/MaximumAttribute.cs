namespace ProxyOperator.Operator.Api.Schema;

/// <summary>The schema <c>maximum</c> (inclusive) of a number.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class MaximumAttribute(double value) : Attribute
{
    public double Value { get; } = value;
}
