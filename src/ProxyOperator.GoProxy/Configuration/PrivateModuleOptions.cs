using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ProxyOperator.GoProxy.Configuration;

/// <summary>
/// Modules fetched from their version control system by the real go command (GOPROXY=direct) instead of from the
/// upstream proxies, so that neither the public proxies nor the public checksum database ever learn their paths.
/// </summary>
public sealed class PrivateModuleOptions
{
    /// <summary>The patterns, each with the folder its credentials are mounted in.</summary>
    [ValidateEnumeratedItems]
    public List<PrivateModulePattern> Modules { get; set; } = [];

    /// <summary>The go command; <c>go</c> is looked up on PATH.</summary>
    [Required]
    public string GoBinary { get; set; } = "go";

    /// <summary>
    /// Where the go command keeps its module and VCS cache (a persistent GOMODCACHE, so a monorepo is cloned once,
    /// not once per version: Athens #2030) and its private HOME. Defaults to <c>vcs</c> beside the storage folder.
    /// </summary>
    public string? WorkDir { get; set; }

    /// <summary>An extra git configuration file included by the private HOME's .gitconfig (url rewrites, CA files).</summary>
    public string? GitConfigFile { get; set; }

    /// <summary>Deadline for one go command run.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>go commands running at once (VCS work has its own bulkhead: DESIGN §4).</summary>
    [Range(1, 256)]
    public int MaxConcurrentCommands { get; set; } = 8;

    /// <summary>The patterns as GOPRIVATE wants them: comma-separated.</summary>
    public string GoPrivate => string.Join(',', Modules.Select(m => m.Pattern.Trim()).Where(p => p.Length > 0));
}

/// <summary>
/// One private pattern. <see cref="CredentialsDir"/> holds the files of a mounted Secret: <c>username</c> and
/// <c>password</c>, or <c>token</c> (with an optional <c>username</c>), for HTTPS; or <c>ssh-privatekey</c> for SSH.
/// The operator mounts each Secret at <c>/var/run/secrets/goproxy/vcs/&lt;secretName&gt;</c>.
/// </summary>
public sealed class PrivateModulePattern
{
    /// <summary>A GOPRIVATE glob such as <c>git.corp.example/*</c>; its first element is the host the credentials are for.</summary>
    [Required]
    public string Pattern { get; set; } = "";

    public string? CredentialsDir { get; set; }

    /// <summary>
    /// The VCS host (and port) the credentials are for, when it is not the pattern's first element: a vanity path
    /// such as <c>go.corp.example/*</c> whose repositories live on <c>git.corp.example</c>.
    /// </summary>
    public string? Host { get; set; }
}
