namespace ProxyOperator.Operator.Api;

/// <summary>The schema patterns the types share, in one place.</summary>
public static class Patterns
{
    /// <summary>
    /// A Go duration as the proxy reads it (<c>90s</c>, <c>5m</c>, <c>1h30m</c>); the units are those of
    /// https://pkg.go.dev/time#ParseDuration that make sense for cache lifetimes.
    /// </summary>
    public const string Duration = @"^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$";

    /// <summary>An absolute http or https URL.</summary>
    public const string HttpUrl = @"^https?://[^\s]+$";

    /// <summary>
    /// A DNS-1123 subdomain: the name of a Secret or other object
    /// (https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-subdomain-names).
    /// </summary>
    public const string ObjectName = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>A host name for an Ingress rule, optionally a wildcard (https://kubernetes.io/docs/concepts/services-networking/ingress/#hostname-wildcards).</summary>
    public const string IngressHost = "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>host:port, as a Redis address: a DNS name or IPv4 address, then a port.</summary>
    public const string HostPort = "^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?:[0-9]{1,5}$";
}
