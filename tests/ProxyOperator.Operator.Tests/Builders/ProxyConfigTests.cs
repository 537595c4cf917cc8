using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Builders;

namespace ProxyOperator.Operator.Tests.Builders;

public sealed class ProxyConfigTests
{
    public static TheoryData<string[], FallBack?[], string> Chains => new()
    {
        { [], [], "https://proxy.golang.org" },
        { ["https://a.example"], [FallBack.OnAnyError], "https://a.example" },
        { ["https://a.example", "https://b.example"], [null, null], "https://a.example,https://b.example" },
        { ["https://a.example", "https://b.example"], [FallBack.OnNotFound, null], "https://a.example,https://b.example" },
        { ["https://a.example", "https://b.example"], [FallBack.OnAnyError, null], "https://a.example|https://b.example" },
        { ["https://a.example", "https://b.example", "https://c.example"], [FallBack.OnAnyError, FallBack.OnNotFound, FallBack.OnAnyError], "https://a.example|https://b.example,https://c.example" },
    };

    [Theory]
    [MemberData(nameof(Chains))]
    public void The_upstream_chain_puts_each_entrys_fall_back_separator_after_it(string[] urls, FallBack?[] fallBacks, string expected)
    {
        var upstreams = urls.Select((url, i) => new UpstreamSpec { Url = url, FallBack = fallBacks[i] }).ToList();

        Assert.Equal(expected, ProxyConfig.UpstreamChain(upstreams));
        Assert.Contains($"upstream: '{expected}'\n", ProxyConfig.Build(new GoModuleProxySpec { Upstreams = upstreams }).Yaml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("90s", "00:01:30")]
    [InlineData("5m", "00:05:00")]
    [InlineData("1h30m", "01:30:00")]
    [InlineData("1.5h", "01:30:00")]
    [InlineData("250ms", "00:00:00.2500000")]
    [InlineData("1m30s500ms", "00:01:30.5000000")]
    [InlineData("36h", "1.12:00:00")]
    [InlineData("0s", "00:00:00")]
    public void Go_durations_become_dotnet_time_spans(string goDuration, string timeSpan)
    {
        Assert.Equal(timeSpan, GoDuration.ToTimeSpanText(goDuration));
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("m")]
    [InlineData("5d")]
    [InlineData("-5m")]
    public void Text_that_is_not_a_go_duration_is_refused(string text)
    {
        Assert.Throws<FormatException>(() => GoDuration.Parse(text));
    }

    [Fact]
    public void A_full_spec_gives_the_whole_configuration_file()
    {
        var yaml = ProxyConfig.Build(Proxies.Full()).Yaml;

        Assert.Equal(
            """
            # Written by proxy-operator from the GoModuleProxy spec; edits here are overwritten.
            listen: '0.0.0.0:3000'
            storageDir: '/var/cache/goproxy'
            upstream: 'https://proxy.golang.org|https://goproxy.example'
            offline: false
            logFormat: 'json'
            cache:
              listTtl: '00:01:30'
              notFoundTtl: '01:30:00'
              staleIfError: false
            storage:
              type: 'disk'
            lock:
              type: 'none'
            sumdb:
              name: 'sum.golang.org'
              url: 'https://sum.golang.org'
              proxy: true
              verify: true

            """.ReplaceLineEndings("\n"),
            yaml);
    }

    [Fact]
    public void Every_option_the_proxy_knows_is_written_and_points_at_the_mounted_secret_files()
    {
        var yaml = ProxyConfig.Build(Proxies.Everything(), "team/goproxy").Yaml;

        Assert.EndsWith(
            """
            storage:
              type: 's3'
              maxSize: '40Gi'
              s3:
                bucket: 'modules'
                prefix: 'team/'
                endpoint: 'http://minio.storage:9000'
                region: 'eu-west-1'
                forcePathStyle: true
                accessKeyIdFile: '/var/run/secrets/goproxy/s3/accessKeyId'
                secretAccessKeyFile: '/var/run/secrets/goproxy/s3/secretAccessKey'
            lock:
              type: 'redis'
              redis:
                address: 'redis.cache:6379'
                keyPrefix: 'goproxy:team/goproxy:'
                passwordFile: '/var/run/secrets/goproxy/redis/password'
            auth:
              type: 'basic'
              usersFile: '/var/run/secrets/goproxy/auth/users'
            privateModules:
              modules:
                - pattern: 'git.corp.example/*'
                  credentialsDir: '/var/run/secrets/goproxy/vcs/corp-git'
            filters:
              deny:
                - 'github.com/evil/*'
                - 'example.com/lib@<v1.2.3'
            sumdb:
              name: 'sum.golang.org'
              url: 'https://sum.golang.org'
              proxy: true
              verify: true
            admin:
              tokenFile: '/var/run/secrets/goproxy/admin/token'

            """.ReplaceLineEndings("\n"),
            yaml);
        var mounts = SecretMounts.For(Proxies.Everything()).Select(m => m.Path).ToList();
        Assert.Contains("/var/run/secrets/goproxy/s3", mounts);
        Assert.Contains("/var/run/secrets/goproxy/redis", mounts);
        Assert.Contains("/var/run/secrets/goproxy/admin", mounts);
    }

    [Fact]
    public void An_empty_spec_gets_the_schema_defaults()
    {
        var yaml = ProxyConfig.Build(new GoModuleProxySpec()).Yaml;

        Assert.Contains("upstream: 'https://proxy.golang.org'\n", yaml, StringComparison.Ordinal);
        Assert.Contains("offline: false\n", yaml, StringComparison.Ordinal);
        Assert.Contains("  listTtl: '00:05:00'\n", yaml, StringComparison.Ordinal);
        Assert.Contains("  notFoundTtl: '00:01:00'\n", yaml, StringComparison.Ordinal);
        Assert.Contains("  staleIfError: true\n", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Offline_mode_turns_the_proxy_offline()
    {
        Assert.Contains("offline: true\n", ProxyConfig.Build(new GoModuleProxySpec { Mode = ProxyMode.Offline }).Yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void A_quote_in_an_upstream_url_cannot_end_the_yaml_string()
    {
        var yaml = ProxyConfig.Build(new GoModuleProxySpec { Upstreams = [new UpstreamSpec { Url = "https://a.example/it's" }] }).Yaml;

        Assert.Contains("upstream: 'https://a.example/it''s'\n", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void The_hash_is_the_same_for_the_same_spec()
    {
        Assert.Equal(ProxyConfig.Build(Proxies.Full()).Hash, ProxyConfig.Build(Proxies.Full()).Hash);
        Assert.Matches("^[0-9a-f]{64}$", ProxyConfig.Build(Proxies.Full()).Hash);
    }

    public static TheoryData<string> ConfigChanges => new() { "upstream", "fallBack", "listTtl", "notFoundTtl", "staleIfError", "mode" };

    [Theory]
    [MemberData(nameof(ConfigChanges))]
    public void The_hash_changes_when_the_configuration_changes(string change)
    {
        var spec = Proxies.Full();
        Action apply = change switch
        {
            "upstream" => () => spec.Upstreams![1].Url = "https://other.example",
            "fallBack" => () => spec.Upstreams![0].FallBack = FallBack.OnNotFound,
            "listTtl" => () => spec.Cache!.ListTtl = "2m",
            "notFoundTtl" => () => spec.Cache!.NotFoundTtl = "30s",
            "staleIfError" => () => spec.Cache!.StaleIfError = true,
            "mode" => () => spec.Mode = ProxyMode.Offline,
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
        var before = ProxyConfig.Build(spec).Hash;

        apply();

        Assert.NotEqual(before, ProxyConfig.Build(spec).Hash);
    }

    public static TheoryData<string> OtherChanges => new() { "replicas", "image", "service", "resources", "podAnnotations", "storageSize", "equivalentDuration" };

    [Theory]
    [MemberData(nameof(OtherChanges))]
    public void The_hash_stays_when_only_settings_outside_the_configuration_change(string change)
    {
        var spec = Proxies.Full();
        Action apply = change switch
        {
            "replicas" => () => spec.Replicas = 7,
            "image" => () => spec.Image!.Tag = "0.2.0",
            "service" => () => spec.Service!.Port = 9090,
            "resources" => () => spec.Resources = null,
            "podAnnotations" => () => spec.PodAnnotations!["team"] = "other",
            "storageSize" => () => spec.Storage!.Disk!.Size = new k8s.Models.ResourceQuantity("100Gi"),
            // The same lifetime spelt differently is the same configuration.
            "equivalentDuration" => () => spec.Cache!.ListTtl = "1m30s",
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
        var before = ProxyConfig.Build(spec).Hash;

        apply();

        Assert.Equal(before, ProxyConfig.Build(spec).Hash);
    }
}
