namespace ProxyOperator.Runtime;

public enum ResourceEventType
{
    Added,
    Updated,
    Deleted,
}
