using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ProxyOperator.Testing;

namespace ProxyOperator.GoProxy.Tests.Http;

/// <summary>The protocol as seen over HTTP: status codes, headers, caching, failure handling against a real upstream server.</summary>
public sealed class ProtocolHttpTests(StandardModules modules) : IClassFixture<StandardModules>
{
    private ModuleFixture Fixture => modules.Fixture;

    [Fact]
    public async Task Info_mod_and_zip_carry_content_type_length_and_immutable_cache_headers()
    {
        await using var rig = await ProxyRig.StartAsync(Fixture);
        foreach (var (ext, type) in new[] { (".info", "application/json"), (".mod", "text/plain"), (".zip", "application/zip") })
        {
            using var response = await rig.Client.GetAsync($"example.com/lib/c/@v/v1.1.0{ext}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
            var expected = await File.ReadAllBytesAsync(Fixture.ArtifactPath("example.com/lib/c", "v1.1.0", ext));
            Assert.Equal(expected.Length, response.Content.Headers.ContentLength);
            Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
            Assert.Contains("immutable", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
            Assert.NotNull(response.Headers.ETag);
        }
    }

    [Fact]
    public async Task Info_json_has_the_requested_version_and_an_rfc3339_time()
    {
        await using var rig = await ProxyRig.StartAsync(Fixture);
        using var doc = JsonDocument.Parse(await rig.Client.GetStringAsync("example.com/lib/a/@v/v1.2.0.info"));
        Assert.Equal("v1.2.0", doc.RootElement.GetProperty("Version").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", doc.RootElement.GetProperty("Time").GetString());
    }

    [Fact]
    public async Task Head_answers_headers_of_the_artifact_without_a_body()
    {
        await using var rig = await ProxyRig.StartAsync(Fixture);
        var zip = await File.ReadAllBytesAsync(Fixture.ArtifactPath("example.com/lib/b", "v1.0.0", ".zip"));
        using var head = await rig.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "example.com/lib/b/@v/v1.0.0.zip"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(zip.Length, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Second_request_is_a_cache_hit_with_no_upstream_contact()
    {
        await using var rig = await ProxyRig.StartAsync(Fixture);
        await rig.Client.GetByteArrayAsync("example.com/lib/c/@v/v1.0.0.zip");
        await rig.Client.GetByteArrayAsync("example.com/lib/c/@v/v1.0.0.zip");
        Assert.Equal(1, rig.Upstream.RequestCount("/example.com/lib/c/@v/v1.0.0.zip"));
    }

    [Fact]
    public async Task Matching_etag_answers_304()
    {
        await using var rig = await ProxyRig.StartAsync(Fixture);
        using var first = await rig.Client.GetAsync("example.com/lib/c/@v/v1.0.0.mod");
        var request = new HttpRequestMessage(HttpMethod.Get, "example.com/lib/c/@v/v1.0.0.mod");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await rig.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task Case_encoded_module_is_fetched_and_stored_under_its_escaped_path()
    {
        await using var rig = await ProxyRig.StartAsync(Fixture);
        using var response = await rig.Client.GetAsync("example.com/%21upper/%21case/@v/v1.0.1.zip");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(File.Exists(Path.Combine(rig.StorageDir, "example.com", "!upper", "!case", "@v", "v1.0.1.zip")));
    }

    [Fact]
    public async Task Unknown_module_is_a_plain_text_404_that_is_remembered_briefly()
    {
        await using var rig = await ProxyRig.StartAsync(Fixture);
        for (var i = 0; i < 3; i++)
        {
            using var response = await rig.Client.GetAsync("example.com/does/not/exist/@v/list");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
            var body = await response.Content.ReadAsStringAsync();
            Assert.Single(body.TrimEnd('\n').Split('\n'));
        }

        Assert.Equal(1, rig.Upstream.RequestCount("/example.com/does/not/exist/@v/list"));
    }

    [Fact]
    public async Task List_is_cached_for_its_ttl()
    {
        await using var rig = await ProxyRig.StartAsync(Fixture);
        var first = await rig.Client.GetStringAsync("example.com/lib/c/@v/list");
        var second = await rig.Client.GetStringAsync("example.com/lib/c/@v/list");
        Assert.Equal(first, second);
        Assert.Contains("v1.0.0\n", first, StringComparison.Ordinal);
        Assert.Contains("v1.1.0\n", first, StringComparison.Ordinal);
        Assert.Equal(1, rig.Upstream.RequestCount("/example.com/lib/c/@v/list"));
    }

    [Fact]
    public async Task Expired_list_is_refetched_and_served_stale_when_the_upstream_fails()
    {
        await using var rig = await ProxyRig.StartAsync(Fixture, """
            cache:
              listTtl: "00:00:00"
            upstreamClient:
              maxRetries: 0
            """);
        var fresh = await rig.Client.GetStringAsync("example.com/lib/c/@v/list");
        rig.Upstream.Faults.Status("/@v/list", 503);
        using var stale = await rig.Client.GetAsync("example.com/lib/c/@v/list");
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal(fresh, await stale.Content.ReadAsStringAsync());
        Assert.Equal(2, rig.Upstream.RequestCount("/example.com/lib/c/@v/list"));
    }

    [Fact]
    public async Task Fifty_concurrent_requests_for_an_uncached_zip_fetch_it_upstream_once()
    {
        await using var rig = await ProxyRig.StartAsync(Fixture);
        // Slow the upstream down so that every request arrives while the first fetch is still running.
        rig.Upstream.Faults.Delay("/v1.2.0.zip", TimeSpan.FromMilliseconds(500));
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = rig.Proxy.BaseUrl };
        var bodies = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.GetByteArrayAsync("example.com/lib/a/@v/v1.2.0.zip")));

        Assert.Equal(1, rig.Upstream.RequestCount("/example.com/lib/a/@v/v1.2.0.zip"));
        var expected = await File.ReadAllBytesAsync(Fixture.ArtifactPath("example.com/lib/a", "v1.2.0", ".zip"));
        Assert.All(bodies, body => Assert.Equal(expected, body));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(403)]
    public async Task Upstream_error_is_a_502_with_a_reason_and_nothing_is_cached(int status)
    {
        await using var rig = await ProxyRig.StartAsync(Fixture);
        rig.Upstream.Faults.Status("/v1.0.0.zip", status);
        using var failed = await rig.Client.GetAsync("example.com/lib/b/@v/v1.0.0.zip");
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        var reason = await failed.Content.ReadAsStringAsync();
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), reason, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(rig.StorageDir, "example.com", "lib", "b", "@v", "v1.0.0.zip")));

        // Transient statuses are retried (maxRetries: 2 in tests); others are not.
        var expectedAttempts = status is 500 or 503 ? 3 : 1;
        Assert.Equal(expectedAttempts, rig.Upstream.RequestCount("/example.com/lib/b/@v/v1.0.0.zip"));

        rig.Upstream.Faults.Clear();
        using var recovered = await rig.Client.GetAsync("example.com/lib/b/@v/v1.0.0.zip");
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
    }

    [Fact]
    public async Task Upstream_that_does_not_answer_in_time_gives_a_504()
    {
        await using var rig = await ProxyRig.StartAsync(Fixture, """
            upstreamClient:
              maxRetries: 1
              initialBackoff: "00:00:00.010"
              maxBackoff: "00:00:00.010"
              metadataTimeout: "00:00:00.300"
            """);
        rig.Upstream.Faults.Delay("/v1.0.0.mod", TimeSpan.FromSeconds(30));
        using var response = await rig.Client.GetAsync("example.com/lib/c/@v/v1.0.0.mod");
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("did not answer", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        rig.Upstream.Faults.Clear();
        Assert.Equal(HttpStatusCode.OK, (await rig.Client.GetAsync("example.com/lib/c/@v/v1.0.0.mod")).StatusCode);
    }

    [Fact]
    public async Task Zip_cut_short_by_the_upstream_is_not_stored_and_a_later_request_succeeds()
    {
        await using var rig = await ProxyRig.StartAsync(Fixture);
        rig.Upstream.Faults.Truncate("/v1.0.0.zip", 100);
        using var failed = await rig.Client.GetAsync("example.com/lib/a/@v/v1.0.0.zip");
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Empty(Directory.EnumerateFiles(rig.StorageDir, "*.zip", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(rig.StorageDir, ".staging")));

        rig.Upstream.Faults.Clear();
        var body = await rig.Client.GetByteArrayAsync("example.com/lib/a/@v/v1.0.0.zip");
        Assert.Equal(await File.ReadAllBytesAsync(Fixture.ArtifactPath("example.com/lib/a", "v1.0.0", ".zip")), body);
    }

    [Fact]
    public async Task Offline_proxy_serves_what_is_stored_and_404s_the_rest_without_upstream_contact()
    {
        await using var online = await ProxyRig.StartAsync(Fixture);
        // The stored list is the upstream's: it names v1.1.0, which is never downloaded here.
        Assert.Contains("v1.1.0", await online.Client.GetStringAsync("example.com/lib/c/@v/list"), StringComparison.Ordinal);
        await online.Client.GetByteArrayAsync("example.com/lib/c/@v/v1.0.0.info");
        await online.Client.GetByteArrayAsync("example.com/lib/c/@v/v1.0.0.mod");
        await online.Client.GetByteArrayAsync("example.com/lib/c/@v/v1.0.0.zip");
        await online.Proxy.DisposeAsync();

        await using var offline = await TestProxy.StartAsync(online.StorageDir, "https://unused.invalid", offline: true);
        Assert.Equal(HttpStatusCode.OK, (await offline.Client.GetAsync("example.com/lib/c/@v/v1.0.0.zip")).StatusCode);
        Assert.Equal("v1.0.0\n", await offline.Client.GetStringAsync("example.com/lib/c/@v/list"));
        using var latest = JsonDocument.Parse(await offline.Client.GetStringAsync("example.com/lib/c/@latest"));
        Assert.Equal("v1.0.0", latest.RootElement.GetProperty("Version").GetString());
        using var missing = await offline.Client.GetAsync("example.com/lib/c/@v/v1.1.0.zip");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("offline", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Zip_that_breaks_module_zip_rules_is_refused_and_not_stored()
    {
        using var dir = TempDirectory.Create("goproxy-badzip-");
        var folder = Path.Combine(dir.Path, "example.com", "bad", "@v");
        Directory.CreateDirectory(folder);
        // A zip whose entry is outside the module's path@version/ prefix.
        using (var zip = System.IO.Compression.ZipFile.Open(Path.Combine(folder, "v1.0.0.zip"), System.IO.Compression.ZipArchiveMode.Create))
        {
            using var writer = new StreamWriter(zip.CreateEntry("example.com/other@v1.0.0/go.mod").Open());
            await writer.WriteAsync("module example.com/other\n");
        }

        await using var upstream = await FixtureServer.StartAsync(dir.Path, CancellationToken.None);
        await using var proxy = await TestProxy.StartAsync(Path.Combine(dir.Path, "..", $"store-{Guid.NewGuid():N}"), upstream.BaseUrl.ToString());
        using var response = await proxy.Client.GetAsync("example.com/bad/@v/v1.0.0.zip");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("invalid content", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(proxy.StorageDir, "*.zip", SearchOption.AllDirectories));
        Directory.Delete(proxy.StorageDir, recursive: true);
    }

    [Fact]
    public async Task Info_for_another_version_than_requested_is_refused()
    {
        using var dir = TempDirectory.Create("goproxy-badinfo-");
        var folder = Path.Combine(dir.Path, "example.com", "liar", "@v");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "v1.0.0.info"), """{"Version":"v1.0.1","Time":"2024-01-01T00:00:00Z"}""");
        await using var upstream = await FixtureServer.StartAsync(dir.Path, CancellationToken.None);
        await using var proxy = await TestProxy.StartAsync(Path.Combine(dir.Path, "store"), upstream.BaseUrl.ToString());
        using var response = await proxy.Client.GetAsync("example.com/liar/@v/v1.0.0.info");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("v1.0.1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1.0.0.info", "{\"Version\":\"v1.0.0\",\"Time\":\"2024-01-01 12:00\"}", "RFC 3339")]
    [InlineData("v1.0.0.mod", "<html><body>proxy error</body></html>", "no module directive")]
    public async Task Info_or_mod_the_go_command_cannot_parse_is_refused_and_not_stored(string file, string content, string reason)
    {
        using var dir = TempDirectory.Create("goproxy-badmeta-");
        var folder = Path.Combine(dir.Path, "upstream", "example.com", "evil", "@v");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, file), content);
        await using var upstream = await FixtureServer.StartAsync(Path.Combine(dir.Path, "upstream"), CancellationToken.None);
        await using var proxy = await TestProxy.StartAsync(Path.Combine(dir.Path, "store"), upstream.BaseUrl.ToString());
        using var response = await proxy.Client.GetAsync($"example.com/evil/@v/{file}");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(proxy.StorageDir, "example.com", "evil", "@v", file)));
    }

    [Fact]
    public async Task Storage_that_cannot_be_written_still_answers_lists_and_refuses_zips_with_a_503_without_blaming_the_upstream()
    {
        await using var rig = await ProxyRig.StartAsync(Fixture);
        // Writes go through the staging folder first; without it every write fails, as on a full or broken disk.
        Directory.Delete(Path.Combine(rig.StorageDir, ".staging"), recursive: true);

        using var list = await rig.Client.GetAsync("example.com/lib/c/@v/list");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal("v1.0.0\nv1.1.0\n", await list.Content.ReadAsStringAsync());

        using var zip = await rig.Client.GetAsync("example.com/lib/c/@v/v1.0.0.zip");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, zip.StatusCode);
        Assert.Contains("cannot be stored", await zip.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, rig.Upstream.RequestCount("/example.com/lib/c/@v/v1.0.0.zip"));

        using var status = JsonDocument.Parse(await rig.Client.GetStringAsync("status"));
        Assert.True(status.RootElement.GetProperty("upstream").GetProperty("reachable").GetBoolean());
        Assert.False(status.RootElement.GetProperty("storage").GetProperty("ready").GetBoolean());
    }

    [Fact]
    public async Task Comma_falls_through_on_404_only_and_pipe_on_any_error()
    {
        using var dir = TempDirectory.Create("goproxy-chain-");
        await using var empty = await FixtureServer.StartAsync(Path.Combine(dir.Path), CancellationToken.None);
        await using var broken = await FixtureServer.StartAsync(Fixture.Root, CancellationToken.None);
        broken.Faults.Status("", 500);
        await using var good = await FixtureServer.StartAsync(Fixture.Root, CancellationToken.None);
        const string path = "example.com/lib/c/@v/v1.0.0.mod";

        await using (var proxy = await TestProxy.StartAsync(Path.Combine(dir.Path, "s1"), $"{empty.BaseUrl},{good.BaseUrl}"))
        {
            Assert.Equal(HttpStatusCode.OK, (await proxy.Client.GetAsync(path)).StatusCode);
        }

        await using (var proxy = await TestProxy.StartAsync(Path.Combine(dir.Path, "s2"), $"{broken.BaseUrl},{good.BaseUrl}"))
        {
            Assert.Equal(HttpStatusCode.BadGateway, (await proxy.Client.GetAsync(path)).StatusCode);
        }

        var goodBefore = good.RequestCount("/" + path);
        await using (var proxy = await TestProxy.StartAsync(Path.Combine(dir.Path, "s3"), $"{broken.BaseUrl}|{good.BaseUrl}"))
        {
            Assert.Equal(HttpStatusCode.OK, (await proxy.Client.GetAsync(path)).StatusCode);
        }

        Assert.Equal(goodBefore + 1, good.RequestCount("/" + path));
    }

    [Fact]
    public async Task The_checksum_database_probe_is_200_for_the_proxied_database_and_404_for_another_so_go_asks_that_one_directly()
    {
        await using var rig = await ProxyRig.StartAsync(Fixture);
        using var proxied = await rig.Client.GetAsync("sumdb/sum.golang.org/supported");
        using var other = await rig.Client.GetAsync("sumdb/sum.example.com/supported");
        Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task Health_readiness_metrics_and_status_answer()
    {
        await using var rig = await ProxyRig.StartAsync(Fixture);
        var beforeFirstRequest = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        await rig.Client.GetByteArrayAsync("example.com/lib/c/@v/v1.0.0.zip");
        await rig.Client.GetByteArrayAsync("example.com/lib/c/@v/v1.0.0.zip");

        Assert.Equal("ok\n", await rig.Client.GetStringAsync("healthz"));
        Assert.Equal("ready\n", await rig.Client.GetStringAsync("readyz"));

        var metrics = await rig.Client.GetStringAsync("metrics");
        Assert.Contains("goproxy_requests_total{endpoint=\"zip\",code=\"200\",cache=\"hit\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("goproxy_requests_total{endpoint=\"zip\",code=\"200\",cache=\"miss\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("goproxy_upstream_fetch_duration_seconds", metrics, StringComparison.Ordinal);
        Assert.Contains("goproxy_cache_artifacts 1", metrics, StringComparison.Ordinal);
        Assert.Contains("goproxy_served_bytes_total", metrics, StringComparison.Ordinal);

        using var status = JsonDocument.Parse(await rig.Client.GetStringAsync("status"));
        var root = status.RootElement;
        Assert.True(root.GetProperty("ready").GetBoolean());
        Assert.Equal("disk", root.GetProperty("storage").GetProperty("kind").GetString());
        Assert.Equal(1, root.GetProperty("cache").GetProperty("hits").GetInt64());
        Assert.Equal(1, root.GetProperty("cache").GetProperty("misses").GetInt64());
        Assert.Equal(0.5, root.GetProperty("cache").GetProperty("hitRatio").GetDouble());
        Assert.Equal(1, root.GetProperty("cache").GetProperty("artifacts").GetInt64());
        Assert.True(root.GetProperty("upstream").GetProperty("reachable").GetBoolean());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("version").GetString()));
        // Uptime counts from start-up, not from the first /status request.
        Assert.True(root.GetProperty("startedAt").GetDateTimeOffset() <= beforeFirstRequest);
    }

    [Fact]
    public async Task Upstream_failure_shows_in_status_as_unreachable_with_the_last_error()
    {
        await using var rig = await ProxyRig.StartAsync(Fixture);
        await rig.Upstream.StopAsync(CancellationToken.None);
        await rig.Client.GetAsync("example.com/lib/c/@v/v1.0.0.mod");
        using var status = JsonDocument.Parse(await rig.Client.GetStringAsync("status"));
        var upstream = status.RootElement.GetProperty("upstream");
        Assert.False(upstream.GetProperty("reachable").GetBoolean());
        Assert.Contains("unreachable", upstream.GetProperty("lastError").GetString(), StringComparison.Ordinal);
    }
}
