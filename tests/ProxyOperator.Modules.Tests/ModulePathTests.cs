namespace ProxyOperator.Modules.Tests;

/// <summary>
/// Module, import and file path rules, with vectors from golang.org/x/mod module/module_test.go
/// (checkPathTests, splitPathVersionTests) and https://go.dev/ref/mod#module-path.
/// </summary>
public sealed class ModulePathTests
{
    // x/mod module_test.go checkPathTests: path, CheckPath ok, CheckImportPath ok, CheckFilePath ok.
    public static TheoryData<string, bool, bool, bool> CheckPathTests => new()
    {
        { "x.y/z", true, true, true },
        { "x.y", true, true, true },
        { "", false, false, false },
        { "/x.y/z", false, false, false },
        { "x./z", false, false, false },
        { ".x/z", false, true, true },
        { "-x/z", false, false, true },
        { "x..y/z", true, true, true },
        { "x.y/z/../../w", false, false, false },
        { "x.y//z", false, false, false },
        { "x.y/z//w", false, false, false },
        { "x.y/z/", false, false, false },
        { "x.y/z/v0", false, true, true },
        { "x.y/z/v1", false, true, true },
        { "x.y/z/v2", true, true, true },
        { "x.y/z/v2.0", false, true, true },
        { "X.y/z", false, true, true },
        { "!x.y/z", false, false, true },
        { "_x.y/z", false, true, true },
        { "x.y!/z", false, false, true },
        { "x.y\"/z", false, false, false },
        { "x.y#/z", false, false, true },
        { "x.y$/z", false, false, true },
        { "x.y%/z", false, false, true },
        { "x.y&/z", false, false, true },
        { "x.y'/z", false, false, false },
        { "x.y(/z", false, false, true },
        { "x.y)/z", false, false, true },
        { "x.y*/z", false, false, false },
        { "x.y+/z", false, true, true },
        { "x.y,/z", false, false, true },
        { "x.y-/z", true, true, true },
        { "x.y./zt", false, false, false },
        { "x.y:/z", false, false, false },
        { "x.y;/z", false, false, false },
        { "x.y</z", false, false, false },
        { "x.y=/z", false, false, true },
        { "x.y>/z", false, false, false },
        { "x.y?/z", false, false, false },
        { "x.y@/z", false, false, true },
        { "x.y[/z", false, false, true },
        { "x.y\\/z", false, false, false },
        { "x.y]/z", false, false, true },
        { "x.y^/z", false, false, true },
        { "x.y_/z", false, true, true },
        { "x.y`/z", false, false, false },
        { "x.y{/z", false, false, true },
        { "x.y}/z", false, false, true },
        { "x.y~/z", false, true, true },
        { "x.y/z!", false, false, true },
        { "x.y/z\"", false, false, false },
        { "x.y/z#", false, false, true },
        { "x.y/z$", false, false, true },
        { "x.y/z%", false, false, true },
        { "x.y/z&", false, false, true },
        { "x.y/z'", false, false, false },
        { "x.y/z(", false, false, true },
        { "x.y/z)", false, false, true },
        { "x.y/z*", false, false, false },
        { "x.y/z++", false, true, true },
        { "x.y/z,", false, false, true },
        { "x.y/z-", true, true, true },
        { "x.y/z.t", true, true, true },
        { "x.y/z/t", true, true, true },
        { "x.y/z:", false, false, false },
        { "x.y/z;", false, false, false },
        { "x.y/z<", false, false, false },
        { "x.y/z=", false, false, true },
        { "x.y/z>", false, false, false },
        { "x.y/z?", false, false, false },
        { "x.y/z@", false, false, true },
        { "x.y/z[", false, false, true },
        { "x.y/z\\", false, false, false },
        { "x.y/z]", false, false, true },
        { "x.y/z^", false, false, true },
        { "x.y/z_", true, true, true },
        { "x.y/z`", false, false, false },
        { "x.y/z{", false, false, true },
        { "x.y/z}", false, false, true },
        { "x.y/z~", true, true, true },
        { "x.y/x.foo", true, true, true },
        { "x.y/aux.foo", false, false, false },
        { "x.y/prn", false, false, false },
        { "x.y/prn2", true, true, true },
        { "x.y/com", true, true, true },
        { "x.y/com1", false, false, false },
        { "x.y/com1.txt", false, false, false },
        { "x.y/calm1", true, true, true },
        { "x.y/z~0", false, false, true },
        { "x.y/z~09", false, false, true },
        { "x.y/z09", true, true, true },
        { "x.y/z09~", true, true, true },
        { "x.y/z09~09z", true, true, true },
        { "x.y/z09~09z~09", false, false, true },
        { "github.com/!123/logrus", false, false, true },
        { "github.com/user/unicode/испытание", false, false, true },
        { "../x", false, false, false },
        { "./y", false, false, false },
        { "x:y", false, false, false },
        { "\\temp\\foo", false, false, false },
        { ".gitignore", false, true, true },
        { ".github/ISSUE_TEMPLATE", false, true, true },
        { "x☺y", false, false, false },
    };

    [Theory]
    [MemberData(nameof(CheckPathTests))]
    public void Module_import_and_file_paths_follow_the_x_mod_table(string path, bool moduleOk, bool importOk, bool fileOk)
    {
        Assert.Equal(moduleOk, ModulePath.CheckPath(path) is null);
        Assert.Equal(moduleOk, ModulePath.TryParse(path, out _, out _));
        Assert.Equal(importOk, ModulePath.CheckImportPath(path) is null);
        Assert.Equal(fileOk, ModulePath.CheckFilePath(path) is null);
    }

    [Fact]
    public void Invalid_unicode_is_rejected_by_every_kind_of_path()
    {
        // x/mod's vector is "x.y/\xFFz" (invalid UTF-8); a lone surrogate is the UTF-16 counterpart.
        const string path = "x.y/\uD800z";
        Assert.Contains("invalid UTF-8", ModulePath.CheckPath(path), StringComparison.Ordinal);
        Assert.NotNull(ModulePath.CheckImportPath(path));
        Assert.NotNull(ModulePath.CheckFilePath(path));
    }

    [Theory]
    [InlineData("", "empty string")]
    [InlineData("-x.y/z", "leading dash")]
    [InlineData("x.y//z", "double slash")]
    [InlineData("x.y/z/", "trailing slash")]
    [InlineData("x.y/./z", "invalid path element \".\"")]
    [InlineData("x.y/../z", "invalid path element \"..\"")]
    [InlineData("x.y/.z", "leading dot in path element")]
    [InlineData("x.y/z.", "trailing dot in path element")]
    [InlineData("x.y/z z", "invalid char ' '")]
    [InlineData("x.y/z'", "invalid char '\\''")]
    [InlineData("x.y/Con.txt", "\"Con\" disallowed as path element component on Windows")]
    [InlineData("x.y/lpt9", "\"lpt9\" disallowed as path element component on Windows")]
    [InlineData("x.y/GOPRO~1", "trailing tilde and digits in path element")]
    [InlineData("localhost/z", "missing dot in first path element")]
    [InlineData("Example.com/z", "invalid char 'E' in first path element")]
    [InlineData("exa_mple.com/z", "invalid char '_' in first path element")]
    [InlineData("x.y/z/v1", "invalid version")]
    [InlineData("x.y/z/v0", "invalid version")]
    [InlineData("x.y/z/v01", "invalid version")]
    [InlineData("x.y/z/v2.1", "invalid version")]
    [InlineData("gopkg.in/yaml", "invalid version")]
    [InlineData("gopkg.in/yaml.v01", "invalid version")]
    public void Invalid_module_paths_say_which_rule_they_break(string path, string reason)
    {
        Assert.False(ModulePath.TryParse(path, out var module, out var error));
        Assert.Null(module);
        Assert.Equal($"malformed module path \"{path}\": {reason}", error);
    }

    [Theory]
    [InlineData("x.y/z/v2", "x.y/z", "/v2")]
    [InlineData("x.y/z/v3", "x.y/z", "/v3")]
    [InlineData("x.y/z/v10", "x.y/z", "/v10")]
    [InlineData("x.y/z", "x.y/z", "")]
    [InlineData("x.y/v", "x.y/v", "")]
    [InlineData("x.y/z/v", "x.y/z/v", "")]
    [InlineData("x.y/zv2", "x.y/zv2", "")]
    [InlineData("gopkg.in/yaml.v0", "gopkg.in/yaml", ".v0")]
    [InlineData("gopkg.in/yaml.v1", "gopkg.in/yaml", ".v1")]
    [InlineData("gopkg.in/yaml.v2", "gopkg.in/yaml", ".v2")]
    [InlineData("gopkg.in/yaml.v3", "gopkg.in/yaml", ".v3")]
    [InlineData("gopkg.in/src-d/go-git.v4", "gopkg.in/src-d/go-git", ".v4")]
    [InlineData("gopkg.in/yaml.v1-unstable", "gopkg.in/yaml", ".v1-unstable")]
    public void Split_path_version_separates_the_major_suffix(string path, string prefix, string pathMajor)
    {
        Assert.True(ModulePath.TrySplitPathVersion(path, out var gotPrefix, out var gotMajor));
        Assert.Equal(prefix, gotPrefix);
        Assert.Equal(pathMajor, gotMajor);
        var module = ModulePath.Parse(path);
        Assert.Equal(prefix, module.Prefix);
        Assert.Equal(pathMajor, module.PathMajor);
    }

    [Theory]
    [InlineData("x.y/z/v1")]
    [InlineData("x.y/z/v0")]
    [InlineData("x.y/z/v01")]
    [InlineData("x.y/z/v2.0")]
    [InlineData("gopkg.in/yaml")]
    [InlineData("gopkg.in/yaml.v")]
    [InlineData("gopkg.in/yaml.v00")]
    [InlineData("gopkg.in/yaml.v0-unstable")]
    public void Malformed_major_suffixes_do_not_split(string path)
    {
        Assert.False(ModulePath.TrySplitPathVersion(path, out var prefix, out var pathMajor));
        Assert.Equal(path, prefix);
        Assert.Equal("", pathMajor);
    }

    [Theory]
    [MemberData(nameof(CheckPathTests))]
    public void Split_path_version_always_adds_back_up_to_the_input(string path, bool moduleOk, bool importOk, bool fileOk)
    {
        _ = (moduleOk, importOk, fileOk);
        ModulePath.TrySplitPathVersion(path, out var prefix, out var pathMajor);
        Assert.Equal(path, prefix + pathMajor);
    }

    [Theory]
    [InlineData("x.y/z", "")]
    [InlineData("x.y/z/v2", "v2")]
    [InlineData("gopkg.in/yaml.v1", "v1")]
    [InlineData("gopkg.in/yaml.v1-unstable", "v1")]
    public void Major_prefix_names_the_major_version_the_suffix_requires(string path, string majorPrefix)
    {
        Assert.Equal(majorPrefix, ModulePath.Parse(path).MajorPrefix);
    }

    [Fact]
    public void Parsed_paths_expose_value_and_escaped_form()
    {
        var module = ModulePath.Parse("example.com/Upper/Case");
        Assert.Equal("example.com/Upper/Case", module.Value);
        Assert.Equal("example.com/!upper/!case", module.Escaped);
        Assert.Equal("example.com/Upper/Case", module.ToString());
        Assert.False(module.IsGopkgIn);
        Assert.True(ModulePath.Parse("gopkg.in/yaml.v3").IsGopkgIn);
    }

    [Fact]
    public void Equality_is_ordinal_on_the_path()
    {
        var a = ModulePath.Parse("example.com/m");
        var b = ModulePath.Parse("example.com/m");
        var upper = ModulePath.Parse("example.com/M");
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.True(a.Equals(b));
        Assert.True(a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.True(a != upper);
        Assert.False(a.Equals(upper));
        Assert.False(a.Equals(null));
        Assert.False(a == null);
        ModulePath? none = null;
        Assert.True(none == null);
    }

    [Fact]
    public void Parse_throws_a_format_exception_for_an_invalid_path()
    {
        var e = Assert.Throws<FormatException>(() => ModulePath.Parse("no-dot/z"));
        Assert.Contains("missing dot in first path element", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("github.com/!google!cloud!platform/omega", "github.com/GoogleCloudPlatform/omega")]
    [InlineData("ascii.com/abcdefghijklmnopqrstuvwxyz.-/~_0123456789", "ascii.com/abcdefghijklmnopqrstuvwxyz.-/~_0123456789")]
    [InlineData("example.com/!upper/!case", "example.com/Upper/Case")]
    public void Escaped_paths_from_urls_decode_to_module_paths(string escaped, string path)
    {
        Assert.True(ModulePath.TryParseEscaped(escaped, out var module, out var error), error);
        Assert.Equal(path, module.Value);
        Assert.Equal(escaped, module.Escaped);
    }

    // x/mod module_test.go badUnescape, plus invalid paths that decode fine.
    [Theory]
    [InlineData("github.com/GoogleCloudPlatform/omega", "invalid escaped module path \"github.com/GoogleCloudPlatform/omega\"")]
    [InlineData("github.com/!google!cloud!platform!/omega", "invalid escaped module path \"github.com/!google!cloud!platform!/omega\"")]
    [InlineData("github.com/!0google!cloud!platform/omega", "invalid escaped module path \"github.com/!0google!cloud!platform/omega\"")]
    [InlineData("github.com/!_google!cloud!platform/omega", "invalid escaped module path \"github.com/!_google!cloud!platform/omega\"")]
    [InlineData("github.com/!!google!cloud!platform/omega", "invalid escaped module path \"github.com/!!google!cloud!platform/omega\"")]
    [InlineData("github.com/omega!", "invalid escaped module path \"github.com/omega!\"")]
    [InlineData("", "invalid escaped module path \"\": malformed module path \"\": empty string")]
    [InlineData("!example.com/m", "invalid escaped module path \"!example.com/m\": malformed module path \"Example.com/m\": invalid char 'E' in first path element")]
    [InlineData("example.com/m/v1", "invalid escaped module path \"example.com/m/v1\": malformed module path \"example.com/m/v1\": invalid version")]
    public void Bad_escaped_paths_are_rejected(string escaped, string reason)
    {
        Assert.False(ModulePath.TryParseEscaped(escaped, out var module, out var error));
        Assert.Null(module);
        Assert.Equal(reason, error);
    }

    [Theory]
    [MemberData(nameof(CheckPathTests))]
    public void Invalid_paths_never_parse_in_escaped_form_either(string path, bool moduleOk, bool importOk, bool fileOk)
    {
        _ = (importOk, fileOk);
        if (!moduleOk)
        {
            Assert.False(ModulePath.TryParseEscaped(path, out _, out _));
        }
    }

    [Theory]
    [InlineData("x.y/z", true)]
    [InlineData("x.y/a b", true)]
    [InlineData("x.y/ä.go", true)]
    [InlineData("-x/z", true)]
    [InlineData(".gitignore", true)]
    [InlineData("x.y/z~1", true)]
    [InlineData("x.y/z*", false)]
    [InlineData("x.y/nul.txt", false)]
    [InlineData("x.y/☺.go", false)]
    public void File_paths_allow_more_characters_than_module_paths(string path, bool ok)
    {
        Assert.Equal(ok, ModulePath.CheckFilePath(path) is null);
    }

    [Fact]
    public void File_path_reasons_name_the_path()
    {
        Assert.Equal("malformed file path \"invalid.go'\": invalid char '\\''", ModulePath.CheckFilePath("invalid.go'"));
        Assert.Equal("malformed import path \"a/b c\": invalid char ' '", ModulePath.CheckImportPath("a/b c"));
    }
}
