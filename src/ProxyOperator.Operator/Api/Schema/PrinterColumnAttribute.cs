namespace ProxyOperator.Operator.Api.Schema;

/// <summary>
/// An <c>additionalPrinterColumns</c> entry: what <c>kubectl get</c> shows
/// (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#additional-printer-columns).
/// Columns appear in <see cref="Order"/>, because reflection does not promise the order attributes were written in.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class PrinterColumnAttribute(int order, string name, string type, string jsonPath) : Attribute
{
    public int Order { get; } = order;

    public string Name { get; } = name;

    /// <summary>integer, number, string, boolean or date.</summary>
    public string Type { get; } = type;

    public string JsonPath { get; } = jsonPath;

    public string? Description { get; init; }

    /// <summary>0 shows in the standard view; higher only with <c>kubectl get -o wide</c>.</summary>
    public int Priority { get; init; }
}
