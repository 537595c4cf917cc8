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
/// Not written yet, because the proxy has no options for them: sumDB, privateModules, filters, auth, tls, s3 storage and
/// storage.maxSize. They are added here when ProxyOptions learns them; writing them now would stop the proxy at start-up.
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

    /// <exception cref="FormatException">a cache lifetime is not a Go duration; the schema's pattern refuses those first.</exception>
    public static ProxyConfig Build(GoModuleProxySpec spec)
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
            .AppendLine(CultureInfo.InvariantCulture, $"  staleIfError: {Bool(cache?.StaleIfError ?? true)}")
            .ToString()
            .ReplaceLineEndings("\n");
        return new ProxyConfig(yaml);
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
