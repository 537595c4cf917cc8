using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ProxyOperator.GoProxy.Configuration;

/// <summary>
/// Everything the proxy can be told, bound from (in rising precedence) the YAML file given by <c>--config</c>,
/// <c>PROXYOP_</c> environment variables and command-line flags. The operator's ConfigMap holds the YAML form.
/// </summary>
public sealed class ProxyOptions
{
    /// <summary><c>HOST:PORT</c> or <c>:PORT</c> to listen on.</summary>
    [Required]
    public string Listen { get; set; } = "0.0.0.0:3000";

    /// <summary>Root folder of the disk store. Artifacts mirror <c>GOMODCACHE/cache/download</c>.</summary>
    [Required]
    public string StorageDir { get; set; } = "data";

    /// <summary>Which store holds artifacts: disk (at <see cref="StorageDir"/>, the default) or an S3 bucket.</summary>
    [ValidateObjectMembers]
    public StorageOptions Storage { get; set; } = new();

    /// <summary>Upstream chain in GOPROXY syntax: <c>https://a,https://b|https://c</c>.</summary>
    [Required]
    public string Upstream { get; set; } = "https://proxy.golang.org";

    /// <summary>Serve only what is stored; never contact an upstream (air-gapped sites).</summary>
    public bool Offline { get; set; }

    /// <summary><c>text</c> (one line per event) or <c>json</c>.</summary>
    [RegularExpression("^(text|json)$", ErrorMessage = "logFormat must be text or json")]
    public string LogFormat { get; set; } = "text";

    [ValidateObjectMembers]
    public CacheOptions Cache { get; set; } = new();

    [ValidateObjectMembers]
    public UpstreamClientOptions UpstreamClient { get; set; } = new();

    /// <summary>Cross-replica fetch lock for replicas sharing storage; see <see cref="LockOptions"/>.</summary>
    [ValidateObjectMembers]
    public LockOptions Lock { get; set; } = new();

    /// <summary>The authenticated cache maintenance API (list, purge); off unless a token file is set.</summary>
    public AdminOptions Admin { get; set; } = new();

    /// <summary>Modules fetched from their VCS by the go command, never from the upstreams; see <see cref="PrivateModuleOptions"/>.</summary>
    [ValidateObjectMembers]
    public PrivateModuleOptions PrivateModules { get; set; } = new();

    /// <summary>Deny and allow rules by module pattern and version range; see <see cref="FilterOptions"/>.</summary>
    [ValidateObjectMembers]
    public FilterOptions Filters { get; set; } = new();

    /// <summary>Client authentication (none, basic, bearer); see <see cref="AuthOptions"/>.</summary>
    public AuthOptions Auth { get; set; } = new();

    /// <summary>HTTPS from a mounted PEM pair, and what plain HTTP gets; see <see cref="TlsOptions"/>.</summary>
    public TlsOptions Tls { get; set; } = new();

    /// <summary>The checksum database: proxied under <c>/sumdb/</c>, and what ingested modules are verified against.</summary>
    [ValidateObjectMembers]
    public SumDbOptions SumDb { get; set; } = new();
}

public sealed class CacheOptions
{
    /// <summary>How long a <c>list</c> or <c>@latest</c> answer is fresh.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan ListTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an upstream "not found" is remembered.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan NotFoundTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Serve an expired <c>list</c>/<c>@latest</c> when every upstream fails.</summary>
    public bool StaleIfError { get; set; } = true;

    /// <summary>How long a request waits for a fetch that another request already started.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromMinutes(10);
}

public sealed class UpstreamClientOptions
{
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deadline for one attempt at a list, latest, info or mod answer.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MetadataTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deadline for a whole zip download, all attempts included.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A zip body that sends nothing for this long is abandoned.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries of transient failures (429, 500, 502, 503, 504, connection errors, timeouts); never of 404/410.</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upstream downloads running at once; further misses queue (cache hits never do).</summary>
    [Range(1, 1024)]
    public int MaxConcurrentFetches { get; set; } = 64;
}
