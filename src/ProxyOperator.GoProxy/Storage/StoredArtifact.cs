namespace ProxyOperator.GoProxy.Storage;

/// <summary>An open stored artifact. The caller owns and disposes <see cref="Content"/>.</summary>
public sealed class StoredArtifact(Stream content, long length, DateTimeOffset lastModified) : IAsyncDisposable
{
    public Stream Content { get; } = content;

    public long Length { get; } = length;

    public DateTimeOffset LastModified { get; } = lastModified;

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
