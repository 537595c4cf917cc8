using System.Reflection;
using ProxyOperator.Operator.Api;

namespace ProxyOperator.Operator.Builders;

/// <summary>
/// The proxy image used when the resource names none: by default the one released with this operator, so an
/// operator upgrade rolls the proxies to the matching version. The host may override it (a mirror registry).
/// </summary>
public sealed record ProxyImage(string Repository, string Tag)
{
    public const string DefaultRepository = "ghcr.io/proxyoperator/goproxy";

    /// <summary>
    /// The numeric <c>APP_UID</c> of the .NET base images, which the goproxy image runs as (see the Dockerfile).
    /// Numeric so that <c>runAsNonRoot</c> can be checked by the kubelet and the volume group set to it.
    /// </summary>
    public const long UserId = 1654;

    /// <summary>This assembly's version without the source-revision suffix the SDK appends (<c>0.1.0+abc123</c>).</summary>
    public static string DefaultTag { get; } = ReadDefaultTag();

    public static ProxyImage Default { get; } = new(DefaultRepository, DefaultTag);

    /// <summary>The image reference for <paramref name="spec"/>: its own repository and tag where set, ours where not.</summary>
    public string Reference(ImageSpec? spec) => $"{spec?.Repository ?? Repository}:{spec?.Tag ?? Tag}";

    private static string ReadDefaultTag()
    {
        var version = typeof(ProxyImage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(ProxyImage).Assembly.GetName().Version?.ToString(3)
            ?? "latest";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? version[..plus] : version;
    }
}
