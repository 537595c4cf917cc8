using ProxyOperator.GoProxy.Configuration;

namespace ProxyOperator.GoProxy.Tests.Configuration;

public sealed class ConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("goproxy-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Flags_set_listen_storage_upstream_and_offline()
    {
        var line = CommandLine.Parse(["--listen", "127.0.0.1:4000", "--storage-dir=/srv/cache", "--upstream", "https://a.example|https://b.example", "--offline"]);
        Assert.Equal("127.0.0.1:4000", line.Values["Listen"]);
        Assert.Equal("/srv/cache", line.Values["StorageDir"]);
        Assert.Equal("https://a.example|https://b.example", line.Values["Upstream"]);
        Assert.Equal("true", line.Values["Offline"]);
    }

    [Theory]
    [InlineData("--listen")]
    [InlineData("--unknown-flag")]
    [InlineData("--offline=perhaps")]
    [InlineData("stray")]
    public void Malformed_flags_are_refused(string arg)
    {
        Assert.Throws<ProxyConfigurationException>(() => CommandLine.Parse([arg]));
    }

    [Fact]
    public async Task Yaml_file_is_read_and_flags_override_it()
    {
        var file = Path.Combine(_dir, "proxy.yaml");
        await File.WriteAllTextAsync(file, """
            listen: 127.0.0.1:0
            storageDir: from-yaml
            upstream: https://yaml.example
            cache:
              listTtl: "00:05:00"
            upstreamClient:
              maxRetries: 3
            """);
        await using var app = ProxyApplication.Build(["--config", file, "--storage-dir", Path.Combine(_dir, "store")]);
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ProxyOptions>>().Value;
        Assert.Equal(Path.Combine(_dir, "store"), options.StorageDir);
        Assert.Equal("https://yaml.example", options.Upstream);
        Assert.Equal(TimeSpan.FromMinutes(5), options.Cache.ListTtl);
        Assert.Equal(3, options.UpstreamClient.MaxRetries);
    }

    [Theory]
    [InlineData("--upstream", "ftp://nowhere.example", "not an http or https URL")]
    [InlineData("--upstream", "direct", "direct")]
    [InlineData("--listen", "nowhere", "HOST:PORT")]
    [InlineData("--listen", "127.0.0.1:99999", "invalid port")]
    [InlineData("--log-format", "xml", "logFormat")]
    [InlineData("--config", "/nonexistent/proxy.yaml", "does not exist")]
    public async Task Bad_configuration_exits_non_zero_with_one_clear_message(string flag, string value, string expected)
    {
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        int code;
        try
        {
            code = await Program.Main([flag, value, "--storage-dir", Path.Combine(_dir, "store")]);
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Equal(2, code);
        var message = error.ToString().TrimEnd();
        Assert.StartsWith("goproxy: ", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public async Task Bad_value_in_yaml_names_the_problem()
    {
        var file = Path.Combine(_dir, "bad.yaml");
        await File.WriteAllTextAsync(file, "upstreamClient:\n  maxRetries: 1000\n");
        var e = Assert.Throws<ProxyConfigurationException>(() => ProxyApplication.Build(["--config", file]));
        Assert.Contains("MaxRetries", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("listen: [1,2\n", "cannot be read")]
    [InlineData("cache:\n  lisTtl: \"00:05:00\"\n", "lisTtl")]
    [InlineData("unknownKey: 1\n", "unknownKey")]
    public async Task Malformed_or_misspelt_yaml_is_refused_at_start_up(string yaml, string expected)
    {
        var file = Path.Combine(_dir, "typo.yaml");
        await File.WriteAllTextAsync(file, yaml);
        var e = Assert.Throws<ProxyConfigurationException>(() => ProxyApplication.Build(["--config", file, "--storage-dir", Path.Combine(_dir, "store")]));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task Storage_dir_that_is_a_file_is_refused_at_start_up()
    {
        var file = Path.Combine(_dir, "not-a-folder");
        await File.WriteAllTextAsync(file, "x");
        var e = Assert.Throws<ProxyConfigurationException>(() => ProxyApplication.Build(["--storage-dir", file]));
        Assert.Contains("cannot be used", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listen_address_in_use_exits_with_status_1()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var code = await Program.Main(["--listen", $"127.0.0.1:{port}", "--storage-dir", Path.Combine(_dir, "store"), "--offline"]);
        Assert.Equal(1, code);
    }
}
