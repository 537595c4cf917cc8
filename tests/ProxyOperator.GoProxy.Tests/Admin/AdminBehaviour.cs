using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ProxyOperator.GoProxy.Configuration;
using ProxyOperator.GoProxy.Storage;
using ProxyOperator.GoProxy.Tests.Eviction;
using ProxyOperator.Testing;
using static ProxyOperator.GoProxy.Tests.Eviction.EvictionModules;

namespace ProxyOperator.GoProxy.Tests.Admin;

/// <summary>The admin API over HTTP, for any backend: a backend's class says how to write its <c>storage</c> section.</summary>
public abstract class AdminBehaviour(EvictionModules modules) : IDisposable
{
    private const string Token = "s3cr3t-admin-token";
    private readonly TempDirectory _secrets = TempDirectory.Create("goproxy-admin-");

    /// <summary>The backend's <c>storage:</c> YAML section (empty for the disk default).</summary>
    protected abstract string StorageSection { get; }

    public void Dispose()
    {
        _secrets.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<StoreRig> StartAsync(bool enabled = true)
    {
        var tokenFile = Path.Combine(_secrets.Path, "token");
        // A trailing newline, as `kubectl create secret --from-file` keeps it.
        await File.WriteAllTextAsync(tokenFile, Token + "\n");
        return await StoreRig.StartAsync(modules.Fixture, StorageSection, enabled ? $"admin:\n  tokenFile: \"{tokenFile}\"\n" : "");
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string? token = Token)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    private static async Task FetchAsync(StoreRig rig, string module, string version)
    {
        foreach (var ext in new[] { "info", "mod", "zip" })
        {
            using var response = await rig.Client.GetAsync($"{module}/@v/{version}.{ext}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private long StoredBytes(string module, string version) =>
        new[] { ".info", ".mod", ".zip" }.Sum(ext => new FileInfo(modules.Fixture.ArtifactPath(module, version, ext)).Length);

    [Fact]
    public async Task Lists_cached_modules_with_versions_sizes_and_last_access()
    {
        await using var rig = await StartAsync();
        await FetchAsync(rig, SmallA, "v1.1.0");
        await FetchAsync(rig, SmallA, "v1.0.0");
        await FetchAsync(rig, SmallB, "v0.1.0");

        using var response = await rig.Client.SendAsync(Request(HttpMethod.Get, "_admin/modules"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = doc.RootElement;
        Assert.Equal(2, root.GetProperty("modules").GetInt32());
        Assert.Equal(3, root.GetProperty("versions").GetInt32());
        var items = root.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([SmallA, SmallB], items.Select(i => i.GetProperty("path").GetString()));
        var a = items[0];
        Assert.Equal(["v1.0.0", "v1.1.0"], a.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetString()));
        Assert.Equal(StoredBytes(SmallA, "v1.0.0"), a.GetProperty("versions")[0].GetProperty("bytes").GetInt64());
        Assert.Equal(StoredBytes(SmallA, "v1.0.0") + StoredBytes(SmallA, "v1.1.0"), a.GetProperty("bytes").GetInt64());
        Assert.True(a.GetProperty("versions")[0].GetProperty("lastAccess").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task Purged_version_is_fetched_again_from_the_upstream()
    {
        await using var rig = await StartAsync();
        await FetchAsync(rig, SmallA, "v1.0.0");
        await FetchAsync(rig, SmallA, "v1.1.0");

        using var purge = await rig.Client.SendAsync(Request(HttpMethod.Delete, $"_admin/modules/{SmallA}/@v/v1.0.0"));
        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        using (var doc = JsonDocument.Parse(await purge.Content.ReadAsStringAsync()))
        {
            Assert.Equal(StoredBytes(SmallA, "v1.0.0"), doc.RootElement.GetProperty("removedBytes").GetInt64());
        }

        Assert.False(await rig.IsStoredAsync(SmallA, ArtifactKind.Zip, "v1.0.0"));
        Assert.True(await rig.IsStoredAsync(SmallA, ArtifactKind.Zip, "v1.1.0"));
        await FetchAsync(rig, SmallA, "v1.0.0");
        Assert.Equal(2, rig.Upstream.RequestCount($"/{SmallA}/@v/v1.0.0.zip"));
        Assert.Equal(1, rig.Upstream.RequestCount($"/{SmallA}/@v/v1.1.0.zip"));

        using var again = await rig.Client.SendAsync(Request(HttpMethod.Delete, $"_admin/modules/{SmallA}/@v/v1.0.0"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        using var gone = await rig.Client.SendAsync(Request(HttpMethod.Delete, $"_admin/modules/{SmallA}/@v/v1.0.0"));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Purged_module_loses_every_version_and_other_modules_stay()
    {
        await using var rig = await StartAsync();
        await FetchAsync(rig, SmallA, "v1.0.0");
        await FetchAsync(rig, SmallA, "v1.1.0");
        await FetchAsync(rig, SmallB, "v0.1.0");

        using var purge = await rig.Client.SendAsync(Request(HttpMethod.Delete, $"_admin/modules/{SmallA}"));
        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);

        Assert.False(await rig.IsStoredAsync(SmallA, ArtifactKind.Info, "v1.0.0"));
        Assert.False(await rig.IsStoredAsync(SmallA, ArtifactKind.Mod, "v1.1.0"));
        Assert.True(await rig.IsStoredAsync(SmallB, ArtifactKind.Zip, "v0.1.0"));
        using var again = await rig.Client.SendAsync(Request(HttpMethod.Delete, $"_admin/modules/{SmallA}"));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    [InlineData(Token + "x")]
    public async Task Missing_or_wrong_token_is_401_with_a_bearer_challenge(string? token)
    {
        await using var rig = await StartAsync();
        await FetchAsync(rig, SmallB, "v0.1.0");
        foreach (var (method, path) in new[] { (HttpMethod.Get, "_admin/modules"), (HttpMethod.Delete, $"_admin/modules/{SmallB}") })
        {
            using var response = await rig.Client.SendAsync(Request(method, path, token));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }

        Assert.True(await rig.IsStoredAsync(SmallB, ArtifactKind.Zip, "v0.1.0"));
    }

    [Fact]
    public async Task Admin_routes_are_404_without_a_token_file()
    {
        await using var rig = await StartAsync(enabled: false);
        await FetchAsync(rig, SmallB, "v0.1.0");
        using var list = await rig.Client.SendAsync(Request(HttpMethod.Get, "_admin/modules"));
        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        using var purge = await rig.Client.SendAsync(Request(HttpMethod.Delete, $"_admin/modules/{SmallB}"));
        Assert.Equal(HttpStatusCode.NotFound, purge.StatusCode);
        Assert.True(await rig.IsStoredAsync(SmallB, ArtifactKind.Zip, "v0.1.0"));
    }

    [Theory]
    [InlineData("_admin/modules/Example.com/x")]
    [InlineData("_admin/modules/nodot/x")]
    [InlineData("_admin/modules/example.com/admin/a/@v/latest")]
    [InlineData("_admin/modules/example.com/admin/a/@v/v1.0")]
    [InlineData("_admin/modules/example.com/admin/a/@v/v2.0.0")]
    public async Task Invalid_module_path_or_version_is_400_with_one_line(string path)
    {
        await using var rig = await StartAsync();
        using var response = await rig.Client.SendAsync(Request(HttpMethod.Delete, path));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Single(body.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Purge_of_what_is_not_cached_is_404()
    {
        await using var rig = await StartAsync();
        using var version = await rig.Client.SendAsync(Request(HttpMethod.Delete, $"_admin/modules/{SmallA}/@v/v1.0.0"));
        Assert.Equal(HttpStatusCode.NotFound, version.StatusCode);
        using var module = await rig.Client.SendAsync(Request(HttpMethod.Delete, $"_admin/modules/{SmallA}"));
        Assert.Equal(HttpStatusCode.NotFound, module.StatusCode);
    }

    [Fact]
    public async Task Unreadable_token_file_stops_the_proxy_at_start()
    {
        var missing = Path.Combine(_secrets.Path, "absent");
        var error = await Assert.ThrowsAsync<ProxyConfigurationException>(() =>
            StoreRig.StartAsync(modules.Fixture, StorageSection, $"admin:\n  tokenFile: \"{missing}\"\n"));
        Assert.Contains("admin.tokenFile", error.Message, StringComparison.Ordinal);
    }
}

public sealed class DiskAdminTests(EvictionModules modules) : AdminBehaviour(modules), IClassFixture<EvictionModules>
{
    protected override string StorageSection => "";
}
