namespace ProxyOperator.Modules.Tests;

/// <summary>
/// Module zip validation (https://go.dev/ref/mod#zip-path-size-constraints), with cases from golang.org/x/mod
/// zip/testdata (check_zip/various.txt and the unzip/*.txt error cases) and zips made by x/mod itself.
/// </summary>
public sealed class ModuleZipTests
{
    private static readonly ModulePath M = ModulePath.Parse("example.com/m");

    private static ModuleZipCheck Check(ModulePath module, string version, params (string Name, string Content)[] entries)
    {
        using var zip = ZipBuilder.Build(entries);
        return ModuleZip.Check(zip, module, version);
    }

    [Fact]
    public void A_well_formed_module_zip_is_valid()
    {
        var check = Check(M, "v1.0.0",
            ("example.com/m@v1.0.0/", ""),
            ("example.com/m@v1.0.0/go.mod", "module example.com/m\n"),
            ("example.com/m@v1.0.0/m.go", "package m\n"),
            ("example.com/m@v1.0.0/LICENSE", "MIT\n"),
            ("example.com/m@v1.0.0/sub/", ""),
            ("example.com/m@v1.0.0/sub/s.go", "package sub\n"),
            ("example.com/m@v1.0.0/docs/Ünïcode file (1).md", "ok\n"));
        Assert.True(check.IsValid, string.Join("\n", check.Errors));
        Assert.Empty(check.Errors);
        Assert.Equal(
            [
                "example.com/m@v1.0.0/go.mod", "example.com/m@v1.0.0/m.go", "example.com/m@v1.0.0/LICENSE",
                "example.com/m@v1.0.0/sub/s.go", "example.com/m@v1.0.0/docs/Ünïcode file (1).md",
            ],
            check.ValidFiles);
    }

    [Fact]
    public void A_directory_named_go_mod_is_just_a_directory()
    {
        // zip/testdata/unzip/go_mod_dir.txt succeeds.
        var check = Check(M, "v1.0.0", ("example.com/m@v1.0.0/go.mod/a.go", "package a\n"));
        Assert.True(check.IsValid, string.Join("\n", check.Errors));
    }

    [Theory]
    [InlineData("hello-v1.0.0.zip", "example.com/hello", "v1.0.0")]
    [InlineData("nested-v2-v2.1.0.zip", "example.com/nested/v2", "v2.1.0")]
    [InlineData("upper-case-v0.1.0.zip", "example.com/Upper/Case", "v0.1.0")]
    public void Zips_made_by_x_mod_are_valid(string file, string path, string version)
    {
        using var zip = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "TestData", file));
        var check = ModuleZip.Check(zip, ModulePath.Parse(path), version);
        Assert.True(check.IsValid, string.Join("\n", check.Errors));
        Assert.NotEmpty(check.ValidFiles);
    }

    [Fact]
    public void The_x_mod_check_zip_various_case_reports_every_bad_entry()
    {
        // zip/testdata/check_zip/various.txt
        var check = Check(ModulePath.Parse("example.com/various"), "v1.0.0",
            ("noprefix", ""),
            ("example.com/various@v1.0.0/valid.go", ""),
            ("example.com/various@v1.0.0/not/../clean", ""),
            ("example.com/various@v1.0.0/invalid.go'", ""),
            ("example.com/various@v1.0.0/GO.MOD", ""),
            ("example.com/various@v1.0.0/valid.go", "duplicate\n"));
        Assert.False(check.IsValid);
        Assert.Equal(["example.com/various@v1.0.0/valid.go"], check.ValidFiles);
        Assert.Equal(
            [
                "noprefix: path does not have prefix \"example.com/various@v1.0.0/\"",
                "example.com/various@v1.0.0/not/../clean: file path is not clean",
                "example.com/various@v1.0.0/invalid.go': malformed file path \"invalid.go'\": invalid char '\\''",
                "example.com/various@v1.0.0/GO.MOD: go.mod files must have lowercase names",
                "example.com/various@v1.0.0/valid.go: multiple entries for file \"valid.go\"",
            ],
            check.Errors);
    }

    [Fact]
    public void Entries_without_the_module_prefix_are_invalid()
    {
        var check = Check(M, "v1.0.0",
            ("example.com/m@v1.0.1/m.go", "package m\n"),
            ("example.com/m@v1.0.0", ""),
            ("example.com/M@v1.0.0/m.go", "package m\n"));
        Assert.False(check.IsValid);
        Assert.Equal(3, check.Errors.Count);
        Assert.All(check.Errors, e => Assert.Contains("path does not have prefix \"example.com/m@v1.0.0/\"", e, StringComparison.Ordinal));
        Assert.StartsWith("example.com/m@v1.0.1/m.go: ", check.Errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Names_differing_only_in_case_collide()
    {
        var check = Check(M, "v1.0.0",
            ("example.com/m@v1.0.0/a.go", "package a\n"),
            ("example.com/m@v1.0.0/A.go", "package a\n"));
        Assert.Equal(["example.com/m@v1.0.0/A.go: case-insensitive file name collision: \"a.go\" and \"A.go\""], check.Errors);
        Assert.Equal(["example.com/m@v1.0.0/a.go"], check.ValidFiles);
    }

    [Fact]
    public void Case_folding_covers_directories_and_unicode()
    {
        Assert.Contains("case-insensitive file name collision: \"dir\" and \"DIR\"",
            Assert.Single(Check(M, "v1.0.0", ("example.com/m@v1.0.0/dir/a.go", ""), ("example.com/m@v1.0.0/DIR/b.go", "")).Errors),
            StringComparison.Ordinal);
        // U+212A KELVIN SIGN folds to 'k' in Go's strings.EqualFold.
        Assert.Single(Check(M, "v1.0.0", ("example.com/m@v1.0.0/k.go", ""), ("example.com/m@v1.0.0/\u212A.go", "")).Errors);
        Assert.Single(Check(M, "v1.0.0", ("example.com/m@v1.0.0/é.go", ""), ("example.com/m@v1.0.0/É.go", "")).Errors);
        // Dotted capital I has no simple case folding, so it does not collide with 'i'.
        Assert.True(Check(M, "v1.0.0", ("example.com/m@v1.0.0/i.go", ""), ("example.com/m@v1.0.0/\u0130.go", "")).IsValid);
    }

    [Theory]
    [InlineData("example.com/m@v1.0.0/a.go", "example.com/m@v1.0.0/a.go/b.go", "entry \"a.go\" is both a file and a directory")]
    [InlineData("example.com/m@v1.0.0/a.go/b.go", "example.com/m@v1.0.0/a.go", "entry \"a.go\" is both a file and a directory")]
    [InlineData("example.com/m@v1.0.0/d/", "example.com/m@v1.0.0/d", "entry \"d\" is both a file and a directory")]
    [InlineData("example.com/m@v1.0.0/dup.go", "example.com/m@v1.0.0/dup.go", "multiple entries for file \"dup.go\"")]
    public void A_path_is_either_one_file_or_a_directory(string first, string second, string reason)
    {
        var check = Check(M, "v1.0.0", (first, "x"), (second, "y"));
        Assert.Equal([$"{second}: {reason}"], check.Errors);
    }

    [Fact]
    public void Repeated_directory_entries_are_fine()
    {
        var check = Check(M, "v1.0.0",
            ("example.com/m@v1.0.0/d/", ""),
            ("example.com/m@v1.0.0/d/", ""),
            ("example.com/m@v1.0.0/d/a.go", "package d\n"));
        Assert.True(check.IsValid, string.Join("\n", check.Errors));
    }

    [Theory]
    [InlineData("sub/go.mod", "go.mod file not in module root directory")]
    [InlineData("b/GO.MOD", "go.mod file not in module root directory")]
    [InlineData("GO.MOD", "go.mod files must have lowercase names")]
    [InlineData("Go.Mod", "go.mod files must have lowercase names")]
    public void Go_mod_must_be_at_the_root_and_lowercase(string name, string reason)
    {
        var check = Check(M, "v1.0.0", ($"example.com/m@v1.0.0/{name}", "module example.com/m/sub\n"));
        Assert.Equal([$"example.com/m@v1.0.0/{name}: {reason}"], check.Errors);
        Assert.Empty(check.ValidFiles);
    }

    [Theory]
    [InlineData("./a.go", "file path is not clean")]
    [InlineData("a//b.go", "file path is not clean")]
    [InlineData("a/./b.go", "file path is not clean")]
    [InlineData("../a.go", "malformed file path \"../a.go\": invalid path element \"..\"")]
    [InlineData("/a.go", "malformed file path \"/a.go\": empty path element")]
    [InlineData("a*.go", "malformed file path \"a*.go\": invalid char '*'")]
    [InlineData("a\\b.go", "malformed file path \"a\\\\b.go\": invalid char '\\\\'")]
    [InlineData("con.go", "malformed file path \"con.go\": \"con\" disallowed as path element component on Windows")]
    [InlineData("a.", "malformed file path \"a.\": trailing dot in path element")]
    public void File_names_must_be_clean_and_portable(string name, string reason)
    {
        var check = Check(M, "v1.0.0", ($"example.com/m@v1.0.0/{name}", "x"));
        Assert.Equal([$"example.com/m@v1.0.0/{name}: {reason}"], check.Errors);
    }

    [Theory]
    [InlineData("v1.0", "version \"v1.0\" is not canonical (should be \"v1.0.0\")")]
    [InlineData("v1.0.0+bad", "version \"v1.0.0+bad\" is not canonical (should be \"v1.0.0\")")]
    [InlineData("master", "version \"master\" is not canonical (should be \"\")")]
    [InlineData("v2.0.0", "example.com/m@v2.0.0: invalid version: should be v0 or v1, not v2")]
    public void The_version_must_be_canonical_and_match_the_path(string version, string reason)
    {
        var check = Check(M, version, ($"example.com/m@{version}/m.go", "package m\n"));
        Assert.False(check.IsValid);
        Assert.Equal([reason], check.Errors);
        Assert.Empty(check.ValidFiles);
    }

    [Fact]
    public void An_oversized_go_mod_is_invalid()
    {
        using var zip = ZipBuilder.BuildZeros("example.com/m@v1.0.0/go.mod", ModuleZipLimits.MaxGoMod + 1);
        var check = ModuleZip.Check(zip, M, "v1.0.0");
        Assert.Equal(["example.com/m@v1.0.0/go.mod: go.mod file too large (max size is 16777216 bytes)"], check.Errors);
    }

    [Fact]
    public void A_go_mod_of_exactly_the_limit_is_valid()
    {
        using var zip = ZipBuilder.BuildZeros("example.com/m@v1.0.0/go.mod", ModuleZipLimits.MaxGoMod);
        Assert.True(ModuleZip.Check(zip, M, "v1.0.0").IsValid);
    }

    [Fact]
    public void Declared_sizes_are_what_counts()
    {
        using var small = ZipBuilder.Build(("example.com/m@v1.0.0/LICENSE", "MIT\n"), ("example.com/m@v1.0.0/go.mod", "module example.com/m\n"));
        using var bigLicense = ZipBuilder.WithDeclaredSize(small, "example.com/m@v1.0.0/LICENSE", (uint)ModuleZipLimits.MaxLicense + 1);
        Assert.Equal(["example.com/m@v1.0.0/LICENSE: LICENSE file too large (max size is 16777216 bytes)"], ModuleZip.Check(bigLicense, M, "v1.0.0").Errors);

        using var bigGoMod = ZipBuilder.WithDeclaredSize(small, "example.com/m@v1.0.0/go.mod", (uint)ModuleZipLimits.MaxGoMod + 1);
        Assert.Equal(["example.com/m@v1.0.0/go.mod: go.mod file too large (max size is 16777216 bytes)"], ModuleZip.Check(bigGoMod, M, "v1.0.0").Errors);
    }

    [Fact]
    public void Licenses_below_the_root_are_not_limited()
    {
        using var small = ZipBuilder.Build(("example.com/m@v1.0.0/third_party/LICENSE", "MIT\n"));
        using var big = ZipBuilder.WithDeclaredSize(small, "example.com/m@v1.0.0/third_party/LICENSE", (uint)ModuleZipLimits.MaxLicense + 1);
        Assert.True(ModuleZip.Check(big, M, "v1.0.0").IsValid);
    }

    [Fact]
    public void Total_declared_uncompressed_size_is_limited()
    {
        using var small = ZipBuilder.Build(("example.com/m@v1.0.0/a.bin", "a"), ("example.com/m@v1.0.0/b.bin", ""));
        using var big = ZipBuilder.WithDeclaredSize(small, "example.com/m@v1.0.0/a.bin", (uint)ModuleZipLimits.MaxZipFile);
        using var bigger = ZipBuilder.WithDeclaredSize(big, "example.com/m@v1.0.0/b.bin", 1);
        Assert.True(ModuleZip.Check(big, M, "v1.0.0").IsValid);
        var check = ModuleZip.Check(bigger, M, "v1.0.0");
        Assert.Equal(["total uncompressed size of module contents too large (max size is 524288000 bytes)"], check.Errors);
    }

    [Fact]
    public void A_zip_file_over_the_size_limit_is_invalid_without_being_read()
    {
        using var huge = new LengthOnlyStream(ModuleZipLimits.MaxZipFile + 1);
        var check = ModuleZip.Check(huge, M, "v1.0.0");
        Assert.Equal(["module zip file is too large (524288001 bytes; limit is 524288000 bytes)"], check.Errors);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 })]
    [InlineData(new byte[] { 0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0 })]
    public void Unreadable_bytes_are_invalid_with_a_reason(byte[] bytes)
    {
        using var zip = new MemoryStream(bytes);
        var check = ModuleZip.Check(zip, M, "v1.0.0");
        Assert.False(check.IsValid);
        Assert.StartsWith("module zip is unreadable: ", Assert.Single(check.Errors), StringComparison.Ordinal);
        Assert.DoesNotContain('\n', check.Errors[0]);
    }

    [Fact]
    public void Truncated_and_corrupted_zips_never_throw()
    {
        using var good = ZipBuilder.Build(("example.com/m@v1.0.0/go.mod", "module example.com/m\n"), ("example.com/m@v1.0.0/m.go", "package m\n"));
        var bytes = good.ToArray();
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            using var truncated = new MemoryStream(bytes, 0, cut);
            Assert.False(ModuleZip.Check(truncated, M, "v1.0.0").IsValid);
        }

        var random = new Random(42);
        for (var i = 0; i < 500; i++)
        {
            var corrupt = (byte[])bytes.Clone();
            corrupt[random.Next(corrupt.Length)] ^= (byte)(1 << random.Next(8));
            using var stream = new MemoryStream(corrupt);
            _ = ModuleZip.Check(stream, M, "v1.0.0");
        }
    }

    [Fact]
    public void Non_seekable_streams_are_a_programming_error()
    {
        using var zip = ZipBuilder.Build(("example.com/m@v1.0.0/m.go", "package m\n"));
        using var forwardOnly = new ForwardOnlyStream(zip);
        Assert.Throws<ArgumentException>(() => ModuleZip.Check(forwardOnly, M, "v1.0.0"));
    }

    // x/mod zip/testdata/unzip/*.txt cases that must fail, with the error each must contain.
    public static TheoryData<string, string, string[], string> UnzipErrorCases => new()
    {
        { "example.com/m", "v1.0.0", ["example.com/m@v1.0.0/bad.go'"], "malformed file path \"bad.go'\": invalid char '\\''" },
        { "example.com/m", "v1.0.0", ["example.com/m@v1.0.0/GO.MOD"], "go.mod files must have lowercase names" },
        { "example.com/m", "v2.0.0", [], "invalid version: should be v0 or v1, not v2" },
        { "example.com/m", "v1.0.0", ["example.com/m@v1.0.0/go.mod", "example.com/m@v1.0.0/sub/go.mod"], "go.mod file not in module root directory" },
        { "example.com/m", "v1.0.0+bad", [], "version \"v1.0.0+bad\" is not canonical (should be \"v1.0.0\")" },
        { "example.com/m", "v1.0.0", ["example.com/m@v1.0.0/a.go", "example.com/m@v1.0.0/b/GO.MOD", "example.com/m@v1.0.0/b/b.go"], "go.mod file not in module root directory" },
        { "example.com/m", "v1.0.0", ["example.com/m@v1.0.0/dup.go", "example.com/m@v1.0.0/dup.go"], "multiple entries for file \"dup.go\"" },
        { "example.com/m", "v1.0.0", ["example.com/m@v1.0.0/a.go", "example.com/m@v1.0.0/a.go/b.go"], "entry \"a.go\" is both a file and a directory" },
        { "example.com/m", "v1.0.0", ["example.com/m@v1.0.0/m.go", "example.com/m@v1.0.0/M.GO"], "case-insensitive file name collision: \"m.go\" and \"M.GO\"" },
        { "example.com/m", "v1.0.0", ["example.com/m@v1.0.0", "example.com/m@v1.0.0/go.mod"], "example.com/m@v1.0.0: path does not have prefix \"example.com/m@v1.0.0/\"" },
    };

    [Theory]
    [MemberData(nameof(UnzipErrorCases))]
    public void The_x_mod_unzip_error_cases_are_invalid(string path, string version, string[] names, string reason)
    {
        var check = Check(ModulePath.Parse(path), version, names.Select(n => (n, "package x\n")).ToArray());
        Assert.False(check.IsValid);
        Assert.Contains(check.Errors, e => e.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Incompatible_versions_are_checked_like_the_go_command_does()
    {
        var quote = ModulePath.Parse("rsc.io/quote");
        Assert.True(Check(quote, "v17.0.0+incompatible", ("rsc.io/quote@v17.0.0+incompatible/q.go", "package q\n")).IsValid);
        Assert.False(Check(ModulePath.Parse("rsc.io/quote/v17"), "v17.0.0+incompatible", ("rsc.io/quote/v17@v17.0.0+incompatible/q.go", "package q\n")).IsValid);
    }

    private sealed class LengthOnlyStream(long length) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get; set; }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("should not be read");

        public override long Seek(long offset, SeekOrigin origin) => throw new InvalidOperationException("should not be read");

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
