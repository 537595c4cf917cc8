namespace ProxyOperator.Modules.Tests;

/// <summary>
/// Pseudo-versions (https://go.dev/ref/mod#pseudo-versions), with vectors from golang.org/x/mod
/// module/pseudo_test.go (pseudoTests, TestInvalidPseudoVersionBase, TestIncDecimal, TestDecDecimal).
/// </summary>
public sealed class PseudoVersionTests
{
    private static readonly DateTimeOffset PseudoTime = new(2006, 1, 2, 15, 4, 5, TimeSpan.Zero);

    // x/mod pseudo_test.go pseudoTests: major, older tag, resulting pseudo-version (revision "hash").
    public static TheoryData<string, string, string> PseudoTests => new()
    {
        { "", "", "v0.0.0-20060102150405-hash" },
        { "v0", "", "v0.0.0-20060102150405-hash" },
        { "v1", "", "v1.0.0-20060102150405-hash" },
        { "v2", "", "v2.0.0-20060102150405-hash" },
        { "unused", "v0.0.0", "v0.0.1-0.20060102150405-hash" },
        { "unused", "v1.2.3", "v1.2.4-0.20060102150405-hash" },
        { "unused", "v1.2.99999999999999999", "v1.2.100000000000000000-0.20060102150405-hash" },
        { "unused", "v1.2.3-pre", "v1.2.3-pre.0.20060102150405-hash" },
        { "unused", "v1.3.0-pre", "v1.3.0-pre.0.20060102150405-hash" },
        { "unused", "v0.0.0--", "v0.0.0--.0.20060102150405-hash" },
        { "unused", "v1.0.0+metadata", "v1.0.1-0.20060102150405-hash+metadata" },
        { "unused", "v2.0.0+incompatible", "v2.0.1-0.20060102150405-hash+incompatible" },
        { "unused", "v2.3.0-pre+incompatible", "v2.3.0-pre.0.20060102150405-hash+incompatible" },
    };

    [Theory]
    [MemberData(nameof(PseudoTests))]
    public void Build_makes_the_pseudo_version_for_a_commit_after_a_tag(string major, string older, string version)
    {
        Assert.Equal(version, PseudoVersion.Build(major, older, PseudoTime, "hash"));
    }

    [Theory]
    [MemberData(nameof(PseudoTests))]
    public void Pseudo_versions_are_recognised_and_their_tags_are_not(string major, string older, string version)
    {
        _ = major;
        Assert.True(PseudoVersion.IsPseudo(version));
        Assert.False(PseudoVersion.IsPseudo(older));
    }

    [Theory]
    [MemberData(nameof(PseudoTests))]
    public void Time_and_revision_come_back_out(string major, string older, string version)
    {
        _ = major;
        Assert.True(PseudoVersion.TryGetTime(version, out var time));
        Assert.Equal(PseudoTime, time);
        Assert.True(PseudoVersion.TryGetRevision(version, out var revision));
        Assert.Equal("hash", revision);
        Assert.False(PseudoVersion.TryGetTime(older, out _));
        Assert.False(PseudoVersion.TryGetRevision(older, out var none));
        Assert.Null(none);
    }

    [Theory]
    [MemberData(nameof(PseudoTests))]
    public void Base_is_the_tag_the_pseudo_version_was_built_on(string major, string older, string version)
    {
        _ = major;
        Assert.True(PseudoVersion.TryGetBase(version, out var baseVersion, out var error), error);
        Assert.Equal(older, baseVersion);
    }

    // x/mod pseudo_test.go TestInvalidPseudoVersionBase.
    [Theory]
    [InlineData("v0.0.0")]
    [InlineData("v0.0.0-")]
    [InlineData("v0.0.0-0.20060102150405-hash")]
    [InlineData("v0.1.0-0.20060102150405-hash")]
    [InlineData("v1.0.0-0.20060102150405-hash")]
    [InlineData("v0.0.0-20060102150405-hash+incompatible")]
    [InlineData("v0.0.0-20060102150405-hash+metadata")]
    public void Impossible_bases_are_rejected(string version)
    {
        Assert.False(PseudoVersion.TryGetBase(version, out var baseVersion, out var error));
        Assert.Null(baseVersion);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("---")]
    [InlineData("v1.2.3")]
    [InlineData("v1.2.3-pre")]
    [InlineData("v0.0.0-2006010215040-hash")]
    [InlineData("v0.0.0-200601021504050-hash")]
    [InlineData("v0.0.0-20060102150405-")]
    [InlineData("v0.0.0-20060102150405-ha_sh")]
    [InlineData("v1.2.3-20060102150405-hash")]
    [InlineData("v0.0.0-٢٠٠٦٠١٠٢١٥٠٤٠٥-hash")]
    [InlineData("v0.0.0-20060102150405-hash\n")]
    public void Other_versions_are_not_pseudo_versions(string version)
    {
        Assert.False(PseudoVersion.IsPseudo(version));
        Assert.False(PseudoVersion.TryParse(version, out var parts));
        Assert.Null(parts);
        Assert.False(PseudoVersion.TryGetTime(version, out _));
    }

    [Theory]
    [InlineData("v0.0.0-20061302150405-hash")]
    [InlineData("v0.0.0-20060230150405-hash")]
    [InlineData("v0.0.0-20060102250405-hash")]
    [InlineData("v0.0.0-20060102156005-hash")]
    public void Malformed_timestamps_have_no_time(string version)
    {
        Assert.True(PseudoVersion.IsPseudo(version));
        Assert.False(PseudoVersion.TryGetTime(version, out _));
    }

    [Theory]
    [InlineData("v0.0.0-20191109021931-daa7c04131f5", "v0.0.0", "20191109021931", "daa7c04131f5", "", true)]
    [InlineData("v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4-0", "20191109021931", "daa7c04131f5", "", false)]
    [InlineData("v1.2.3-pre.0.20191109021931-daa7c04131f5+incompatible", "v1.2.3-pre.0", "20191109021931", "daa7c04131f5", "+incompatible", false)]
    public void Parsing_splits_the_three_forms(string version, string rawBase, string timestamp, string revision, string build, bool zeroBase)
    {
        Assert.True(PseudoVersion.TryParse(version, out var parts));
        Assert.Equal(rawBase, parts.RawBase);
        Assert.Equal(timestamp, parts.Timestamp);
        Assert.Equal(revision, parts.Revision);
        Assert.Equal(build, parts.Build);
        Assert.Equal(zeroBase, parts.IsZeroBase);
    }

    [Fact]
    public void Zero_pseudo_versions_are_placeholders()
    {
        Assert.Equal("v0.0.0-00010101000000-000000000000", PseudoVersion.Zero(""));
        Assert.Equal("v2.0.0-00010101000000-000000000000", PseudoVersion.Zero("v2"));
        Assert.True(PseudoVersion.IsZero("v0.0.0-00010101000000-000000000000"));
        Assert.True(PseudoVersion.IsZero("v3.0.0-00010101000000-000000000000"));
        Assert.False(PseudoVersion.IsZero("v0.0.0-20191109021931-daa7c04131f5"));
    }

    [Theory]
    [InlineData("0", "1")]
    [InlineData("1", "2")]
    [InlineData("99", "100")]
    [InlineData("100", "101")]
    [InlineData("101", "102")]
    public void Decimal_increment_carries(string input, string output)
    {
        Assert.Equal(output, PseudoVersion.IncDecimal(input));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("0", "")]
    [InlineData("00", "")]
    [InlineData("1", "0")]
    [InlineData("2", "1")]
    [InlineData("99", "98")]
    [InlineData("100", "99")]
    [InlineData("101", "100")]
    public void Decimal_decrement_borrows(string input, string output)
    {
        Assert.Equal(output, PseudoVersion.DecDecimal(input));
    }
}
