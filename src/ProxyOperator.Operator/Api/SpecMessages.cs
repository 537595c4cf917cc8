namespace ProxyOperator.Operator.Api;

/// <summary>
/// The messages of the cross-field rules, shared by the CEL rules in the schema and by
/// <see cref="GoModuleProxySpecValidator"/>, so a user reads the same words whichever of the two refused the spec.
/// </summary>
public static class SpecMessages
{
    public const string S3Required = "storage.s3 is required when storage.type is S3";

    public const string IngressHostRequired = "ingress.host is required when ingress.enabled is true";

    public const string AutoscalingMaxRequired = "autoscaling.maxReplicas is required when autoscaling.enabled is true";

    public const string AutoscalingMaxBelowMin = "autoscaling.maxReplicas must be greater than or equal to autoscaling.minReplicas";

    public const string AuthSecretRequired = "auth.secretRef is required unless auth.type is None";

    public const string RedisRequired = "storage.lock.redis is required when storage.lock.type is Redis";

    public const string ListTtlTooLong = "cache.listTTL must be at most 24h";

    public const string NotFoundTtlTooLong = "cache.notFoundTTL must be at most 24h";
}
