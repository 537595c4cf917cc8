namespace ProxyOperator.Operator.Api;

/// <summary>One reason a spec cannot be reconciled, at a field path in the API server's own form (<c>spec.storage.s3</c>).</summary>
public readonly record struct SpecProblem(string Field, string Message)
{
    public override string ToString() => Field + ": " + Message;
}
