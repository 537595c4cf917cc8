using CsCheck;

namespace ProxyOperator.Modules.Tests;

public sealed class ModulePatternsTests
{
    /// <summary>golang.org/x/mod/module's TestMatchPrefixPatterns, case for case.</summary>
    [Theory]
    [InlineData("", "rsc.io/quote", false)]
    [InlineData("/", "rsc.io/quote", false)]
    [InlineData("*/quote", "rsc.io/quote", true)]
    [InlineData("*/quo", "rsc.io/quote", false)]
    [InlineData("*/quo??", "rsc.io/quote", true)]
    [InlineData("*/quo*", "rsc.io/quote", true)]
    [InlineData("*quo*", "rsc.io/quote", false)]
    [InlineData("rsc.io", "rsc.io/quote", true)]
    [InlineData("*.io", "rsc.io/quote", true)]
    [InlineData("rsc.io/", "rsc.io/quote", true)]
    [InlineData("rsc", "rsc.io/quote", false)]
    [InlineData("rsc*", "rsc.io/quote", true)]
    [InlineData("rsc.io", "rsc.io/quote/v3", true)]
    [InlineData("*/quote", "rsc.io/quote/v3", true)]
    [InlineData("*/quote/", "rsc.io/quote/v3", true)]
    [InlineData("*/quote/*", "rsc.io/quote/v3", true)]
    [InlineData("*/quote/*/", "rsc.io/quote/v3", true)]
    [InlineData("*/v3", "rsc.io/quote/v3", false)]
    [InlineData("*/*/v3", "rsc.io/quote/v3", true)]
    [InlineData("*/*/*", "rsc.io/quote/v3", true)]
    [InlineData("*/*/*/", "rsc.io/quote/v3", true)]
    [InlineData("*/*/*", "rsc.io/quote", false)]
    [InlineData("*/*/*/", "rsc.io/quote", false)]
    [InlineData("*/*/*,,", "rsc.io/quote", false)]
    [InlineData("*/*/*,,*/quote", "rsc.io/quote", true)]
    [InlineData(",,*/quote", "rsc.io/quote", true)]
    public void Matches_like_the_go_command(string globs, string target, bool want) =>
        Assert.Equal(want, ModulePatterns.MatchPrefixPatterns(globs, target));

    /// <summary>A few of Go's path.Match tests (src/path/match_test.go).</summary>
    [Theory]
    [InlineData("abc", "abc", true)]
    [InlineData("*", "abc", true)]
    [InlineData("*c", "abc", true)]
    [InlineData("a*", "a", true)]
    [InlineData("a*", "ab/c", false)]
    [InlineData("a*/b", "abc/b", true)]
    [InlineData("a*/b", "a/c/b", false)]
    [InlineData("a*b*c*d*e*/f", "axbxcxdxe/f", true)]
    [InlineData("a*b?c*x", "abxbbxdbxebxczzx", true)]
    [InlineData("a*b?c*x", "abxbbxdbxebxczzy", false)]
    [InlineData("ab[c]", "abc", true)]
    [InlineData("ab[b-d]", "abc", true)]
    [InlineData("ab[e-g]", "abc", false)]
    [InlineData("ab[^c]", "abc", false)]
    [InlineData("ab[^b-d]", "abc", false)]
    [InlineData("ab[^e-g]", "abc", true)]
    [InlineData("a\\*b", "a*b", true)]
    [InlineData("a\\*b", "ab", false)]
    [InlineData("a?b", "a☺b", true)]
    [InlineData("a???b", "a☺b", false)]
    [InlineData("[\\]a]", "]", true)]
    [InlineData("[\\-]", "-", true)]
    [InlineData("[x\\-]", "z", false)]
    [InlineData("[]a]", "]", false)]
    [InlineData("[-]", "-", false)]
    [InlineData("[x-]", "x", false)]
    [InlineData("[a-b-c]", "a", false)]
    [InlineData("[", "a", false)]
    [InlineData("[^", "a", false)]
    [InlineData("a[", "a", false)]
    [InlineData("*x", "xxx", true)]
    public void Match_is_go_path_match(string pattern, string name, bool want) =>
        Assert.Equal(want, ModulePatterns.Match(pattern, name));

    [Theory]
    [InlineData("[", false)]
    [InlineData("a\\", false)]
    [InlineData("[a-]", false)]
    [InlineData("git.corp.example/*", true)]
    [InlineData("*.corp.example/[a-z]*", true)]
    public void CheckGlob_reports_malformed_patterns(string glob, bool valid) =>
        Assert.Equal(valid, ModulePatterns.CheckGlob(glob) is null);

    [Fact]
    public void No_glob_or_target_makes_matching_throw() =>
        Gen.Select(Gen.String[Gen.Char["*?[]^-\\/,ab.c"], 0, 12], Gen.String[Gen.Char["/ab.c-"], 0, 12])
            .Sample((glob, target) =>
            {
                _ = ModulePatterns.MatchPrefixPatterns(glob, target);
                _ = ModulePatterns.CheckGlob(glob);
            }, iter: 20_000);

    [Fact]
    public void A_literal_prefix_matches_every_path_below_it() =>
        Gen.Select(Gen.String[Gen.Char["abcdefg"], 1, 6], Gen.String[Gen.Char["abcdefg"], 1, 6], Gen.String[Gen.Char["abcdefg"], 1, 6])
            .Sample((host, a, b) =>
                ModulePatterns.MatchPrefixPatterns(host + ".example/" + a, host + ".example/" + a + "/" + b) &&
                !ModulePatterns.MatchPrefixPatterns(host + ".example/" + a, host + ".example/" + a + "x/" + b));
}
