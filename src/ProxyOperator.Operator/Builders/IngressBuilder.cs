using System.Globalization;
using k8s.Models;
using ProxyOperator.Operator.Api;

namespace ProxyOperator.Operator.Builders;

/// <summary>
/// The <c>networking.k8s.io/v1</c> Ingress in front of the proxy Service, with the annotations its controller needs for
/// Go module traffic: zips of hundreds of MB, and a cold fetch that can keep a request waiting for minutes while the
/// proxy downloads the module from upstream or clones it from VCS.
/// </summary>
/// <remarks>
/// <para>
/// <c>nginx</c> means ingress-nginx (github.com/kubernetes/ingress-nginx), whose annotations are
/// <c>nginx.ingress.kubernetes.io/*</c> (docs/user-guide/nginx-configuration/annotations.md).
/// </para>
/// <para>
/// <c>haproxy</c> means the HAProxy Kubernetes Ingress Controller of HAProxy Technologies
/// (github.com/haproxytech/kubernetes-ingress), whose annotations are <c>haproxy.org/*</c>
/// (documentation/annotations.md). It is HAProxy's own controller, and its Helm chart names its IngressClass
/// <c>haproxy</c>, the class name we write. jcmoraisjr/haproxy-ingress (<c>haproxy-ingress.github.io/*</c>) also
/// defaults to a class named <c>haproxy</c>; its users can set its keys through <c>spec.ingress.annotations</c>.
/// </para>
/// </remarks>
public static class IngressBuilder
{
    /// <summary>
    /// How long the controller waits on the proxy. A cold zip is fetched from upstream (or cloned and zipped from VCS)
    /// before its first byte is sent, which for a large module takes minutes; the controllers' defaults (60 s for
    /// ingress-nginx, 50 s for HAProxy) would cut those requests with a 504 that cmd/go reports as a failed download.
    /// </summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromMinutes(10);

    public const string NginxBodySize = "nginx.ingress.kubernetes.io/proxy-body-size";

    public const string NginxConnectTimeout = "nginx.ingress.kubernetes.io/proxy-connect-timeout";

    public const string NginxReadTimeout = "nginx.ingress.kubernetes.io/proxy-read-timeout";

    public const string NginxSendTimeout = "nginx.ingress.kubernetes.io/proxy-send-timeout";

    public const string NginxBuffering = "nginx.ingress.kubernetes.io/proxy-buffering";

    public const string NginxRequestBuffering = "nginx.ingress.kubernetes.io/proxy-request-buffering";

    public const string HaproxyServerTimeout = "haproxy.org/timeout-server";

    /// <returns>The Ingress, or null unless <c>spec.ingress.enabled</c>.</returns>
    /// <exception cref="ArgumentException">enabled without a host, which the schema refuses.</exception>
    public static V1Ingress? Build(GoModuleProxy proxy)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        var ingress = proxy.Spec.Ingress;
        if (ingress?.Enabled != true)
        {
            return null;
        }

        // Without a host the rule would match every host the controller serves: refuse rather than take them all.
        var host = ingress.Host is { Length: > 0 } h ? h : throw new ArgumentException("spec.ingress.host is required when the ingress is enabled", nameof(proxy));
        var name = Ownership.ProxyName(proxy);
        var controller = ingress.ClassName ?? IngressClass.Nginx;
        return new V1Ingress
        {
            ApiVersion = Ownership.ApiVersion(V1Ingress.KubeGroup, V1Ingress.KubeApiVersion),
            Kind = V1Ingress.KubeKind,
            Metadata = Ownership.Metadata(proxy, Names.Ingress(name), Annotations(controller, ingress.Annotations)),
            Spec = new V1IngressSpec
            {
                IngressClassName = ClassName(controller),
                Rules =
                [
                    new V1IngressRule
                    {
                        Host = host,
                        Http = new V1HTTPIngressRuleValue
                        {
                            Paths =
                            [
                                new V1HTTPIngressPath
                                {
                                    Path = "/",
                                    PathType = "Prefix",
                                    Backend = new V1IngressBackend
                                    {
                                        Service = new V1IngressServiceBackend
                                        {
                                            Name = Names.Service(name),
                                            // By name, so that changing spec.service.port does not have to change the Ingress.
                                            Port = new V1ServiceBackendPort { Name = ProxyContainer.PortName },
                                        },
                                    },
                                },
                            ],
                        },
                    },
                ],
                Tls = ingress.Tls?.SecretName is { Length: > 0 } secretName
                    ? [new V1IngressTLS { Hosts = [host], SecretName = secretName }]
                    : null,
            },
        };
    }

    /// <summary>The IngressClass names the controllers' own charts create.</summary>
    public static string ClassName(IngressClass controller) => controller switch
    {
        IngressClass.Nginx => "nginx",
        IngressClass.Haproxy => "haproxy",
        _ => throw new ArgumentOutOfRangeException(nameof(controller), controller, "an ingress class the operator does not know"),
    };

    /// <summary>The controller's annotations for module traffic, with the user's on top: theirs win.</summary>
    internal static Dictionary<string, string> Annotations(IngressClass controller, IDictionary<string, string>? userAnnotations)
    {
        var annotations = controller switch
        {
            IngressClass.Nginx => NginxAnnotations(),
            IngressClass.Haproxy => HaproxyAnnotations(),
            _ => throw new ArgumentOutOfRangeException(nameof(controller), controller, "an ingress class the operator does not know"),
        };
        foreach (var (key, value) in userAnnotations ?? new Dictionary<string, string>())
        {
            annotations[key] = value;
        }

        return annotations;
    }

    /// <summary>
    /// ingress-nginx: timeouts are unitless seconds, and the buffering switches take <c>"on"</c>/<c>"off"</c>
    /// (https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#custom-timeouts).
    /// </summary>
    private static Dictionary<string, string> NginxAnnotations()
    {
        var readSeconds = ((int)ReadTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // client_max_body_size, 1m by default, bounds request bodies. Sized to the largest module zip cmd/go
            // accepts (500 MiB, golang.org/x/mod/zip MaxZipFile) rather than unlimited, so a zip always fits and
            // nothing larger is streamed into the proxy.
            [NginxBodySize] = "512m",
            // A pod in the cluster answers a connect at once; failing fast lets nginx try the next endpoint.
            [NginxConnectTimeout] = "10",
            [NginxReadTimeout] = readSeconds,
            [NginxSendTimeout] = readSeconds,
            // Stream zips through instead of spooling them to the controller's disk first (proxy_max_temp_file_size,
            // 1 GiB by default, would otherwise hold whole zips there and delay the first byte). Off is ingress-nginx's
            // default, but a cluster's ConfigMap may turn it on for everything.
            [NginxBuffering] = "off",
            [NginxRequestBuffering] = "off",
        };
    }

    /// <summary>
    /// haproxytech/kubernetes-ingress: HAProxy neither limits body sizes nor buffers bodies unless told to, so only the
    /// server timeout needs raising. It takes HAProxy's time format (a number with a unit) and is one of the few
    /// timeouts the controller reads from an Ingress: timeout-client and timeout-connect are ConfigMap-only.
    /// </summary>
    private static Dictionary<string, string> HaproxyAnnotations() => new(StringComparer.Ordinal)
    {
        [HaproxyServerTimeout] = ((int)ReadTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s",
    };
}
