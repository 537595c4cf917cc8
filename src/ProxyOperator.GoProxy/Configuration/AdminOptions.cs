namespace ProxyOperator.GoProxy.Configuration;

/// <summary>
/// The <c>admin</c> section: the cache maintenance API under <c>/_admin/</c>. Off unless a token file is set, so a
/// proxy never exposes purge without a credential.
/// </summary>
public sealed class AdminOptions
{
    /// <summary>
    /// File holding the bearer token (a mounted Secret; a trailing newline is ignored). Read on each admin request,
    /// so a rotated Secret takes effect without a restart.
    /// </summary>
    public string? TokenFile { get; set; }

    internal bool Enabled => !string.IsNullOrEmpty(TokenFile);

    /// <summary>What data annotations cannot say; empty when the section is usable.</summary>
    internal IEnumerable<string> Problems()
    {
        if (!Enabled)
        {
            yield break;
        }

        string? problem;
        try
        {
            problem = StorageOptions.ReadSecretFile(TokenFile!).Length == 0 ? "the file is empty" : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            problem = e.Message.ReplaceLineEndings(" ");
        }

        if (problem is not null)
        {
            yield return $"admin.tokenFile \"{TokenFile}\" cannot be read: {problem}";
        }
    }
}
