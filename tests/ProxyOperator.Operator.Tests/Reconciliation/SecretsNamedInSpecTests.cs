using k8s.Models;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Reconciliation;

namespace ProxyOperator.Operator.Tests.Reconciliation;

public sealed class SecretsNamedInSpecTests
{
    [Fact]
    public void The_secrets_the_pods_mount_are_checked_but_not_image_pull_secrets()
    {
        var spec = new GoModuleProxySpec
        {
            Image = new ImageSpec { PullSecrets = [new V1LocalObjectReference { Name = "regcred" }] },
            Storage = new StorageSpec
            {
                Type = StorageType.S3,
                S3 = new S3StorageSpec { Bucket = "b", CredentialsSecret = "s3" },
                Lock = new LockSpec { Type = LockType.Redis, Redis = new RedisLockSpec { Address = "redis:6379", PasswordSecret = "redis-auth" } },
            },
            PrivateModules = [new PrivateModuleSpec { Pattern = "git.corp.example/*", CredentialsSecret = "git" }],
            Auth = new AuthSpec { Type = AuthType.Bearer, SecretRef = new V1LocalObjectReference { Name = "tokens" } },
            Tls = new TlsSpec { SecretName = "cert" },
        };

        Assert.Equal(["tokens", "cert", "s3", "redis-auth", "git"], ProxyOperator.Operator.Builders.SecretMounts.SecretNames(spec));
    }

    [Theory]
    [InlineData("registry.example:5000/goproxy:1.2", "registry.example:5000/goproxy", "1.2")]
    [InlineData("registry.example:5000/goproxy", "registry.example:5000/goproxy", null)]
    public void The_proxy_image_flag_splits_the_tag_after_the_last_slash(string flag, string repository, string? tag)
    {
        var image = new ReconcilerOptions { ProxyImage = flag }.ParsedProxyImage()!;

        Assert.Equal(repository, image.Repository);
        Assert.Equal(tag ?? ProxyOperator.Operator.Builders.ProxyImage.DefaultTag, image.Tag);
    }
}
