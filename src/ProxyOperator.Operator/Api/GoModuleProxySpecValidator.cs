namespace ProxyOperator.Operator.Api;

/// <summary>
/// The cross-field rules the schema states in CEL (<see cref="Schema.CelRuleAttribute"/>), again in C#: API servers
/// without CEL (before 1.25, the test API server) accept such a spec, and the operator must then report Ready=False
/// with the reason instead of building half of it. Absent fields mean their schema defaults, as on the server.
/// </summary>
public static class GoModuleProxySpecValidator
{
    public static IReadOnlyList<SpecProblem> Validate(GoModuleProxySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new List<SpecProblem>();

        if (spec.Storage is { Type: StorageType.S3, S3: null })
        {
            problems.Add(new SpecProblem("spec.storage.s3", SpecMessages.S3Required));
        }

        if (spec.Storage?.Lock is { Type: LockType.Redis, Redis: null })
        {
            problems.Add(new SpecProblem("spec.storage.lock.redis", SpecMessages.RedisRequired));
        }

        if (spec.Ingress is { Enabled: true } ingress && string.IsNullOrEmpty(ingress.Host))
        {
            problems.Add(new SpecProblem("spec.ingress.host", SpecMessages.IngressHostRequired));
        }

        if (spec.Autoscaling is { } autoscaling)
        {
            if (autoscaling.Enabled == true && autoscaling.MaxReplicas is null)
            {
                problems.Add(new SpecProblem("spec.autoscaling.maxReplicas", SpecMessages.AutoscalingMaxRequired));
            }

            var minReplicas = autoscaling.MinReplicas ?? GoModuleProxyDefaults.AutoscalingMinReplicas;
            if (autoscaling.MaxReplicas < minReplicas)
            {
                problems.Add(new SpecProblem("spec.autoscaling.maxReplicas", SpecMessages.AutoscalingMaxBelowMin));
            }
        }

        if (spec.Auth is { Type: AuthType.Basic or AuthType.Bearer, SecretRef: null })
        {
            problems.Add(new SpecProblem("spec.auth.secretRef", SpecMessages.AuthSecretRequired));
        }

        var longestTtl = TimeSpan.FromHours(24);
        if (spec.Cache?.ListTtl is { } listTtl && TryParse(listTtl) > longestTtl)
        {
            problems.Add(new SpecProblem("spec.cache.listTTL", SpecMessages.ListTtlTooLong));
        }

        if (spec.Cache?.NotFoundTtl is { } notFoundTtl && TryParse(notFoundTtl) > longestTtl)
        {
            problems.Add(new SpecProblem("spec.cache.notFoundTTL", SpecMessages.NotFoundTtlTooLong));
        }

        return problems;
    }

    /// <summary>Null for a malformed duration: the schema's pattern is the rule that refuses those.</summary>
    private static TimeSpan? TryParse(string duration)
    {
        try
        {
            return Builders.GoDuration.Parse(duration);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
