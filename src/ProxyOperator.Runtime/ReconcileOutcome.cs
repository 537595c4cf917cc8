namespace ProxyOperator.Runtime;

public enum ReconcileOutcome
{
    Success,
    Requeue,
    Error,
}
