using k8s.Models;
using ProxyOperator.Operator.Api;

namespace ProxyOperator.Operator.Tests.Api;

public sealed class GoModuleProxySpecValidatorTests
{
    public static TheoryData<string, GoModuleProxySpec, string[]> Cases => new()
    {
        { "an empty spec", new GoModuleProxySpec(), [] },
        { "S3 storage without its bucket", new GoModuleProxySpec { Storage = new StorageSpec { Type = StorageType.S3 } }, ["spec.storage.s3"] },
        { "S3 storage with its bucket", new GoModuleProxySpec { Storage = new StorageSpec { Type = StorageType.S3, S3 = new S3StorageSpec { Bucket = "b" } } }, [] },
        { "disk storage", new GoModuleProxySpec { Storage = new StorageSpec { Type = StorageType.Disk } }, [] },
        { "an enabled ingress without a host", new GoModuleProxySpec { Ingress = new IngressSpec { Enabled = true } }, ["spec.ingress.host"] },
        { "an enabled ingress with an empty host", new GoModuleProxySpec { Ingress = new IngressSpec { Enabled = true, Host = "" } }, ["spec.ingress.host"] },
        { "a disabled ingress without a host", new GoModuleProxySpec { Ingress = new IngressSpec { Enabled = false } }, [] },
        { "an enabled ingress with a host", new GoModuleProxySpec { Ingress = new IngressSpec { Enabled = true, Host = "goproxy.example" } }, [] },
        { "enabled autoscaling without maxReplicas", new GoModuleProxySpec { Autoscaling = new AutoscalingSpec { Enabled = true } }, ["spec.autoscaling.maxReplicas"] },
        { "maxReplicas below minReplicas", new GoModuleProxySpec { Autoscaling = new AutoscalingSpec { Enabled = true, MinReplicas = 3, MaxReplicas = 2 } }, ["spec.autoscaling.maxReplicas"] },
        { "maxReplicas equal to minReplicas", new GoModuleProxySpec { Autoscaling = new AutoscalingSpec { Enabled = true, MinReplicas = 2, MaxReplicas = 2 } }, [] },
        { "maxReplicas below the default minReplicas", new GoModuleProxySpec { Autoscaling = new AutoscalingSpec { MaxReplicas = 0 } }, ["spec.autoscaling.maxReplicas"] },
        { "basic auth without a secret", new GoModuleProxySpec { Auth = new AuthSpec { Type = AuthType.Basic } }, ["spec.auth.secretRef"] },
        { "bearer auth without a secret", new GoModuleProxySpec { Auth = new AuthSpec { Type = AuthType.Bearer } }, ["spec.auth.secretRef"] },
        { "bearer auth with a secret", new GoModuleProxySpec { Auth = new AuthSpec { Type = AuthType.Bearer, SecretRef = new V1LocalObjectReference { Name = "tokens" } } }, [] },
        { "no auth", new GoModuleProxySpec { Auth = new AuthSpec { Type = AuthType.None } }, [] },
        { "a redis lock without its server", new GoModuleProxySpec { Storage = new StorageSpec { Lock = new LockSpec { Type = LockType.Redis } } }, ["spec.storage.lock.redis"] },
        { "a redis lock with its server", new GoModuleProxySpec { Storage = new StorageSpec { Lock = new LockSpec { Type = LockType.Redis, Redis = new RedisLockSpec { Address = "redis:6379" } } } }, [] },
        { "cache lifetimes of exactly a day", new GoModuleProxySpec { Cache = new CacheSpec { ListTtl = "24h", NotFoundTtl = "1440m" } }, [] },
        { "a list lifetime beyond a day", new GoModuleProxySpec { Cache = new CacheSpec { ListTtl = "24h0m1s" } }, ["spec.cache.listTTL"] },
        { "a not-found lifetime beyond a day", new GoModuleProxySpec { Cache = new CacheSpec { NotFoundTtl = "25h" } }, ["spec.cache.notFoundTTL"] },
        {
            "every rule broken at once",
            new GoModuleProxySpec
            {
                Storage = new StorageSpec { Type = StorageType.S3 },
                Ingress = new IngressSpec { Enabled = true },
                Auth = new AuthSpec { Type = AuthType.Basic },
                Autoscaling = new AutoscalingSpec { Enabled = true, MinReplicas = 4, MaxReplicas = 1 },
            },
            ["spec.storage.s3", "spec.ingress.host", "spec.autoscaling.maxReplicas", "spec.auth.secretRef"]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_validator_reports_the_fields_the_cel_rules_would_refuse(string description, GoModuleProxySpec spec, string[] fields)
    {
        var problems = GoModuleProxySpecValidator.Validate(spec);

        Assert.True(fields.SequenceEqual(problems.Select(p => p.Field)), $"{description}: {string.Join("; ", problems)}");
    }

    [Fact]
    public void A_problem_carries_the_message_the_cel_rule_shows()
    {
        var problem = Assert.Single(GoModuleProxySpecValidator.Validate(new GoModuleProxySpec { Storage = new StorageSpec { Type = StorageType.S3 } }));

        Assert.Equal(SpecMessages.S3Required, problem.Message);
        Assert.Equal("spec.storage.s3: storage.s3 is required when storage.type is S3", problem.ToString());
    }
}
