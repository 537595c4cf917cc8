namespace ProxyOperator.Modules;

/// <summary>
/// Which x/mod path rule set applies. Module paths, import paths and file paths share one checker with
/// different allowed characters (golang.org/x/mod module/module.go <c>pathKind</c>).
/// </summary>
internal enum PathKind
{
    /// <summary>Module path element: <c>modPathOK</c> characters, no leading dot.</summary>
    Module,

    /// <summary>Package import path element: <c>importPathOK</c> adds '+'.</summary>
    Import,

    /// <summary>File path inside a module zip: <c>fileNameOK</c>, leading dash/dot allowed, no short-name check.</summary>
    File,
}
