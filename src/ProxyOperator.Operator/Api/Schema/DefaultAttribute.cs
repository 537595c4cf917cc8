namespace ProxyOperator.Operator.Api.Schema;

/// <summary>
/// The schema <c>default</c> the API server fills in when the field is absent
/// (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#defaulting).
/// Not allowed under list items: such defaults make Argo CD report OutOfSync forever (DESIGN §3), and the generator refuses them.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class DefaultAttribute : Attribute
{
    public DefaultAttribute(string value) => Value = value;

    public DefaultAttribute(int value) => Value = value;

    public DefaultAttribute(bool value) => Value = value;

    /// <summary>A string, int or bool; <see cref="EmptyObjectDefaultAttribute"/> stands for <c>{}</c>.</summary>
    public object Value { get; }
}
