using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ProxyOperator.Operator.Api;

namespace ProxyOperator.Operator.Builders;

/// <summary>
/// The proxy's configuration file, built from the spec, and its hash. The proxy binds the file strictly
/// (ProxyOptions, unknown keys refused), so only keys it knows are written. The hash goes on the pod template so that a
/// configuration change rolls the pods: a mounted ConfigMap changes under a running pod, but the proxy reads it once.
/// </summary>
/// <remarks>
/// Not written yet: tls (the proxy can serve HTTPS, but the probes, the operator's /status reads and the Ingress
/// backend would have to follow it to HTTPS; issue 8 leaves that open), so a tls Secret is mounted but not used.
/// </remarks>
public sealed class ProxyConfig
{
    /// <summary>The ConfigMap key, and so the file name in the mounted folder.</summary>
    public const string FileName = "config.yaml";

    public const string HashAnnotation = "proxyoperator.io/config-hash";

    private ProxyConfig(string yaml)
    {
        Yaml = yaml;
        Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(yaml)));
    }

    /// <summary>The YAML text, identical for identical specs (keys always in the same order).</summary>
    public string Yaml { get; }

    /// <summary>The lower-case hex SHA-256 of <see cref="Yaml"/>.</summary>
    public string Hash { get; }

    /// <param name="spec">The resource's spec.</param>
    /// <param name="instance">namespace/name of the resource: the default prefix of its lock keys, so proxies sharing one Redis do not wait on each other.</param>
    /// <exception cref="FormatException">a cache lifetime is not a Go duration; the schema's pattern refuses those first.</exception>
    public static ProxyConfig Build(GoModuleProxySpec spec, string? instance = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var cache = spec.Cache;
        var yaml = new StringBuilder()
            .AppendLine("# Written by proxy-operator from the GoModuleProxy spec; edits here are overwritten.")
            // The image's entrypoint passes the same listen address and store as flags; they are written here as well so
            // that the file alone says how the pod's proxy runs, whatever the entrypoint becomes.
            .AppendLine(CultureInfo.InvariantCulture, $"listen: {Quote($"0.0.0.0:{ProxyContainer.Port}")}")
            .AppendLine(CultureInfo.InvariantCulture, $"storageDir: {Quote(ProxyContainer.StoreDirectory)}")
            .AppendLine(CultureInfo.InvariantCulture, $"upstream: {Quote(UpstreamChain(spec.Upstreams))}")
            .AppendLine(CultureInfo.InvariantCulture, $"offline: {Bool(spec.Mode == ProxyMode.Offline)}")
            // JSON logs: one object per event, what cluster log collectors parse without a custom pattern.
            .AppendLine("logFormat: 'json'")
            .AppendLine("cache:")
            .AppendLine(CultureInfo.InvariantCulture, $"  listTtl: {Quote(GoDuration.ToTimeSpanText(cache?.ListTtl ?? GoModuleProxyDefaults.ListTtl))}")
            .AppendLine(CultureInfo.InvariantCulture, $"  notFoundTtl: {Quote(GoDuration.ToTimeSpanText(cache?.NotFoundTtl ?? GoModuleProxyDefaults.NotFoundTtl))}")
            .AppendLine(CultureInfo.InvariantCulture, $"  staleIfError: {Bool(cache?.StaleIfError ?? true)}");
        AppendStorage(yaml, spec);
        AppendLock(yaml, spec, instance);
        AppendAuth(yaml, spec);
        AppendPrivateModules(yaml, spec);
        AppendFilters(yaml, spec);
        AppendSumDb(yaml, spec);
        if (spec.Admin?.TokenSecret is { Length: > 0 })
        {
            yaml.AppendLine("admin:").AppendLine(CultureInfo.InvariantCulture, $"  tokenFile: {Quote(SecretMounts.AdminTokenFile)}");
        }

        return new ProxyConfig(yaml.ToString().ReplaceLineEndings("\n"));
    }

    private static void AppendStorage(StringBuilder yaml, GoModuleProxySpec spec)
    {
        var s3 = EffectiveSpec.StorageType(spec) == StorageType.S3 ? spec.Storage?.S3 : null;
        // Disk and Ephemeral are both a folder to the proxy.
        yaml.AppendLine("storage:").AppendLine(CultureInfo.InvariantCulture, $"  type: {Quote(s3 is null ? "disk" : "s3")}");
        if (spec.Storage?.MaxSize is { } maxSize)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  maxSize: {Quote(maxSize.ToString())}");
        }

        if (s3 is null)
        {
            return;
        }

        yaml.AppendLine("  s3:").AppendLine(CultureInfo.InvariantCulture, $"    bucket: {Quote(s3.Bucket)}");
        if (s3.Prefix is { Length: > 0 } prefix)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    prefix: {Quote(prefix)}");
        }

        if (s3.Endpoint is { Length: > 0 } endpoint)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    endpoint: {Quote(endpoint)}");
        }

        if (s3.Region is { Length: > 0 } region)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    region: {Quote(region)}");
        }

        yaml.AppendLine(CultureInfo.InvariantCulture, $"    forcePathStyle: {Bool(s3.ForcePathStyle ?? false)}");
        if (s3.CredentialsSecret is { Length: > 0 })
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    accessKeyIdFile: {Quote(SecretMounts.S3AccessKeyIdFile)}")
                .AppendLine(CultureInfo.InvariantCulture, $"    secretAccessKeyFile: {Quote(SecretMounts.S3SecretAccessKeyFile)}");
        }
    }

    private static void AppendAuth(StringBuilder yaml, GoModuleProxySpec spec)
    {
        switch (spec.Auth?.Type)
        {
            case AuthType.Basic:
                yaml.AppendLine("auth:").AppendLine("  type: 'basic'").AppendLine(CultureInfo.InvariantCulture, $"  usersFile: {Quote(SecretMounts.AuthUsersFile)}");
                break;
            case AuthType.Bearer:
                yaml.AppendLine("auth:").AppendLine("  type: 'bearer'").AppendLine(CultureInfo.InvariantCulture, $"  tokensFile: {Quote(SecretMounts.AuthTokensFile)}");
                break;
            default:
                break;
        }
    }

    private static void AppendPrivateModules(StringBuilder yaml, GoModuleProxySpec spec)
    {
        if (spec.PrivateModules is not { Count: > 0 } modules)
        {
            return;
        }

        yaml.AppendLine("privateModules:").AppendLine("  modules:");
        foreach (var module in modules)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    - pattern: {Quote(module.Pattern)}");
            if (module.CredentialsSecret is { Length: > 0 } secret)
            {
                yaml.AppendLine(CultureInfo.InvariantCulture, $"      credentialsDir: {Quote(SecretMounts.VcsCredentialsDirectory(secret))}");
            }
        }
    }

    private static void AppendFilters(StringBuilder yaml, GoModuleProxySpec spec)
    {
        if (spec.Filters is not { } filters || (filters.Deny is not { Count: > 0 } && filters.Allow is not { Count: > 0 }))
        {
            return;
        }

        yaml.AppendLine("filters:");
        foreach (var (key, rules) in new[] { ("deny", filters.Deny), ("allow", filters.Allow) })
        {
            if (rules is { Count: > 0 })
            {
                yaml.AppendLine(CultureInfo.InvariantCulture, $"  {key}:");
                foreach (var rule in rules)
                {
                    yaml.AppendLine(CultureInfo.InvariantCulture, $"    - {Quote(rule)}");
                }
            }
        }
    }

    private static void AppendSumDb(StringBuilder yaml, GoModuleProxySpec spec)
    {
        var sumDb = spec.SumDb;
        yaml.AppendLine("sumdb:")
            .AppendLine(CultureInfo.InvariantCulture, $"  name: {Quote(sumDb?.Name ?? GoModuleProxyDefaults.SumDbName)}")
            .AppendLine(CultureInfo.InvariantCulture, $"  url: {Quote(sumDb?.Url ?? GoModuleProxyDefaults.SumDbUrl)}")
            .AppendLine(CultureInfo.InvariantCulture, $"  proxy: {Bool(sumDb?.Proxy ?? true)}")
            // Verified on ingest unless switched off: what a private proxy is for (issue 8); offline there is nothing to ask.
            .AppendLine(CultureInfo.InvariantCulture, $"  verify: {Bool((sumDb?.Verify ?? true) && spec.Mode != ProxyMode.Offline)}");
        if (sumDb?.Key is { Length: > 0 } key)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  key: {Quote(key)}");
        }
    }

    private static void AppendLock(StringBuilder yaml, GoModuleProxySpec spec, string? instance)
    {
        if (spec.Storage?.Lock is not { Type: LockType.Redis, Redis: { } redis })
        {
            yaml.AppendLine("lock:").AppendLine("  type: 'none'");
            return;
        }

        yaml.AppendLine("lock:").AppendLine("  type: 'redis'").AppendLine("  redis:")
            .AppendLine(CultureInfo.InvariantCulture, $"    address: {Quote(redis.Address)}")
            .AppendLine(CultureInfo.InvariantCulture, $"    keyPrefix: {Quote(redis.KeyPrefix is { Length: > 0 } prefix ? prefix : $"goproxy:{instance ?? "default"}:")}");
        if (redis.PasswordSecret is { Length: > 0 })
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    passwordFile: {Quote(SecretMounts.RedisPasswordFile)}");
        }
    }

    /// <summary>
    /// The upstreams in GOPROXY syntax (https://go.dev/ref/mod#goproxy-protocol): the separator after an entry says when
    /// to try the next one, "," after a 404/410 only (OnNotFound, the default) and "|" after any error (OnAnyError).
    /// The last entry's fallBack has nothing to fall back to and is ignored.
    /// </summary>
    public static string UpstreamChain(IEnumerable<UpstreamSpec>? upstreams)
    {
        var list = upstreams?.ToList() ?? [];
        if (list.Count == 0)
        {
            return GoModuleProxyDefaults.Upstream;
        }

        var chain = new StringBuilder(list[0].Url);
        for (var i = 1; i < list.Count; i++)
        {
            chain.Append(list[i - 1].FallBack == FallBack.OnAnyError ? '|' : ',').Append(list[i].Url);
        }

        return chain.ToString();
    }

    // Single-quoted YAML scalars: no escapes but a doubled quote, so a URL's ':' or '#' cannot change the meaning.
    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Bool(bool value) => value ? "true" : "false";
}
