using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyOperator.GoProxy.Configuration;
using ProxyOperator.GoProxy.Observability;
using ProxyOperator.GoProxy.Storage;
using ProxyOperator.Modules;

namespace ProxyOperator.GoProxy.SumDb;

/// <summary>
/// Verification on ingest (DESIGN §4): the h1: hash of a fetched .mod or .zip must be the one the checksum database
/// records for it, or the proxy refuses to store and serve it.
/// </summary>
/// <remarks>
/// What is verified: the lookup's signed tree head (Ed25519, the configured key), the record's inclusion in that
/// tree (its hash and the tile hashes beside its path recompute the signed root), and the record's h1: line against
/// the hash of the staged bytes. What is not: consistency between successive tree heads (that the log only grows,
/// which detects a forked database); go clients still check that themselves against their own go.sum database.
/// </remarks>
public sealed class ChecksumVerifier
{
    private readonly SumDbClient _client;
    private readonly SumDbOptions _options;
    private readonly ProxyMetrics _metrics;
    private readonly ILogger<ChecksumVerifier> _logger;
    private readonly string _privatePatterns;

    public ChecksumVerifier(SumDbClient client, IOptions<ProxyOptions> options, ProxyMetrics metrics, ILogger<ChecksumVerifier> logger)
    {
        _client = client;
        _options = options.Value.SumDb;
        _privatePatterns = options.Value.PrivateModules.GoPrivate;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>
    /// Whether <paramref name="key"/> is checked at all: only .mod and .zip carry h1: hashes, and private modules are
    /// never looked up (like GONOSUMDB for the go command), so that their paths never reach the public database.
    /// </summary>
    public bool Covers(ArtifactKey key) =>
        _options.Verify && key.Kind is ArtifactKind.Mod or ArtifactKind.Zip &&
        !ModulePatterns.MatchPrefixPatterns(_privatePatterns, key.Module.Value);

    /// <summary>Why the staged artifact must be refused, or null to store it. Logs and counts every verdict.</summary>
    public async Task<string?> RefusalAsync(ArtifactKey key, IArtifactUpload upload, CancellationToken cancellationToken)
    {
        if (!Covers(key))
        {
            return null;
        }

        string hash;
        var staged = await upload.OpenStagedAsync(cancellationToken).ConfigureAwait(false);
        await using (staged.ConfigureAwait(false))
        {
            if (key.Kind == ArtifactKind.Zip)
            {
                hash = await ModuleHash.HashZipAsync(staged, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var bytes = new byte[staged.Length];
                await staged.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
                hash = ModuleHash.HashGoMod(bytes);
            }
        }

        var (verdict, reason) = await CheckAsync(key, hash, cancellationToken).ConfigureAwait(false);
        _metrics.RecordChecksumCheck(verdict);
        switch (verdict)
        {
            case "verified":
                return null;
            case "mismatch":
                SumDbLog.ChecksumMismatch(_logger, key.ToString(), reason);
                return reason;
            default:
                if (_options.AllowUnverified)
                {
                    SumDbLog.StoredUnverified(_logger, key.ToString(), reason);
                    return null;
                }

                SumDbLog.Unverifiable(_logger, key.ToString(), reason);
                return reason;
        }
    }

    /// <summary>"verified", "mismatch", or "unverifiable" with the reason.</summary>
    private async Task<(string Verdict, string Reason)> CheckAsync(ArtifactKey key, string hash, CancellationToken cancellationToken)
    {
        var name = _options.Name;
        if (!CaseEncoding.TryEscapeVersion(key.Version, out var version))
        {
            return ("unverifiable", $"{key}: version cannot be looked up in checksum database {name}");
        }

        var lookup = await _client.GetAsync($"lookup/{key.Module.Escaped}@{version}", cancellationToken).ConfigureAwait(false);
        if (lookup.StatusCode != 200)
        {
            return ("unverifiable", $"cannot verify {key}: {lookup.Reason}");
        }

        if (TransparencyLog.ParseLookup(lookup.Body) is not var (id, record, treeNote))
        {
            return ("unverifiable", $"cannot verify {key}: checksum database {name} sent a malformed lookup answer");
        }

        if (_client.Key.OpenNote(treeNote) is not { } treeText || TransparencyLog.ParseTree(treeText) is not { } tree)
        {
            return ("unverifiable", $"cannot verify {key}: the tree head from checksum database {name} is not signed by its key");
        }

        var proven = await TransparencyLog.ContainsAsync(tree, id, record, async (path, ct) =>
        {
            var tile = await _client.GetAsync(path, ct).ConfigureAwait(false);
            return tile.StatusCode == 200 ? tile.Body : null;
        }, cancellationToken).ConfigureAwait(false);
        if (!proven)
        {
            return ("unverifiable", $"cannot verify {key}: record {id} from checksum database {name} is not proven in its signed tree of size {tree.Size}");
        }

        var subject = key.Kind == ArtifactKind.Mod ? $"{key.Module} {key.Version}/go.mod" : $"{key.Module} {key.Version}";
        foreach (var line in Encoding.UTF8.GetString(record).Split('\n'))
        {
            var space = line.LastIndexOf(' ');
            if (space > 0 && line[..space] == subject)
            {
                var recorded = line[(space + 1)..];
                return recorded == hash
                    ? ("verified", "")
                    : ("mismatch", $"checksum mismatch for {key}: upstream content has {hash}, checksum database {name} records {recorded}");
            }
        }

        return ("unverifiable", $"cannot verify {key}: checksum database {name} has no record of it");
    }
}
