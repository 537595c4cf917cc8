using CsCheck;
using ProxyOperator.Testing;

namespace ProxyOperator.GoProxy.Tests.Http;

/// <summary>
/// Hostile and malformed request paths: each gets a 4xx with a one-line reason, never a 5xx, and nothing is read or
/// written outside the storage root.
/// </summary>
public sealed class BadInputTests(StandardModules modules) : IClassFixture<StandardModules>
{
    public static TheoryData<string, int> BadTargets => new()
    {
        { "/example.com/Upper/@v/list", 400 },
        { "/example.com/!!x/@v/list", 400 },
        { "/example.com/a!/@v/list", 400 },
        { "/example.com/!1/@v/list", 400 },
        { "/example.com/../../../etc/@v/list", 400 },
        { "/example.com/%2e%2e/%2e%2e/etc/@v/list", 400 },
        { "/example.com/a/@v/..%2f..%2f..%2fetc%2fpasswd.info", 404 },
        { "/..%2f..%2fetc/@v/list", 400 },
        { "//etc/passwd/@v/list", 400 },
        { "/example.com/a%00b/@v/list", 400 },
        { "/example.com/a/@v/v1.0.0%00.zip", 400 },
        { "/example.com%5ca/@v/list", 400 },
        { "/C:/Windows/@v/list", 400 },
        { "/example.com/a/@v/V1.0.0.zip", 400 },
        { "/example.com/a/@v/v1.0.zip", 404 },
        { "/example.com/a/@v/v01.0.0.mod", 404 },
        { "/example.com/a/@v/v1.0.0-.mod", 404 },
        { "/example.com/a/@v/v2.0.0.mod", 404 },
        { "/example.com/a/v2/@v/v1.0.0.mod", 404 },
        { "/example.com/a/@v/latest", 404 },
        { "/%ff%fe/@v/list", 400 },
        { "/example.com/" + new string('a', 5000) + "/@v/list", 400 },
    };

    [Theory]
    [MemberData(nameof(BadTargets))]
    public async Task Bad_path_gets_a_client_error_with_a_one_line_reason(string target, int expected)
    {
        await using var rig = await ProxyRig.StartAsync(modules.Fixture);
        await using var raw = new RawHttpClient(rig.Proxy.BaseUrl);
        var (status, body) = await raw.GetAsync(target, CancellationToken.None);
        Assert.Equal(expected, status);
        if (target.Contains("%00", StringComparison.Ordinal))
        {
            // Kestrel refuses a NUL in the path itself, before any application code runs: 400 with no body.
            Assert.Equal("", body);
        }
        else
        {
            Assert.NotEqual("", body.Trim());
            Assert.Single(body.TrimEnd('\n').Split('\n'));
        }

        Assert.Equal(0, rig.Upstream.TotalRequests);
    }

    [Fact]
    public async Task Ten_thousand_generated_paths_never_get_a_5xx_or_touch_files_outside_the_storage_root()
    {
        using var sandbox = TempDirectory.Create("goproxy-fuzz-");
        var storage = Path.Combine(sandbox.Path, "storage");
        // A real upstream, so that the paths that do name an artifact are fetched and written: writes are what
        // could land outside the root.
        var upstreamRoot = modules.Fixture.Root;
        // A file the paths try to reach by traversal; it must never be served.
        await File.WriteAllTextAsync(Path.Combine(sandbox.Path, "secret.info"), "{\"Version\":\"v1.0.0\",\"Time\":\"2024-01-01T00:00:00Z\",\"Marker\":\"outside-the-root\"}");
        await using var upstream = await FixtureServer.StartAsync(upstreamRoot, CancellationToken.None);
        await using var proxy = await TestProxy.StartAsync(storage, upstream.BaseUrl.ToString());
        await using var raw = new RawHttpClient(proxy.BaseUrl);

        var fragment = Gen.OneOf("example.com", "..", ".", "%2e%2e", "%2f", "/", "!", "!a", "!A", "A", "a", "@v", "@latest",
            "list", ".info", ".mod", ".zip", "v1.0.0", "v2.0.0+incompatible", "%00", "%21", "\\", "%5c", "~", "-", "_", "+", "gopkg.in",
            "yaml.v3", "v0.0.0-20240102030405-abcdefabcdef", "secret", "%ff", "com1", "x.", ".x", ":", "C:", "%", "%zz", "é", "\u2028");
        var module = Gen.OneOf("", "/example.com/lib/c", "/example.com/!upper/!case", "/example.com/lib/a/v2", "/example.com/old/lib");
        var file = Gen.OneOf("", "/@v/list", "/@v/v1.0.0.zip", "/@v/v1.0.0.info", "/@v/v1.0.1.mod", "/@v/v2.0.0.mod",
            "/@v/v2.0.0+incompatible.zip", "/@latest");
        var paths = Gen.Select(module, fragment.Array[0, 8], file, (m, parts, f) => "/" + (m + string.Concat(parts) + f).TrimStart('/'));
        var failures = new List<string>();
        var count = 0;
        await paths.SampleAsync(async target =>
        {
            var encoded = Encode(target);
            var (status, body) = await raw.GetAsync(encoded, CancellationToken.None);
            Interlocked.Increment(ref count);
            if (status >= 500 || body.Contains("outside-the-root", StringComparison.Ordinal))
            {
                lock (failures)
                {
                    failures.Add($"{status} {encoded}");
                }
            }

            return true;
        }, iter: 10_000, threads: 1);

        Assert.True(count >= 10_000, $"only {count} paths were sent");
        Assert.Empty(failures);
        Assert.NotEmpty(Directory.EnumerateFiles(storage, "*.zip", SearchOption.AllDirectories));
        var outside = Directory.EnumerateFileSystemEntries(sandbox.Path, "*", SearchOption.AllDirectories)
            .Where(p => !p.StartsWith(storage + Path.DirectorySeparatorChar, StringComparison.Ordinal) && p != storage)
            .Where(p => !p.StartsWith(upstreamRoot, StringComparison.Ordinal))
            .Select(Path.GetFileName)
            .ToList();
        Assert.Equal(["secret.info"], outside.Where(n => !n!.EndsWith(".yaml", StringComparison.Ordinal)));
    }

    private static string Encode(string target)
    {
        var builder = new System.Text.StringBuilder();
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(target))
        {
            builder.Append(b is > 0x20 and < 0x7f and not (byte)'?' and not (byte)'#' ? ((char)b).ToString() : $"%{b:X2}");
        }

        return builder.ToString();
    }
}
