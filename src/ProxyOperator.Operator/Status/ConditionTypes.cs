namespace ProxyOperator.Operator.Status;

/// <summary>The condition types and reasons the operator writes, in one place (reasons are CamelCase by convention).</summary>
public static class ConditionTypes
{
    public const string Ready = "Ready";

    public const string Progressing = "Progressing";

    public const string Degraded = "Degraded";
}

public static class ConditionReasons
{
    public const string InvalidSpec = "InvalidSpec";

    public const string SecretNotFound = "SecretNotFound";

    public const string RolledOut = "RolledOut";

    public const string RollingOut = "RollingOut";

    public const string WorkloadMissing = "WorkloadMissing";

    public const string Unavailable = "Unavailable";

    public const string AsExpected = "AsExpected";

    public const string ScaledToZero = "ScaledToZero";
}
