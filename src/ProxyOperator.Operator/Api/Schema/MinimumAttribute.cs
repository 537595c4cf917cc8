namespace ProxyOperator.Operator.Api.Schema;

/// <summary>The schema <c>minimum</c> (inclusive) of a number.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class MinimumAttribute(double value) : Attribute
{
    public double Value { get; } = value;
}
