namespace ProxyOperator.Testing;

/// <summary>One module version of a fixture: its files become a real module zip.</summary>
public sealed record FixtureModule(string Path, string Version, DateTimeOffset Time, IReadOnlyDictionary<string, string> Files)
{
    /// <summary>A module whose only package is <paramref name="package"/> with a <c>Name()</c> function.</summary>
    public static FixtureModule Simple(string path, string version, DateTimeOffset time, string package, string goMod, string body = "") =>
        new(path, version, time, new Dictionary<string, string>
        {
            ["go.mod"] = goMod,
            [$"{package}.go"] = $"package {package}\n\n{body}func Name() string {{ return \"{path}@{version}\" }}\n",
        });
}

/// <summary>The <c>h1:</c> hashes the go command's own code computed for a fixture module.</summary>
public sealed record FixtureSums(string Sum, string GoModSum);
