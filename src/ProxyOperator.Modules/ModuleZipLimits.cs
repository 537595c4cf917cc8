namespace ProxyOperator.Modules;

/// <summary>
/// Size limits the go command enforces on module zips (golang.org/x/mod zip/zip.go <c>MaxZipFile</c>,
/// <c>MaxGoMod</c>, <c>MaxLICENSE</c>; https://go.dev/ref/mod#zip-path-size-constraints). A proxy that
/// served anything larger would hand clients a module they refuse to extract.
/// </summary>
public static class ModuleZipLimits
{
    /// <summary>Maximum size of a module zip file, and of the total uncompressed size of its files (500 MiB).</summary>
    public const long MaxZipFile = 500 << 20;

    /// <summary>Maximum size of a go.mod file, in a zip or served as <c>.mod</c> (16 MiB).</summary>
    public const long MaxGoMod = 16 << 20;

    /// <summary>Maximum size of the module root's LICENSE file (16 MiB).</summary>
    public const long MaxLicense = 16 << 20;
}
