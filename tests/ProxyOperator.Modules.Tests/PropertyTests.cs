using CsCheck;

namespace ProxyOperator.Modules.Tests;

/// <summary>Properties that must hold for all inputs, checked with CsCheck on generated values.</summary>
public sealed class PropertyTests
{
    private static readonly Gen<string> Label = Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-"].Array[1, 8].Select(a => new string(a));

    private static readonly Gen<string> Element = Gen.Char["abcdefgXYZQWERTYUIOPASDFGHJKLMNBVCxz0123456789-._~"].Array[1, 10].Select(a => new string(a));

    private static readonly Gen<string> Suffix = Gen.OneOf("", "", "/v2", "/v3", "/v10", "/v1", "/v0");

    // Candidate module paths: domain-like first element, mixed-case later elements; many are valid.
    private static readonly Gen<string> CandidatePath =
        Gen.Select(Label, Label, Element.Array[0, 4], Suffix,
            (host, tld, rest, suffix) => host + "." + tld + string.Concat(rest.Select(e => "/" + e)) + suffix);

    private static readonly Gen<string> ValidPath = CandidatePath.Where(p => ModulePath.CheckPath(p) is null);

    private static readonly Gen<string> Version =
        Gen.Select(
            Gen.OneOf("0", "1", "2", "10", "01"),
            Gen.OneOf("", ".0", ".1", ".10", ".2.0", ".2.3", ".10.1", ".0.0", ".02.1"),
            Gen.OneOf("", "", "-alpha", "-alpha.1", "-alpha.beta", "-1", "-01", "-beta.2", "-beta.11", "-rc.1", "-0.20060102150405-abcdef", "-x-y", "-"),
            Gen.OneOf("", "", "+meta", "+incompatible", "+a.b", "+"),
            (major, rest, pre, build) => "v" + major + rest + pre + build)
        .Select(Gen.OneOf(true, true, true, false), (v, keep) => keep ? v : "junk" + v[1..]);

    [Fact]
    public void Escaping_then_unescaping_round_trips_for_any_valid_path()
    {
        ValidPath.Sample(path =>
        {
            Assert.True(CaseEncoding.TryEscape(path, out var escaped));
            Assert.DoesNotContain(escaped, char.IsAsciiLetterUpper);
            Assert.True(CaseEncoding.TryUnescape(escaped, out var back));
            Assert.Equal(path, back);
            Assert.True(ModulePath.TryParseEscaped(escaped, out var module, out var error), error);
            Assert.Equal(path, module.Value);
            Assert.Equal(escaped, module.Escaped);
        }, iter: 2000);
    }

    [Fact]
    public void Escaping_is_the_inverse_of_unescaping_wherever_unescaping_succeeds()
    {
        Gen.Char["abcXYZ!/.-0"].Array[0, 12].Select(a => new string(a)).Sample(escaped =>
        {
            if (CaseEncoding.TryUnescape(escaped, out var value))
            {
                Assert.True(CaseEncoding.TryEscape(value, out var again));
                Assert.Equal(escaped, again);
            }
        }, iter: 5000);
    }

    [Fact]
    public void Every_valid_path_is_also_a_valid_import_path_and_file_path()
    {
        ValidPath.Sample(path =>
        {
            Assert.Null(ModulePath.CheckImportPath(path));
            Assert.Null(ModulePath.CheckFilePath(path));
            Assert.True(ModulePath.TrySplitPathVersion(path, out var prefix, out var pathMajor));
            Assert.Equal(path, prefix + pathMajor);
        }, iter: 1000);
    }

    [Fact]
    public void Compare_is_a_total_preorder()
    {
        Gen.Select(Version, Version, Version).Sample((a, b, c) =>
        {
            Assert.Equal(0, SemVer.Compare(a, a));
            Assert.Equal(SemVer.Compare(a, b), -SemVer.Compare(b, a));
            if (SemVer.Compare(a, b) <= 0 && SemVer.Compare(b, c) <= 0)
            {
                Assert.True(SemVer.Compare(a, c) <= 0, $"{a} <= {b} <= {c} but not {a} <= {c}");
            }

            if (SemVer.Compare(a, b) == 0)
            {
                Assert.Equal(SemVer.Canonical(a), SemVer.Canonical(b));
            }
        }, iter: 5000);
    }

    [Fact]
    public void Sort_agrees_with_compare_and_ignores_input_order()
    {
        Version.List[0, 30].Sample(versions =>
        {
            var sorted = new List<string>(versions);
            SemVer.Sort(sorted);
            for (var i = 1; i < sorted.Count; i++)
            {
                Assert.True(SemVer.Compare(sorted[i - 1], sorted[i]) <= 0, $"{sorted[i - 1]} sorted before {sorted[i]}");
                Assert.True(SemVer.CompareForSort(sorted[i - 1], sorted[i]) <= 0);
            }

            var reversed = new List<string>(versions);
            reversed.Reverse();
            SemVer.Sort(reversed);
            Assert.Equal(sorted, reversed);
        }, iter: 1000);
    }

    [Fact]
    public void Canonical_versions_are_fixed_points()
    {
        Version.Sample(v =>
        {
            var canonical = SemVer.Canonical(v);
            Assert.Equal(SemVer.IsValid(v), canonical.Length != 0);
            if (canonical.Length != 0)
            {
                Assert.Equal(canonical, SemVer.Canonical(canonical));
                Assert.Equal(0, SemVer.Compare(v, canonical));
                Assert.True(ModuleVersion.IsCanonical(ModuleVersion.Canonical(v)));
            }
        }, iter: 2000);
    }
}
