using System.ComponentModel.DataAnnotations;
using ProxyOperator.GoProxy.SumDb;

namespace ProxyOperator.GoProxy.Configuration;

/// <summary>
/// The checksum database (https://go.dev/ref/mod#checksum-database): proxied for clients under <c>/sumdb/NAME/</c>,
/// and consulted to verify the h1: hashes of what the proxy ingests.
/// </summary>
/// <remarks>
/// <see cref="Verify"/> is off by default because it makes every cold fetch contact the database: a proxy started
/// without configuration (tests, air-gapped sites) must not reach sum.golang.org on its own. The operator's
/// GoModuleProxy resource turns it on by default for deployed proxies.
/// </remarks>
public sealed class SumDbOptions
{
    /// <summary>Go's default database, as the go command knows it (cmd/go/internal/modfetch/key.go).</summary>
    public const string DefaultKey = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";

    /// <summary>The database name, as in GOSUMDB; clients ask for <c>/sumdb/NAME/supported</c>.</summary>
    [Required]
    public string Name { get; set; } = "sum.golang.org";

    /// <summary>The verifier key, as in GOSUMDB: <c>NAME+HASH+BASE64KEY</c>. Its name must be <see cref="Name"/>.</summary>
    [Required]
    public string Key { get; set; } = DefaultKey;

    /// <summary>Where the database is served.</summary>
    [Required]
    public string Url { get; set; } = "https://sum.golang.org";

    /// <summary>Serve <c>/sumdb/NAME/...</c> by forwarding to <see cref="Url"/>, for clients that cannot reach it.</summary>
    public bool Proxy { get; set; } = true;

    /// <summary>Refuse ingested .mod and .zip files whose h1: hashes disagree with the database (502).</summary>
    public bool Verify { get; set; }

    /// <summary>
    /// With <see cref="Verify"/> on and the database unreachable: false (the default) refuses the download with a
    /// 502 the client may retry; true stores it unverified. Stored artifacts are served forever, so failing closed
    /// only delays a download, while failing open could keep tampered content for good.
    /// </summary>
    public bool AllowUnverified { get; set; }

    /// <summary>How long lookups, <c>latest</c> and partial tiles are reused; complete tiles never change.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan LookupTtl { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Deadline for one request to the database.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>What annotations cannot say: the key must parse and name this database, the URL must be http(s).</summary>
    public IEnumerable<string> Problems()
    {
        if (!VerifierKey.TryParse(Key, out var key, out var keyError))
        {
            yield return $"sumdb.key: {keyError}";
        }
        else if (key.Name != Name)
        {
            yield return $"sumdb.key is for {key.Name}, not sumdb.name {Name}";
        }

        if (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            yield return $"sumdb.url must be an http or https URL, not \"{Url}\"";
        }
    }
}
