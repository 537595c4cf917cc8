using CsCheck;
using ProxyOperator.GoProxy.Filters;

namespace ProxyOperator.GoProxy.Tests.Filters;

public sealed class FilterRuleTests
{
    [Theory]
    [InlineData("github.com/evil/*", "github.com/evil/*", VersionComparison.Any, null)]
    [InlineData("example.com/lib@<v1.2.3", "example.com/lib", VersionComparison.Less, "v1.2.3")]
    [InlineData("example.com/lib@<=v1.2.3", "example.com/lib", VersionComparison.LessOrEqual, "v1.2.3")]
    [InlineData("example.com/lib@>v1.2.3", "example.com/lib", VersionComparison.Greater, "v1.2.3")]
    [InlineData("example.com/lib@>=v1.2.3-pre", "example.com/lib", VersionComparison.GreaterOrEqual, "v1.2.3-pre")]
    [InlineData("example.com/lib@=v1.2.3", "example.com/lib", VersionComparison.Equal, "v1.2.3")]
    [InlineData(" example.com/lib/@v1.2.3 ", "example.com/lib", VersionComparison.Equal, "v1.2.3")]
    public void Parses_the_resource_syntax(string text, string glob, VersionComparison comparison, string? version)
    {
        Assert.True(FilterRule.TryParse(text, out var rule, out var error), error);
        Assert.Equal(glob, rule.Glob);
        Assert.Equal(comparison, rule.Comparison);
        Assert.Equal(version, rule.Version);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("@v1.0.0")]
    [InlineData("example.com/lib@")]
    [InlineData("example.com/lib@<1.2.3")]
    [InlineData("example.com/lib@<<v1.2.3")]
    [InlineData("example.com/lib@latest")]
    [InlineData("a,b")]
    [InlineData("example.com/[lib")]
    [InlineData("example.com/lib x")]
    public void Refuses_what_it_cannot_read_with_a_reason(string text)
    {
        Assert.False(FilterRule.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void Deny_rules_refuse_module_wide_or_by_version_range()
    {
        var rules = FilterSet.Parse(["github.com/evil/*", "example.com/lib@<v1.2.3"], [], out var errors);
        Assert.Empty(errors);
        Assert.Contains("github.com/evil/*", rules.Refusal("github.com/evil/tool", null), StringComparison.Ordinal);
        Assert.NotNull(rules.Refusal("github.com/evil/tool/v2", "v2.0.0"));
        Assert.NotNull(rules.Refusal("example.com/lib", "v1.2.2"));
        Assert.NotNull(rules.Refusal("example.com/lib", "v0.0.0-20240101000000-abcdefabcdef"));
        Assert.Null(rules.Refusal("example.com/lib", "v1.2.3"));
        Assert.Null(rules.Refusal("example.com/lib", null));
        Assert.Null(rules.Refusal("example.com/library", "v0.1.0"));
        Assert.Null(rules.Refusal("github.com/good/tool", "v1.0.0"));
    }

    [Fact]
    public void Deny_ignores_case_so_a_case_variant_path_cannot_slip_past()
    {
        var rules = FilterSet.Parse(["github.com/evil/*"], [], out _);
        Assert.NotNull(rules.Refusal("github.com/Evil/Tool", "v1.0.0"));
    }

    [Fact]
    public void A_non_empty_allow_list_serves_only_what_it_covers_and_deny_wins()
    {
        var rules = FilterSet.Parse(["example.com/lib/bad"], ["example.com/lib/*", "example.com/pinned@>=v1.1.0"], out var errors);
        Assert.Empty(errors);
        Assert.Null(rules.Refusal("example.com/lib/a", "v1.0.0"));
        Assert.Contains("allow list", rules.Refusal("example.org/other", "v1.0.0"), StringComparison.Ordinal);
        Assert.Contains("denied", rules.Refusal("example.com/lib/bad", "v1.0.0"), StringComparison.Ordinal);
        Assert.Null(rules.Refusal("example.com/pinned", null));
        Assert.NotNull(rules.Refusal("example.com/pinned", "v1.0.0"));
        Assert.Null(rules.Refusal("example.com/pinned", "v1.1.0"));
        // Allow rules match exactly: case cannot widen an allow-list.
        Assert.NotNull(rules.Refusal("Example.com/lib/a", "v1.0.0"));
    }

    [Fact]
    public void Parse_reports_every_bad_rule_and_yields_no_rules()
    {
        var rules = FilterSet.Parse(["ok.example/*", "bad@x"], ["[", "fine.example"], out var errors);
        Assert.Equal(2, errors.Count);
        Assert.True(rules.IsEmpty);
    }

    private static readonly Gen<string> RuleText = Gen.String[Gen.Char["abc./*?[]^-\\@<>=v0123456789,+ \t"], 0, 24];

    [Fact]
    public void Parsing_any_text_never_throws_and_a_parsed_rule_never_throws_when_evaluated() =>
        Gen.Select(RuleText, Gen.String[Gen.Char["abc./-"], 0, 16], Gen.Int[0, 3].Select(i => i switch { 0 => null, 1 => "v1.2.3", 2 => "v0.0.0-20240101000000-abcdefabcdef", _ => (string?)"v2.0.0+incompatible" }))
            .Sample((text, module, version) =>
            {
                var rules = FilterSet.Parse([text], [text], out _);
                _ = rules.Refusal(module, version);
            }, iter: 20_000);

    private static readonly Gen<string> Element = Gen.String[Gen.Char["abcdefXYZ0123-"], 1, 6];

    private static readonly Gen<string> Version = Gen.Select(Gen.Int[0, 3], Gen.Int[0, 12], Gen.Int[0, 12]).Select((a, b, c) => $"v{a}.{b}.{c}");

    /// <summary>
    /// No bypass: whatever the allow rules say, a module covered by a deny rule (in any letter case) is refused, and
    /// a version inside a deny rule's range is refused.
    /// </summary>
    [Fact]
    public void A_denied_module_is_never_served() =>
        Gen.Select(Element, Element, Element, Version, Version, Gen.Int[0, 4].Select(i => new[] { "<", "<=", ">", ">=", "=" }[i]), Gen.Int[0, 3])
            .Sample((host, a, b, ruleVersion, version, op, bits) =>
            {
                var module = $"{host}.example/{a}/{b}";
                var variant = (bits & 1) == 1 ? module.ToUpperInvariant() : module;
                var allow = (bits & 2) == 2 ? new[] { "*", "*/*", "*/*/*", module } : [];
                var wide = FilterSet.Parse([$"{host}.example/{a}"], allow, out var e1);
                Assert.Empty(e1);
                Assert.NotNull(wide.Refusal(variant, version));
                Assert.NotNull(wide.Refusal(variant, null));

                var ranged = FilterSet.Parse([$"{module}@{op}{ruleVersion}"], allow, out var e2);
                Assert.Empty(e2);
                var order = ProxyOperator.Modules.SemVer.Compare(version, ruleVersion);
                var inRange = op switch { "<" => order < 0, "<=" => order <= 0, ">" => order > 0, ">=" => order >= 0, _ => order == 0 };
                Assert.Equal(inRange, ranged.Refusal(module, version) is not null);
            }, iter: 5_000);
}
