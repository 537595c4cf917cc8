using Microsoft.Extensions.DependencyInjection;
using ProxyOperator.GoProxy.Configuration;
using ProxyOperator.GoProxy.Storage;
using ProxyOperator.Testing;

namespace ProxyOperator.GoProxy.Tests.Configuration;

public sealed class StorageConfigurationTests : IDisposable
{
    private readonly TempDirectory _dir = TempDirectory.Create("goproxy-storage-config-");

    public void Dispose() => _dir.Dispose();

    private ProxyConfigurationException Refused(string yaml)
    {
        var file = Path.Combine(_dir.Path, "config.yaml");
        File.WriteAllText(file, yaml);
        var e = Assert.Throws<ProxyConfigurationException>(() => ProxyApplication.Build(["--config", file, "--storage-dir", Path.Combine(_dir.Path, "store")]));
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    [Fact]
    public void S3_storage_without_a_bucket_is_refused_at_start_up()
    {
        var e = Refused("storage:\n  type: s3\n");
        Assert.Contains("storage.s3.bucket is required when storage.type is s3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Credential_file_that_does_not_exist_is_refused_with_its_name()
    {
        var missing = Path.Combine(_dir.Path, "nope", "accessKeyId");
        var secret = Path.Combine(_dir.Path, "secretAccessKey");
        File.WriteAllText(secret, "s3cr3t\n");
        var e = Refused($"storage:\n  type: S3\n  s3:\n    bucket: b\n    accessKeyIdFile: {missing}\n    secretAccessKeyFile: {secret}\n");
        Assert.Contains($"storage.s3.accessKeyIdFile \"{missing}\" cannot be read", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_credential_file_and_a_lone_credential_file_are_refused()
    {
        var empty = Path.Combine(_dir.Path, "accessKeyId");
        File.WriteAllText(empty, "\n");
        var e = Refused($"storage:\n  type: s3\n  s3:\n    bucket: b\n    accessKeyIdFile: {empty}\n");
        Assert.Contains("set both or neither", e.Message, StringComparison.Ordinal);
        Assert.Contains("the file is empty", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("storage:\n  type: ftp\n", "type")]
    [InlineData("storage:\n  type: s3\n  s3:\n    bucket: b\n    endpoint: \"localhost:9000\"\n", "must be an http:// or https:// URL")]
    [InlineData("storage:\n  s3:\n    buckett: b\n", "buckett")]
    public void Bad_storage_values_are_refused(string yaml, string expected)
    {
        Assert.Contains(expected, Refused(yaml).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Disk_stays_the_default_and_storage_dir_keeps_working()
    {
        var file = Path.Combine(_dir.Path, "config.yaml");
        File.WriteAllText(file, $"storageDir: {Path.Combine(_dir.Path, "from-yaml")}\nstorage:\n  type: disk\n");
        var app = ProxyApplication.Build(["--config", file]);
        Assert.Equal("disk", app.Services.GetRequiredService<IModuleStore>().Kind);
        Assert.True(Directory.Exists(Path.Combine(_dir.Path, "from-yaml")));
    }
}
