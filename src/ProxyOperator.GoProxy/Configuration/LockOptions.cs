using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace ProxyOperator.GoProxy.Configuration;

/// <summary>How replicas that share storage agree on one upstream fetch per missing artifact (DESIGN §4).</summary>
public enum LockType
{
    /// <summary>Each replica fetches on its own: at most one upstream fetch per replica for a missing artifact.</summary>
    None,

    /// <summary>A Redis lock per artifact: one upstream fetch across the fleet.</summary>
    Redis,
}

/// <summary>The <c>lock</c> section. The operator writes it from <c>spec.storage.lock</c>.</summary>
public sealed class LockOptions
{
    /// <summary><c>none</c> (default) or <c>redis</c>; matched without regard to case, as the operator writes <c>Redis</c>.</summary>
    public LockType Type { get; set; } = LockType.None;

    [ValidateObjectMembers]
    public RedisLockOptions Redis { get; set; } = new();

    /// <summary>What data annotations cannot say; empty when the section is usable.</summary>
    internal IEnumerable<string> Problems()
    {
        if (Type != LockType.Redis)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(Redis.Address))
        {
            yield return "lock.redis.address is required when lock.type is redis";
        }
        else if (!RedisLockOptions.TryParseAddress(Redis.Address, out _, out _))
        {
            yield return $"lock.redis.address \"{Redis.Address}\" is not HOST:PORT";
        }

        if (Redis.PasswordFile is { Length: > 0 } file && ReadProblem(file) is { } problem)
        {
            yield return $"lock.redis.passwordFile \"{file}\" cannot be read: {problem}";
        }
    }

    private static string? ReadProblem(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return e.Message.ReplaceLineEndings(" ");
        }
    }
}

public sealed class RedisLockOptions
{
    /// <summary><c>HOST:PORT</c> of the Redis server.</summary>
    public string? Address { get; set; }

    /// <summary>A file whose content (trailing newline removed) is the Redis password: a mounted Secret, never an env variable.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>Prefixed to every key and channel, so several proxies can share one Redis.</summary>
    [Required]
    public string KeyPrefix { get; set; } = "goproxy:";

    /// <summary>
    /// How long a lock outlives a holder that stopped renewing it (a crashed replica). The holder renews it every
    /// third of this while it fetches, so a long download never loses it; waiters take over at most this long
    /// (plus one poll) after a holder dies.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(10);

    internal static bool TryParseAddress(string address, out string host, out int port)
    {
        var colon = address.LastIndexOf(':');
        host = colon > 0 ? address[..colon] : "";
        port = 0;
        return colon > 0 && !host.Contains(' ', StringComparison.Ordinal) &&
               int.TryParse(address[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
    }
}
