using ProxyOperator.Modules;

namespace ProxyOperator.GoProxy.Storage;

/// <summary>Names one stored file: a module, what kind of file, and (for versioned kinds) a canonical version.</summary>
public sealed record ArtifactKey
{
    private ArtifactKey(ModulePath module, ArtifactKind kind, string version)
    {
        Module = module;
        Kind = kind;
        Version = version;
    }

    public ModulePath Module { get; }

    public ArtifactKind Kind { get; }

    /// <summary>Canonical version for Info/Mod/Zip; empty for List/Latest.</summary>
    public string Version { get; }

    /// <summary>Info, mod and zip never change once stored: the go command hashes their exact bytes.</summary>
    public bool IsImmutable => Kind is ArtifactKind.Info or ArtifactKind.Mod or ArtifactKind.Zip;

    public static ArtifactKey ForList(ModulePath module) => new(module, ArtifactKind.List, "");

    public static ArtifactKey ForLatest(ModulePath module) => new(module, ArtifactKind.Latest, "");

    /// <summary>A versioned artifact; <paramref name="version"/> must pass <see cref="ModuleVersion.Check"/>.</summary>
    public static ArtifactKey ForVersion(ModulePath module, ArtifactKind kind, string version)
    {
        if (kind is ArtifactKind.List or ArtifactKind.Latest)
        {
            throw new ArgumentException("list and latest are not versioned", nameof(kind));
        }

        var problem = ModuleVersion.Check(module, version);
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(version));
        }

        return new ArtifactKey(module, kind, version);
    }

    /// <summary>
    /// The path under a GOPROXY root, escaped as the protocol escapes it, so a store's layout is itself a valid
    /// GOPROXY tree (and mirrors <c>GOMODCACHE/cache/download</c>).
    /// </summary>
    public string RelativePath => Kind switch
    {
        ArtifactKind.List => $"{Module.Escaped}/@v/list",
        ArtifactKind.Latest => $"{Module.Escaped}/@latest",
        _ => $"{Module.Escaped}/@v/{EscapedVersion}.{Extension}",
    };

    public string Extension => Kind switch
    {
        ArtifactKind.Info => "info",
        ArtifactKind.Mod => "mod",
        ArtifactKind.Zip => "zip",
        _ => "",
    };

    private string EscapedVersion => CaseEncoding.TryEscape(Version, out var escaped)
        ? escaped
        : throw new InvalidOperationException("a checked version always escapes");

    public override string ToString() => Kind switch
    {
        ArtifactKind.List => $"{Module}/@v/list",
        ArtifactKind.Latest => $"{Module}/@latest",
        _ => $"{Module}@{Version}.{Extension}",
    };
}
