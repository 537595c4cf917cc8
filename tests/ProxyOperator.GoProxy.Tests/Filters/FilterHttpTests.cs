using System.Net;
using CsCheck;
using System.Text.Json;
using ProxyOperator.GoProxy.Filters;
using ProxyOperator.GoProxy.Tests.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ProxyOperator.GoProxy.Tests.Filters;

/// <summary>Filter rules as a client sees them: a 403 with the reason, lists without refused versions, reloads.</summary>
public sealed class FilterHttpTests(StandardModules modules) : IClassFixture<StandardModules>
{
    private const string Rules = """
        filters:
          deny:
            - "example.com/Upper/*"
            - "example.com/lib/c@<v1.1.0"

        """;

    [Fact]
    public async Task A_denied_module_gets_403_with_the_reason_and_is_not_fetched()
    {
        await using var rig = await ProxyRig.StartAsync(modules.Fixture, Rules);
        foreach (var path in new[] { "example.com/!upper/!case/@v/list", "example.com/!upper/!case/@latest", "example.com/!upper/!case/@v/v1.0.0.zip" })
        {
            using var response = await rig.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("denied by this proxy's filter rule \"example.com/Upper/*\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(0, rig.Upstream.TotalRequests);
    }

    [Fact]
    public async Task A_version_range_refuses_those_versions_and_lists_leave_them_out()
    {
        await using var rig = await ProxyRig.StartAsync(modules.Fixture, Rules);
        using (var denied = await rig.Client.GetAsync("example.com/lib/c/@v/v1.0.0.info"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
            Assert.Contains("example.com/lib/c@v1.0.0 is denied", await denied.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal("v1.1.0\n", await rig.Client.GetStringAsync("example.com/lib/c/@v/list"));
        using var allowed = await rig.Client.GetAsync("example.com/lib/c/@v/v1.1.0.zip");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        using var other = await rig.Client.GetAsync("example.com/lib/a/@v/v1.0.0.mod");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Rules_from_a_file_are_reloaded_when_it_changes_and_status_counts_them()
    {
        var file = Path.Combine(Path.GetTempPath(), $"goproxy-filters-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, "deny:\n  - example.com/lib/a\n");
        try
        {
            await using var rig = await ProxyRig.StartAsync(modules.Fixture, $"""
                filters:
                  file: '{file}'
                  reloadInterval: "00:00:00.050"

                """);
            using (var before = await rig.Client.GetAsync("example.com/lib/a/@v/v1.0.0.info"))
            {
                Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
            }

            await File.WriteAllTextAsync(file, "deny:\n  - example.com/lib/b\n  - example.com/lib/c\nallow:\n  - example.com/*\n");
            var filter = rig.Proxy.App.Services.GetRequiredService<ModuleFilter>();
            await WaitForAsync(() => filter.Rules.Deny.Count == 2);
            using (var after = await rig.Client.GetAsync("example.com/lib/a/@v/v1.0.0.info"))
            {
                Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            }

            // A broken file keeps the last good rules in force, and /status says why.
            await File.WriteAllTextAsync(file, "deny:\n  - 'example.com/[broken'\n");
            await WaitForAsync(() => filter.Status.LastError is not null);
            using (var still = await rig.Client.GetAsync("example.com/lib/b/@v/v1.0.0.info"))
            {
                Assert.Equal(HttpStatusCode.Forbidden, still.StatusCode);
            }

            using var status = JsonDocument.Parse(await rig.Client.GetStringAsync("status"));
            var filters = status.RootElement.GetProperty("filters");
            Assert.Equal(2, filters.GetProperty("denyRules").GetInt32());
            Assert.Equal(1, filters.GetProperty("allowRules").GetInt32());
            Assert.Equal("file", filters.GetProperty("source").GetString());
            Assert.Contains("broken", filters.GetProperty("lastError").GetString(), StringComparison.Ordinal);
            // Rules can name private modules: /status counts them and never lists them.
            Assert.DoesNotContain("example.com/lib/b", status.RootElement.GetRawText(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// No bypass over HTTP: any endpoint, any letter case (escaped as the protocol wants), stored or not, a module a
    /// deny rule covers is answered 403 and never fetched.
    /// </summary>
    [Fact]
    public async Task No_request_for_a_denied_module_is_ever_served()
    {
        await using var rig = await ProxyRig.StartAsync(modules.Fixture, """
            filters:
              deny: ["example.com/lib/*"]

            """);
        string[] endpoints = ["@v/list", "@latest", "@v/v1.0.0.info", "@v/v1.0.0.mod", "@v/v1.2.0.zip", "@v/main.info", "@v/v1.info", "@v/v2.0.0+incompatible.info"];
        string[] modulesBelow = ["a", "b", "c", "a/v2", "anything", "c/sub/deeper"];
        var requests = Gen.Select(Gen.Int[0, modulesBelow.Length - 1], Gen.Int[0, endpoints.Length - 1], Gen.Int[0, 255])
            .Select((module, endpoint, caseBits) => ("example.com/lib/" + modulesBelow[module], endpoints[endpoint], caseBits))
            .Array[300].Single();
        foreach (var (module, endpoint, caseBits) in requests)
        {
            var cased = new string(module.Select((c, i) => ((caseBits >> (i % 8)) & 1) == 1 ? char.ToUpperInvariant(c) : c).ToArray());
            Assert.True(ProxyOperator.Modules.CaseEncoding.TryEscape(cased, out var escaped));
            using var response = await rig.Client.GetAsync($"{escaped}/{endpoint}");
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.BadRequest or HttpStatusCode.NotFound,
                $"{cased}/{endpoint}: {(int)response.StatusCode}");
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.DoesNotContain(rig.Upstream.RequestedPaths, p => p.StartsWith("/example.com/lib/", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_bad_rule_stops_start_up_with_its_reason()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => ProxyRig.StartAsync(modules.Fixture, """
            filters:
              deny: ["example.com/lib@latest"]

            """));
        Assert.Contains("example.com/lib@latest", e.ToString(), StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition());
    }
}
