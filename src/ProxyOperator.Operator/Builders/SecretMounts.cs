using System.Security.Cryptography;
using System.Text;
using k8s.Models;
using ProxyOperator.Operator.Api;

namespace ProxyOperator.Operator.Builders;

/// <summary>
/// The Secrets a spec names, mounted read-only as files into the proxy pods (never env: DESIGN §2), and the hash of
/// their resourceVersions that goes on the pod template so that a rotated Secret rolls the pods. Kubelet refreshes
/// a mounted Secret by itself, but only eventually and without telling the process; a rollout is explicit.
/// </summary>
public static class SecretMounts
{
    public const string Directory = "/var/run/secrets/goproxy";

    public const string HashAnnotation = "proxyoperator.io/secrets-hash";

    /// <summary>Where the proxy reads each Secret's files: the folder of its mount, then the key.</summary>
    public const string S3AccessKeyIdFile = Directory + "/s3/accessKeyId";

    public const string S3SecretAccessKeyFile = Directory + "/s3/secretAccessKey";

    public const string RedisPasswordFile = Directory + "/redis/password";

    public const string AdminTokenFile = Directory + "/admin/token";

    public const string AuthUsersFile = Directory + "/auth/users";

    public const string AuthTokensFile = Directory + "/auth/tokens";

    /// <summary>The folder a private pattern's credentials Secret is mounted at (files username/password, token or ssh-privatekey).</summary>
    public static string VcsCredentialsDirectory(string secret) => $"{Directory}/vcs/{secret}";

    /// <summary>One Secret in the pod: the volume name, where it is mounted, and the Secret.</summary>
    public sealed record Mount(string Volume, string Path, string Secret);

    /// <summary>The mounts, in a stable order; a Secret named twice (two private patterns) is mounted once.</summary>
    public static IReadOnlyList<Mount> For(GoModuleProxySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var mounts = new List<Mount>();
        if (spec.Auth?.Type is AuthType.Basic or AuthType.Bearer && spec.Auth.SecretRef?.Name is { Length: > 0 } auth)
        {
            mounts.Add(new Mount("secret-auth", Directory + "/auth", auth));
        }

        if (spec.Tls?.SecretName is { Length: > 0 } tls)
        {
            mounts.Add(new Mount("secret-tls", Directory + "/tls", tls));
        }

        if (EffectiveSpec.StorageType(spec) == StorageType.S3 && spec.Storage?.S3?.CredentialsSecret is { Length: > 0 } s3)
        {
            mounts.Add(new Mount("secret-s3", Directory + "/s3", s3));
        }

        if (spec.Admin?.TokenSecret is { Length: > 0 } admin)
        {
            mounts.Add(new Mount("secret-admin", Directory + "/admin", admin));
        }

        if (spec.Storage?.Lock is { Type: LockType.Redis, Redis.PasswordSecret: { Length: > 0 } redis })
        {
            mounts.Add(new Mount("secret-redis", Directory + "/redis", redis));
        }

        var vcs = (spec.PrivateModules ?? []).Select(m => m.CredentialsSecret).OfType<string>().Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        for (var i = 0; i < vcs.Count; i++)
        {
            // By index: a Secret's name may be longer than a volume name may be (63).
            mounts.Add(new Mount($"secret-vcs-{i}", VcsCredentialsDirectory(vcs[i]), vcs[i]));
        }

        return mounts;
    }

    /// <summary>The Secrets the pods need, distinct: what must exist before the workload is applied.</summary>
    public static IEnumerable<string> SecretNames(GoModuleProxySpec spec) => For(spec).Select(m => m.Secret).Distinct(StringComparer.Ordinal);

    internal static IEnumerable<V1Volume> Volumes(GoModuleProxySpec spec) => For(spec).Select(m => new V1Volume
    {
        Name = m.Volume,
        // 0440 with the pod's fsGroup: readable by the proxy's non-root user, by nobody else.
        Secret = new V1SecretVolumeSource { SecretName = m.Secret, DefaultMode = 0b100_100_000 },
    });

    internal static IEnumerable<V1VolumeMount> VolumeMounts(GoModuleProxySpec spec) =>
        For(spec).Select(m => new V1VolumeMount { Name = m.Volume, MountPath = m.Path, ReadOnlyProperty = true });

    /// <summary>The hash of the mounted Secrets' resourceVersions, or null when none is mounted or none was read.</summary>
    public static string? Hash(GoModuleProxySpec spec, IReadOnlyDictionary<string, string>? resourceVersions)
    {
        var names = SecretNames(spec).Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0 || resourceVersions is null)
        {
            return null;
        }

        var text = string.Concat(names.Select(n => $"{n}={(resourceVersions.TryGetValue(n, out var v) ? v : "")}\n"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
