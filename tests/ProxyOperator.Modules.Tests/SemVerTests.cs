using System.Collections.Immutable;

namespace ProxyOperator.Modules.Tests;

/// <summary>
/// golang.org/x/mod/semver behaviour, driven by the table in semver/semver_test.go: each row is
/// (input, canonical form or "" when invalid), listed in increasing order.
/// </summary>
public sealed class SemVerTests
{
    // x/mod semver_test.go "tests", in order: Compare(tests[i], tests[j]) is sign(i - j) unless the canonical forms agree.
    private static readonly ImmutableArray<(string In, string Out)> Table =
    [
        ("bad", ""),
        ("v1-alpha.beta.gamma", ""),
        ("v1-pre", ""),
        ("v1+meta", ""),
        ("v1-pre+meta", ""),
        ("v1.2-pre", ""),
        ("v1.2+meta", ""),
        ("v1.2-pre+meta", ""),
        ("v1.0.0-alpha", "v1.0.0-alpha"),
        ("v1.0.0-alpha.1", "v1.0.0-alpha.1"),
        ("v1.0.0-alpha.beta", "v1.0.0-alpha.beta"),
        ("v1.0.0-beta", "v1.0.0-beta"),
        ("v1.0.0-beta.2", "v1.0.0-beta.2"),
        ("v1.0.0-beta.11", "v1.0.0-beta.11"),
        ("v1.0.0-rc.1", "v1.0.0-rc.1"),
        ("v1", "v1.0.0"),
        ("v1.0", "v1.0.0"),
        ("v1.0.0", "v1.0.0"),
        ("v1.2", "v1.2.0"),
        ("v1.2.0", "v1.2.0"),
        ("v1.2.3-456", "v1.2.3-456"),
        ("v1.2.3-456.789", "v1.2.3-456.789"),
        ("v1.2.3-456-789", "v1.2.3-456-789"),
        ("v1.2.3-456a", "v1.2.3-456a"),
        ("v1.2.3-pre", "v1.2.3-pre"),
        ("v1.2.3-pre+meta", "v1.2.3-pre"),
        ("v1.2.3-pre.1", "v1.2.3-pre.1"),
        ("v1.2.3-zzz", "v1.2.3-zzz"),
        ("v1.2.3", "v1.2.3"),
        ("v1.2.3+meta", "v1.2.3"),
        ("v1.2.3+meta-pre", "v1.2.3"),
        ("v1.2.3+meta-pre.sha.256a", "v1.2.3"),
    ];

    public static TheoryData<string, string> Rows()
    {
        var data = new TheoryData<string, string>();
        foreach (var (input, output) in Table)
        {
            data.Add(input, output);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Validity_and_canonical_form_follow_the_x_mod_table(string input, string canonical)
    {
        Assert.Equal(canonical.Length != 0, SemVer.IsValid(input));
        Assert.Equal(canonical, SemVer.Canonical(input));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Major_is_the_canonical_form_up_to_the_first_dot(string input, string canonical)
    {
        var dot = canonical.IndexOf('.', StringComparison.Ordinal);
        Assert.Equal(dot >= 0 ? canonical[..dot] : "", SemVer.Major(input));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Major_minor_keeps_the_input_spelling(string input, string canonical)
    {
        // semver_test.go TestMajorMinor
        var want = "";
        if (canonical.Length != 0)
        {
            want = input;
            var plus = want.IndexOf('+', StringComparison.Ordinal);
            if (plus >= 0)
            {
                want = want[..plus];
            }

            var dash = want.IndexOf('-', StringComparison.Ordinal);
            if (dash >= 0)
            {
                want = want[..dash];
            }

            switch (want.Count(c => c == '.'))
            {
                case 0:
                    want += ".0";
                    break;
                case 2:
                    want = want[..want.LastIndexOf('.')];
                    break;
                default:
                    break;
            }
        }

        Assert.Equal(want, SemVer.MajorMinor(input));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Prerelease_and_build_are_split_off_valid_versions(string input, string canonical)
    {
        var wantPre = "";
        var wantBuild = "";
        if (canonical.Length != 0)
        {
            var dash = canonical.IndexOf('-', StringComparison.Ordinal);
            wantPre = dash >= 0 ? canonical[dash..] : "";
            var plus = input.IndexOf('+', StringComparison.Ordinal);
            wantBuild = plus >= 0 ? input[plus..] : "";
        }

        Assert.Equal(wantPre, SemVer.Prerelease(input));
        Assert.Equal(wantBuild, SemVer.Build(input));
    }

    [Fact]
    public void Compare_orders_the_table_and_ignores_build_metadata()
    {
        for (var i = 0; i < Table.Length; i++)
        {
            for (var j = 0; j < Table.Length; j++)
            {
                var want = Table[i].Out == Table[j].Out ? 0 : i < j ? -1 : 1;
                Assert.True(want == SemVer.Compare(Table[i].In, Table[j].In), $"Compare({Table[i].In}, {Table[j].In}) should be {want}");
            }
        }
    }

    [Fact]
    public void Max_returns_the_larger_canonical_version()
    {
        for (var i = 0; i < Table.Length; i++)
        {
            for (var j = 0; j < Table.Length; j++)
            {
                var want = i < j ? SemVer.Canonical(Table[j].In) : SemVer.Canonical(Table[i].In);
                Assert.Equal(want, SemVer.Max(Table[i].In, Table[j].In));
            }
        }
    }

    [Fact]
    public void Sort_orders_by_precedence_then_by_string()
    {
        var versions = Table.Select(t => t.In).Reverse().ToList();
        SemVer.Sort(versions);
        for (var i = 1; i < versions.Count; i++)
        {
            Assert.True(SemVer.CompareForSort(versions[i - 1], versions[i]) < 0, $"{versions[i - 1]} before {versions[i]}");
        }

        // Equal precedence falls back to ordinal order: "v1" < "v1.0" < "v1.0.0".
        var ties = new List<string> { "v1.0.0", "v1", "v1.0", "v0.9.0", "junk", "v1.0.0-rc.1" };
        SemVer.Sort(ties);
        Assert.Equal(["junk", "v0.9.0", "v1.0.0-rc.1", "v1", "v1.0", "v1.0.0"], ties);
    }

    [Theory]
    [InlineData("v1.0.0-alpha", "v1.0.0-alpha.1")]
    [InlineData("v1.0.0-alpha.1", "v1.0.0-alpha.beta")]
    [InlineData("v1.0.0-beta.2", "v1.0.0-beta.11")]
    [InlineData("v1.0.0-rc.1", "v1.0.0")]
    [InlineData("v1.9.0", "v1.10.0")]
    [InlineData("v1.2.3-2", "v1.2.3-10")]
    [InlineData("v1.2.3-9", "v1.2.3-a")]
    [InlineData("v0.0.0-20190101000000-aaaaaaaaaaaa", "v0.0.0-20200101000000-aaaaaaaaaaaa")]
    [InlineData("invalid", "v0.0.0")]
    public void Precedence_follows_semver_rules(string lower, string higher)
    {
        Assert.Equal(-1, SemVer.Compare(lower, higher));
        Assert.Equal(1, SemVer.Compare(higher, lower));
    }

    [Theory]
    [InlineData("v01.0.0")]
    [InlineData("v1.02.0")]
    [InlineData("v1.0.03")]
    [InlineData("v1.0.0-01")]
    [InlineData("v1.0.0-")]
    [InlineData("v1.0.0-a..b")]
    [InlineData("v1.0.0+")]
    [InlineData("v1.0.0+a..b")]
    [InlineData("v1.0.0-a_b")]
    [InlineData("1.0.0")]
    [InlineData("V1.0.0")]
    [InlineData("v")]
    [InlineData("v1.0.0.0")]
    [InlineData("v1.0.0\n")]
    public void Malformed_versions_are_invalid(string version)
    {
        Assert.False(SemVer.IsValid(version));
        Assert.Equal("", SemVer.Canonical(version));
        Assert.Equal(0, SemVer.Compare(version, "junk"));
    }

    [Theory]
    [InlineData("v1.0.0+001")]
    [InlineData("v1.0.0-0")]
    [InlineData("v1.0.0-0a")]
    [InlineData("v1.0.0-x-y-z.-")]
    public void Edge_cases_that_semver_allows_are_valid(string version)
    {
        Assert.True(SemVer.IsValid(version));
    }

    [Fact]
    public void Canonical_drops_all_build_metadata_like_x_mod_semver()
    {
        // semver.Canonical strips "+incompatible" too; module.CanonicalVersion (ModuleVersion.Canonical) keeps it.
        Assert.Equal("v2.0.0", SemVer.Canonical("v2.0.0+incompatible"));
        Assert.Equal("+incompatible", SemVer.Build("v2.0.0+incompatible"));
    }
}
