using ProxyOperator.Manifests;

// make manifests: dotnet run --project src/ProxyOperator.Manifests -- --output config/crd/bases [--check]
// Writes the CRDs generated from the operator's C# types; with --check, writes nothing and exits 1 when the files
// in the output folder differ from what the types generate (CI's drift check).
string? output = null;
var check = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--output" when i + 1 < args.Length:
            output = args[++i];
            break;
        case "--check":
            check = true;
            break;
        default:
            await Console.Error.WriteLineAsync($"unknown argument {args[i]}\nusage: --output DIR [--check]");
            return 2;
    }
}

if (output is null)
{
    await Console.Error.WriteLineAsync("usage: --output DIR [--check]");
    return 2;
}

var drifted = 0;
foreach (var file in ManifestFile.CustomResourceDefinitions())
{
    var path = Path.Combine(output, file.Name);
    var committed = File.Exists(path) ? await File.ReadAllTextAsync(path) : null;
    if (committed == file.Content)
    {
        continue;
    }

    if (check)
    {
        drifted++;
        await Console.Error.WriteLineAsync($"{path} differs from what the types generate; run `make manifests`.");
        await Console.Error.WriteLineAsync($"--- {path} (committed)\n+++ {path} (generated)");
        await Console.Error.WriteAsync(TextDiff.Describe(committed ?? string.Empty, file.Content));
    }
    else
    {
        Directory.CreateDirectory(output);
        await File.WriteAllTextAsync(path, file.Content);
        Console.WriteLine($"wrote {path}");
    }
}

return drifted == 0 ? 0 : 1;
