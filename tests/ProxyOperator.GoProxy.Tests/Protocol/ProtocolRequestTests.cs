using ProxyOperator.GoProxy.Protocol;
using ProxyOperator.GoProxy.Storage;

namespace ProxyOperator.GoProxy.Tests.Protocol;

public sealed class ProtocolRequestTests
{
    [Theory]
    [InlineData("/example.com/lib/a/@v/list", "example.com/lib/a", ArtifactKind.List, "")]
    [InlineData("/example.com/lib/a/@latest", "example.com/lib/a", ArtifactKind.Latest, "")]
    [InlineData("/example.com/lib/a/@v/v1.2.0.info", "example.com/lib/a", ArtifactKind.Info, "v1.2.0")]
    [InlineData("/example.com/lib/a/@v/v1.2.0.mod", "example.com/lib/a", ArtifactKind.Mod, "v1.2.0")]
    [InlineData("/example.com/lib/a/@v/v1.2.0.zip", "example.com/lib/a", ArtifactKind.Zip, "v1.2.0")]
    [InlineData("/example.com/!upper/!case/@v/v1.0.0.zip", "example.com/Upper/Case", ArtifactKind.Zip, "v1.0.0")]
    [InlineData("/example.com/lib/a/v2/@v/v2.0.0.mod", "example.com/lib/a/v2", ArtifactKind.Mod, "v2.0.0")]
    [InlineData("/example.com/old/legacy/@v/v2.0.0+incompatible.zip", "example.com/old/legacy", ArtifactKind.Zip, "v2.0.0+incompatible")]
    [InlineData("/example.com/dev/snapshot/@v/v0.0.0-20240102030405-abcdefabcdef.info", "example.com/dev/snapshot", ArtifactKind.Info, "v0.0.0-20240102030405-abcdefabcdef")]
    [InlineData("/gopkg.in/yaml.v3/@v/v3.0.1.mod", "gopkg.in/yaml.v3", ArtifactKind.Mod, "v3.0.1")]
    [InlineData("/example.com/lib/c/@v/v1.2.0-!r!c.1.info", "example.com/lib/c", ArtifactKind.Info, "v1.2.0-RC.1")]
    // The go command probes prefixes of an import path; they are valid requests that should get a fast 404.
    [InlineData("/example.com/@v/list", "example.com", ArtifactKind.List, "")]
    public void Valid_protocol_paths_parse_to_module_kind_and_version(string path, string module, ArtifactKind kind, string version)
    {
        var parsed = ProtocolRequest.Parse(path);
        Assert.NotNull(parsed.Request);
        Assert.Equal(module, parsed.Request.Module.Value);
        Assert.Equal(kind, parsed.Request.Kind);
        Assert.Equal(version, parsed.Request.Version);
        Assert.False(parsed.Request.IsQuery);
    }

    [Theory]
    [InlineData("/example.com/lib/a/@v/master.info", "master")]
    [InlineData("/example.com/lib/a/@v/v1.2.info", "v1.2")]
    [InlineData("/example.com/lib/a/@v/!feature-x.info", "Feature-x")]
    public void Info_for_a_non_canonical_version_is_a_query(string path, string query)
    {
        var parsed = ProtocolRequest.Parse(path);
        Assert.NotNull(parsed.Request);
        Assert.True(parsed.Request.IsQuery);
        Assert.Equal(query, parsed.Request.Version);
        Assert.Equal("query", parsed.Request.Endpoint);
    }

    [Theory]
    // Malformed module paths and escapes: 400, so nothing upstream is asked.
    [InlineData("/example.com/Upper/@v/list", 400)]
    [InlineData("/example.com/!!x/@v/list", 400)]
    [InlineData("/example.com/x!/@v/list", 400)]
    [InlineData("/example.com/../etc/@v/list", 400)]
    [InlineData("/../../etc/passwd/@v/list", 400)]
    [InlineData("//etc/passwd/@v/list", 400)]
    [InlineData("/example.com/./a/@v/list", 400)]
    [InlineData("/example.com/a\0b/@v/list", 400)]
    [InlineData("/example.com/a\nb/@v/list", 400)]
    [InlineData("/-example.com/a/@v/list", 400)]
    [InlineData("/examplecom/a/@v/list", 400)]
    [InlineData("/example.com\\a/@v/list", 400)]
    [InlineData("/@v/list", 400)]
    [InlineData("/example.com/a/@v/!V1.0.0.zip", 400)]
    // Versions that can never exist: 404, so the go command tries the next proxy.
    [InlineData("/example.com/a/@v/v1.0.zip", 404)]
    [InlineData("/example.com/a/@v/v1.0.0+meta.mod", 404)]
    [InlineData("/example.com/a/@v/v2.0.0.zip", 404)]
    [InlineData("/example.com/a/v2/@v/v1.0.0.zip", 404)]
    [InlineData("/example.com/a/@v/..info", 404)]
    [InlineData("/example.com/a/@v/../../x.info", 404)]
    [InlineData("/example.com/a/@v/v1.0.0.tar", 404)]
    [InlineData("/example.com/a/@v/v1.0.0", 404)]
    [InlineData("/example.com/a/@v/", 404)]
    [InlineData("/example.com/a", 404)]
    [InlineData("/", 404)]
    public void Bad_input_is_refused_with_a_one_line_reason(string path, int status)
    {
        var parsed = ProtocolRequest.Parse(path);
        Assert.Null(parsed.Request);
        Assert.Equal(status, parsed.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(parsed.Reason));
        Assert.DoesNotContain('\n', parsed.Reason);
    }

    [Fact]
    public void Over_long_paths_are_refused()
    {
        Assert.Equal(400, ProtocolRequest.Parse("/example.com/" + new string('a', 300) + "/@v/list").StatusCode);
        Assert.Equal(400, ProtocolRequest.Parse("/example.com/" + string.Join('/', Enumerable.Repeat("abcdefgh", 400)) + "/@v/list").StatusCode);
        Assert.Equal(404, ProtocolRequest.Parse("/example.com/a/@v/v1.0.0-" + new string('a', 300) + ".info").StatusCode);
    }
}
