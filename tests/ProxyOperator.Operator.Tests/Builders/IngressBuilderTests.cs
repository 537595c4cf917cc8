using k8s.Models;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Builders;

namespace ProxyOperator.Operator.Tests.Builders;

public sealed class IngressBuilderTests
{
    private static readonly Dictionary<string, string> NginxOwn = new()
    {
        ["nginx.ingress.kubernetes.io/proxy-body-size"] = "512m",
        ["nginx.ingress.kubernetes.io/proxy-connect-timeout"] = "10",
        ["nginx.ingress.kubernetes.io/proxy-read-timeout"] = "600",
        ["nginx.ingress.kubernetes.io/proxy-send-timeout"] = "600",
        ["nginx.ingress.kubernetes.io/proxy-buffering"] = "off",
        ["nginx.ingress.kubernetes.io/proxy-request-buffering"] = "off",
    };

    private static readonly Dictionary<string, string> HaproxyOwn = new()
    {
        ["haproxy.org/timeout-server"] = "600s",
    };

    public static TheoryData<IngressSpec?> Disabled => new()
    {
        null,
        new IngressSpec { Host = "goproxy.example" },
        new IngressSpec { Enabled = false, Host = "goproxy.example", ClassName = IngressClass.Haproxy },
    };

    public static TheoryData<IngressClass, bool> ClassesWithAndWithoutTls => new()
    {
        { IngressClass.Nginx, false },
        { IngressClass.Nginx, true },
        { IngressClass.Haproxy, false },
        { IngressClass.Haproxy, true },
    };

    [Theory]
    [MemberData(nameof(Disabled))]
    public void There_is_no_ingress_unless_it_is_enabled(IngressSpec? ingress)
    {
        Assert.Null(IngressBuilder.Build(Proxies.With(s => s.Ingress = ingress)));
    }

    [Fact]
    public void An_enabled_ingress_sends_every_path_of_its_host_to_the_proxy_services_named_port()
    {
        var proxy = Proxies.With(s =>
        {
            s.Service = new ServiceSpec { Port = 8080 };
            s.Ingress = new IngressSpec { Enabled = true, Host = "goproxy.example" };
        });

        var ingress = IngressBuilder.Build(proxy)!;

        Assert.Equal(("networking.k8s.io/v1", "Ingress"), (ingress.ApiVersion, ingress.Kind));
        var rule = Assert.Single(ingress.Spec.Rules);
        Assert.Equal("goproxy.example", rule.Host);
        var path = Assert.Single(rule.Http.Paths);
        Assert.Equal(("/", "Prefix"), (path.Path, path.PathType));
        var service = ServiceBuilder.Build(proxy);
        Assert.Equal(service.Metadata.Name, path.Backend.Service.Name);
        Assert.Equal(Assert.Single(service.Spec.Ports).Name, path.Backend.Service.Port.Name);
        Assert.Null(path.Backend.Service.Port.Number);
    }

    [Theory]
    [InlineData(null, "nginx")]
    [InlineData(IngressClass.Nginx, "nginx")]
    [InlineData(IngressClass.Haproxy, "haproxy")]
    public void The_ingress_class_names_the_chosen_controller_and_defaults_to_nginx(IngressClass? className, string expected)
    {
        var ingress = IngressBuilder.Build(Proxies.With(s => s.Ingress = new IngressSpec { Enabled = true, ClassName = className, Host = "goproxy.example" }))!;

        Assert.Equal(expected, ingress.Spec.IngressClassName);
    }

    [Fact]
    public void Nginx_gets_ingress_nginx_annotations_for_large_zips_slow_fetches_and_unbuffered_streaming()
    {
        var ingress = IngressBuilder.Build(Proxies.With(s => s.Ingress = new IngressSpec { Enabled = true, ClassName = IngressClass.Nginx, Host = "goproxy.example" }))!;

        Assert.Equal(NginxOwn, ingress.Metadata.Annotations);
    }

    [Fact]
    public void Haproxy_gets_only_the_haproxytech_server_timeout_for_slow_fetches()
    {
        var ingress = IngressBuilder.Build(Proxies.With(s => s.Ingress = new IngressSpec { Enabled = true, ClassName = IngressClass.Haproxy, Host = "goproxy.example" }))!;

        Assert.Equal(HaproxyOwn, ingress.Metadata.Annotations);
    }

    [Theory]
    [MemberData(nameof(ClassesWithAndWithoutTls))]
    public void Tls_covers_the_host_with_the_named_secret_only_when_one_is_set(IngressClass className, bool tls)
    {
        var ingress = IngressBuilder.Build(Proxies.With(s => s.Ingress = new IngressSpec
        {
            Enabled = true,
            ClassName = className,
            Host = "goproxy.example",
            Tls = tls ? new IngressTlsSpec { SecretName = "goproxy-tls" } : null,
        }))!;

        if (tls)
        {
            var entry = Assert.Single(ingress.Spec.Tls);
            Assert.Equal(("goproxy-tls", "goproxy.example"), (entry.SecretName, Assert.Single(entry.Hosts)));
        }
        else
        {
            Assert.Null(ingress.Spec.Tls);
        }
    }

    [Theory]
    [InlineData(IngressClass.Nginx, "nginx.ingress.kubernetes.io/proxy-read-timeout")]
    [InlineData(IngressClass.Haproxy, "haproxy.org/timeout-server")]
    public void User_annotations_are_added_and_win_over_the_controllers_own(IngressClass className, string ownKey)
    {
        var ingress = IngressBuilder.Build(Proxies.With(s => s.Ingress = new IngressSpec
        {
            Enabled = true,
            ClassName = className,
            Host = "goproxy.example",
            Annotations = new Dictionary<string, string> { [ownKey] = "3600", ["cert-manager.io/cluster-issuer"] = "letsencrypt" },
        }))!;

        var expected = new Dictionary<string, string>(className == IngressClass.Nginx ? NginxOwn : HaproxyOwn)
        {
            [ownKey] = "3600",
            ["cert-manager.io/cluster-issuer"] = "letsencrypt",
        };
        Assert.Equal(expected, ingress.Metadata.Annotations);
    }

    [Theory]
    [InlineData(IngressClass.Nginx)]
    [InlineData(IngressClass.Haproxy)]
    public void The_ingress_is_owned_by_the_proxy_and_carries_its_labels(IngressClass className)
    {
        var ingress = IngressBuilder.Build(Proxies.With(s => s.Ingress = new IngressSpec { Enabled = true, ClassName = className, Host = "goproxy.example" }))!;

        BuilderAssert.OwnedByTheProxy(ingress);
        Assert.Equal(Labels.For(Proxies.Name), ingress.Metadata.Labels);
    }

    [Fact]
    public void An_enabled_ingress_without_a_host_is_refused_rather_than_taking_every_host()
    {
        var proxy = Proxies.With(s => s.Ingress = new IngressSpec { Enabled = true });

        Assert.Throws<ArgumentException>(() => IngressBuilder.Build(proxy));
    }

    [Theory]
    [MemberData(nameof(ClassesWithAndWithoutTls))]
    public void The_ingress_serializes_to_json_that_reads_back_strictly(IngressClass className, bool tls)
    {
        var ingress = IngressBuilder.Build(Proxies.With(s => s.Ingress = new IngressSpec
        {
            Enabled = true,
            ClassName = className,
            Host = "goproxy.example",
            Tls = tls ? new IngressTlsSpec { SecretName = "goproxy-tls" } : null,
        }))!;

        var json = BuilderAssert.RoundTripsStrictly(ingress);

        Assert.Equal(["apiVersion", "kind", "metadata", "spec"], json.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(
            tls ? ["ingressClassName", "rules", "tls"] : ["ingressClassName", "rules"],
            json["spec"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("http", (string?)json["spec"]!["rules"]![0]!["http"]!["paths"]![0]!["backend"]!["service"]!["port"]!["name"]);
    }
}
