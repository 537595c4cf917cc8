namespace ProxyOperator.Modules.Tests;

/// <summary>
/// Path/version compatibility (https://go.dev/ref/mod#major-version-suffixes), with vectors from
/// golang.org/x/mod module/module_test.go (checkTests, TestMatchPathMajor).
/// </summary>
public sealed class ModuleVersionTests
{
    // x/mod module_test.go checkTests (the invalid-path row "rsc io/quote" is covered by ModulePathTests).
    [Theory]
    [InlineData("rsc.io/quote", "0.1.0", false)]
    [InlineData("github.com/go-yaml/yaml", "v0.8.0", true)]
    [InlineData("github.com/go-yaml/yaml", "v1.0.0", true)]
    [InlineData("github.com/go-yaml/yaml", "v2.0.0", false)]
    [InlineData("github.com/go-yaml/yaml", "v2.1.5", false)]
    [InlineData("github.com/go-yaml/yaml", "v3.0.0", false)]
    [InlineData("github.com/go-yaml/yaml/v2", "v1.0.0", false)]
    [InlineData("github.com/go-yaml/yaml/v2", "v2.0.0", true)]
    [InlineData("github.com/go-yaml/yaml/v2", "v2.1.5", true)]
    [InlineData("github.com/go-yaml/yaml/v2", "v3.0.0", false)]
    [InlineData("gopkg.in/yaml.v0", "v0.8.0", true)]
    [InlineData("gopkg.in/yaml.v0", "v1.0.0", false)]
    [InlineData("gopkg.in/yaml.v0", "v2.0.0", false)]
    [InlineData("gopkg.in/yaml.v0", "v2.1.5", false)]
    [InlineData("gopkg.in/yaml.v0", "v3.0.0", false)]
    [InlineData("gopkg.in/yaml.v1", "v0.8.0", false)]
    [InlineData("gopkg.in/yaml.v1", "v1.0.0", true)]
    [InlineData("gopkg.in/yaml.v1", "v2.0.0", false)]
    [InlineData("gopkg.in/yaml.v1", "v2.1.5", false)]
    [InlineData("gopkg.in/yaml.v1", "v3.0.0", false)]
    [InlineData("gopkg.in/check.v1", "v0.0.0", false)]
    [InlineData("gopkg.in/check.v1", "v0.0.0-20160102150405-abcdef123456", true)]
    [InlineData("gopkg.in/yaml.v2", "v1.0.0", false)]
    [InlineData("gopkg.in/yaml.v2", "v2.0.0", true)]
    [InlineData("gopkg.in/yaml.v2", "v2.1.5", true)]
    [InlineData("gopkg.in/yaml.v2", "v3.0.0", false)]
    [InlineData("rsc.io/quote", "v17.0.0", false)]
    [InlineData("rsc.io/quote", "v17.0.0+incompatible", true)]
    public void Versions_must_match_the_major_suffix_of_the_path(string path, string version, bool ok)
    {
        Assert.Equal(ok, ModuleVersion.Check(ModulePath.Parse(path), version) is null);
    }

    [Theory]
    [InlineData("example.com/m", "v1.2", "example.com/m@v1.2: invalid version: not canonical (should be \"v1.2.0\")")]
    [InlineData("example.com/m", "v1", "example.com/m@v1: invalid version: not canonical (should be \"v1.0.0\")")]
    [InlineData("example.com/m", "v1.2.0+meta", "example.com/m@v1.2.0+meta: invalid version: not canonical (should be \"v1.2.0\")")]
    [InlineData("example.com/m", "latest", "example.com/m@latest: invalid version: not a semantic version")]
    [InlineData("example.com/m", "v2.0.0", "example.com/m@v2.0.0: invalid version: should be v0 or v1, not v2")]
    [InlineData("example.com/m/v3", "v2.0.0", "example.com/m/v3@v2.0.0: invalid version: should be v3, not v2")]
    [InlineData("gopkg.in/yaml.v2", "v3.0.0", "gopkg.in/yaml.v2@v3.0.0: invalid version: should be v2, not v3")]
    public void Rejections_explain_the_problem_in_one_line(string path, string version, string reason)
    {
        var problem = ModuleVersion.Check(ModulePath.Parse(path), version);
        Assert.Equal(reason, problem);
    }

    // The go command refuses these when resolving versions (cmd/go/internal/modfetch/coderepo.go),
    // although module.Check alone lets them through.
    [Theory]
    [InlineData("example.com/m/v2", "v2.0.0+incompatible", "module path includes a major version suffix, so major version must match")]
    [InlineData("gopkg.in/yaml.v2", "v2.0.0+incompatible", "module path includes a major version suffix, so major version must match")]
    [InlineData("example.com/m", "v1.0.0+incompatible", "major version v1 is compatible")]
    [InlineData("example.com/m", "v0.3.0+incompatible", "major version v0 is compatible")]
    public void Incompatible_is_only_for_v2_and_up_without_a_suffix(string path, string version, string reason)
    {
        var problem = ModuleVersion.Check(ModulePath.Parse(path), version);
        Assert.Equal($"{path}@{version}: invalid version: +incompatible suffix not allowed: {reason}", problem);
    }

    [Fact]
    public void Reasons_stay_on_one_line_whatever_the_version()
    {
        var problem = ModuleVersion.Check(ModulePath.Parse("example.com/m"), "v1.0.0\nINJECTED");
        Assert.Equal("example.com/m@\"v1.0.0\\nINJECTED\": invalid version: not a semantic version", problem);
    }

    [Theory]
    [InlineData("v1.2.0", true)]
    [InlineData("v2.0.0+incompatible", true)]
    [InlineData("v1.2.3-pre.1", true)]
    [InlineData("v0.0.0-20191109021931-daa7c04131f5", true)]
    [InlineData("v1.2", false)]
    [InlineData("v1", false)]
    [InlineData("v1.2.0+meta", false)]
    [InlineData("v1.2.0+incompatible.1", false)]
    [InlineData("1.2.0", false)]
    [InlineData("v01.2.0", false)]
    [InlineData("", false)]
    public void Canonical_means_valid_and_already_in_module_canonical_form(string version, bool canonical)
    {
        Assert.Equal(canonical, ModuleVersion.IsCanonical(version));
    }

    [Theory]
    [InlineData("v1.2", "v1.2.0")]
    [InlineData("v2.0.0+incompatible", "v2.0.0+incompatible")]
    [InlineData("v2.0+incompatible", "")]
    [InlineData("v1.2.0+meta", "v1.2.0")]
    [InlineData("bad", "")]
    public void Module_canonical_form_keeps_only_the_incompatible_build_suffix(string version, string canonical)
    {
        Assert.Equal(canonical, ModuleVersion.Canonical(version));
    }

    // x/mod module_test.go TestMatchPathMajor.
    [Theory]
    [InlineData("v0.0.0", "", true)]
    [InlineData("v0.0.0", "/v2", false)]
    [InlineData("v0.0.0", ".v0", true)]
    [InlineData("v0.0.0-20190510104115-cbcb75029529", ".v1", true)]
    [InlineData("v1.0.0", "/v2", false)]
    [InlineData("v1.0.0", ".v1", true)]
    [InlineData("v1.0.0", ".v1-unstable", true)]
    [InlineData("v2.0.0+incompatible", "", true)]
    [InlineData("v2.0.0", "", false)]
    [InlineData("v2.0.0", "/v2", true)]
    [InlineData("v2.0.0", ".v2", true)]
    public void Match_path_major_follows_x_mod(string version, string pathMajor, bool match)
    {
        Assert.Equal(match, ModuleVersion.MatchPathMajor(version, pathMajor));
        Assert.Equal(match, ModuleVersion.CheckPathMajor(version, pathMajor) is null);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("/v2", "v2")]
    [InlineData(".v0", "v0")]
    [InlineData(".v3-unstable", "v3")]
    public void Path_major_prefix_strips_the_separator(string pathMajor, string prefix)
    {
        Assert.Equal(prefix, ModuleVersion.PathMajorPrefix(pathMajor));
    }

    [Theory]
    [InlineData("v2")]
    [InlineData("/x2")]
    public void Path_major_prefix_rejects_malformed_suffixes(string pathMajor)
    {
        Assert.Throws<ArgumentException>(() => ModuleVersion.PathMajorPrefix(pathMajor));
    }
}
