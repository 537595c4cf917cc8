namespace ProxyOperator.GoProxy.Storage;

/// <summary>The files the GOPROXY protocol serves for a module.</summary>
public enum ArtifactKind
{
    /// <summary><c>@v/list</c>: known versions; refreshed after a TTL.</summary>
    List,

    /// <summary><c>@latest</c>: info of the newest version; refreshed after a TTL.</summary>
    Latest,

    /// <summary><c>@v/VERSION.info</c>; immutable once stored.</summary>
    Info,

    /// <summary><c>@v/VERSION.mod</c>; immutable once stored.</summary>
    Mod,

    /// <summary><c>@v/VERSION.zip</c>; immutable once stored.</summary>
    Zip,
}
