namespace ProxyOperator.Operator.Status;

/// <summary>Why a resource's spec cannot be reconciled: a condition reason and a message for people.</summary>
public sealed record SpecRejection(string Reason, string Message);
