using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace ProxyOperator.Modules.Tests;

/// <summary>
/// "h1:" hashes (https://go.dev/ref/mod#go-sum-files). The pinned values were printed by the real
/// go command's libraries: golang.org/x/mod/zip.CreateFromDir made the TestData zips and
/// golang.org/x/mod/sumdb/dirhash.HashZip / Hash1 hashed them (Go 1.19, x/mod 0.7.0, GOPATH mode).
/// </summary>
public sealed class ModuleHashTests
{
    private static FileStream Open(string file) => File.OpenRead(Path.Combine(AppContext.BaseDirectory, "TestData", file));

    [Theory]
    [InlineData("hello-v1.0.0.zip", "h1:u0OHlkQHS6rCj4fBUdr93fsAxGK5iRrXvkiCAC9r56I=")]
    [InlineData("nested-v2-v2.1.0.zip", "h1:yv8urCcsTGpVj6Zxyk0VJKttzre/ECTYK60fP89KKag=")]
    [InlineData("upper-case-v0.1.0.zip", "h1:ebuiqkceJymg9KNMTeCpLRAqBHSW4OyxZTb1BH8GUfg=")]
    public void Zip_hashes_match_what_go_computes(string file, string h1)
    {
        using var zip = Open(file);
        Assert.Equal(h1, ModuleHash.HashZip(zip));
    }

    [Theory]
    [InlineData("hello-v1.0.0.zip", "h1:u0OHlkQHS6rCj4fBUdr93fsAxGK5iRrXvkiCAC9r56I=")]
    [InlineData("nested-v2-v2.1.0.zip", "h1:yv8urCcsTGpVj6Zxyk0VJKttzre/ECTYK60fP89KKag=")]
    public async Task Async_zip_hashes_match_too(string file, string h1)
    {
        await using var zip = Open(file);
        Assert.Equal(h1, await ModuleHash.HashZipAsync(zip, CancellationToken.None));
    }

    [Theory]
    [InlineData("hello-v1.0.0.zip", "example.com/hello@v1.0.0/go.mod", "h1:RslnPMa/nR3RpskRbvoDBlr6/b2RhFS0EEnq72RQTo0=")]
    [InlineData("nested-v2-v2.1.0.zip", "example.com/nested/v2@v2.1.0/go.mod", "h1:HtrsPtO0y9Hmq0YXUelUwIsb5rcjDiCCdpP8X9bvF5o=")]
    [InlineData("upper-case-v0.1.0.zip", "example.com/Upper/Case@v0.1.0/go.mod", "h1:GnR9fbXV3CM4aaDIWWzwYKE1jlkn9gckCgFFTTaVLCc=")]
    public void Go_mod_hashes_match_the_go_sum_line(string file, string entry, string h1)
    {
        using var zip = Open(file);
        using var archive = new ZipArchive(zip, ZipArchiveMode.Read);
        using var goMod = archive.GetEntry(entry)!.Open();
        using var content = new MemoryStream();
        goMod.CopyTo(content);
        Assert.Equal(h1, ModuleHash.HashGoMod(content.ToArray()));
    }

    [Fact]
    public void Go_mod_hash_covers_only_the_bytes_under_the_name_go_mod()
    {
        var goMod = "module example.com/hello\n\ngo 1.19\n"u8;
        Assert.Equal("h1:RslnPMa/nR3RpskRbvoDBlr6/b2RhFS0EEnq72RQTo0=", ModuleHash.HashGoMod(goMod));
        Assert.NotEqual(ModuleHash.HashGoMod(goMod), ModuleHash.HashGoMod("module example.com/hello\n"u8));
    }

    // Go repacked the same files with extra directory entries and dirhash.HashZip printed these.
    [Theory]
    [InlineData("hello-v1.0.0.zip", "h1:u0OHlkQHS6rCj4fBUdr93fsAxGK5iRrXvkiCAC9r56I=", "h1:mNqp81oF70kDs28cjZbrzHF90cKxQxDXzwBglVINXXA=",
        new[] { "example.com/hello@v1.0.0/" })]
    [InlineData("nested-v2-v2.1.0.zip", "h1:yv8urCcsTGpVj6Zxyk0VJKttzre/ECTYK60fP89KKag=", "h1:3ahqDCWJOnKewS0XXMNE7hScmxjpaAH+yLbnOmaWbFU=",
        new[] { "example.com/nested/v2@v2.1.0/internal/", "example.com/nested/v2@v2.1.0/internal/util/" })]
    public void Directory_entries_change_the_hash(string file, string original, string withDirectories, string[] directories)
    {
        using var zip = Open(file);
        using var repacked = ZipBuilder.RepackWithDirectories(zip, directories);
        var hash = ModuleHash.HashZip(repacked);
        Assert.NotEqual(original, hash);
        Assert.Equal(withDirectories, hash);
    }

    [Fact]
    public void Only_names_and_contents_count_not_the_zip_encoding()
    {
        using var zip = Open("nested-v2-v2.1.0.zip");
        using var repacked = ZipBuilder.RepackWithDirectories(zip);
        Assert.NotEqual(new FileInfo(Path.Combine(AppContext.BaseDirectory, "TestData", "nested-v2-v2.1.0.zip")).Length, repacked.Length);
        Assert.Equal("h1:yv8urCcsTGpVj6Zxyk0VJKttzre/ECTYK60fP89KKag=", ModuleHash.HashZip(repacked));
    }

    // x/mod zip/testdata/unzip: simple.txt, go_mod_dir.txt, empty.txt with their pinned hashes.
    [Fact]
    public void The_x_mod_unzip_vectors_hash_the_same()
    {
        using (var simple = ZipBuilder.Build(
            ("example.com/m@v1.0.0/go.mod", "module example.com/m\n\ngo 1.13\n"),
            ("example.com/m@v1.0.0/m.go", "package m\n\nfunc Foo() int { return 42 }\n"),
            ("example.com/m@v1.0.0/cmd/hello/hello.go", "package main\n\nimport (\n  \"fmt\"\n  \"example.com/m\"\n)\n\nfunc main() {\n  fmt.Println(m.Foo())\n}\n")))
        {
            Assert.Equal("h1:tpqYOOmuilagXzyqoJ3roUjp8gneQeTv5YVpL6BG7/k=", ModuleHash.HashZip(simple));
        }

        using (var goModDir = ZipBuilder.Build(("example.com/m@v1.0.0/go.mod/a.go", "package a\n")))
        {
            Assert.Equal("h1:Mun5l9cBlDnnV6JasTpio2aZJSbFj++h+814mnKC/OM=", ModuleHash.HashZip(goModDir));
        }

        using var empty = ZipBuilder.Build();
        Assert.Equal("h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", ModuleHash.HashZip(empty));
    }

    [Fact]
    public void Entry_order_in_the_archive_does_not_matter()
    {
        using var forward = ZipBuilder.Build(("p/a", "1"), ("p/b", "2"), ("p/B", "3"));
        using var backward = ZipBuilder.Build(("p/B", "3"), ("p/b", "2"), ("p/a", "1"));
        Assert.Equal(ModuleHash.HashZip(forward), ModuleHash.HashZip(backward));
    }

    // x/mod sumdb/dirhash hash_test.go TestHash1.
    [Fact]
    public void Hash1_is_the_sha256_of_a_sorted_sha256sum_listing()
    {
        string H(string s) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)));
        var summary = $"{H("data for abc")}  abc\n{H("data for xyz")}  xyz\n";
        var want = "h1:" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(summary)));
        var got = ModuleHash.Hash1(["xyz", "abc"], name => new MemoryStream(Encoding.UTF8.GetBytes("data for " + name)));
        Assert.Equal(want, got);
    }

    [Fact]
    public void Names_with_newlines_cannot_be_hashed()
    {
        Assert.Throws<ArgumentException>(() => ModuleHash.Hash1(["xyz", "a\nbc"], _ => new MemoryStream()));
        using var zip = ZipBuilder.Build(("p/a\nb", "x"));
        Assert.Throws<InvalidDataException>(() => ModuleHash.HashZip(zip));
    }

    [Fact]
    public void Names_sort_by_utf8_bytes_like_go()
    {
        // U+FF21 (3 UTF-8 bytes EF BC A1) sorts before U+1F600 (F0 9F 98 80) in Go, though its UTF-16 code unit is larger.
        var order = new List<string>();
        ModuleHash.Hash1(["\U0001F600", "\uFF21"], name =>
        {
            order.Add(name);
            return new MemoryStream();
        });
        Assert.Equal(["\uFF21", "\U0001F600"], order);
    }
}
