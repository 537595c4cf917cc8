using System.Text;
using System.Text.Json;
using ProxyOperator.GoProxy.Caching;
using ProxyOperator.GoProxy.Protocol;
using ProxyOperator.GoProxy.Storage;

namespace ProxyOperator.GoProxy.Filters;

/// <summary>
/// Applies the filter rules to protocol requests. A refusal is a 403 with a one-line reason: the go command prints
/// the text/plain body of any error answer as "server response:" (GOPROXY-PROTOCOL.md §3), and a 403, unlike a
/// 404, stops it from trying the next GOPROXY entry, so a denied module is not fetched around the proxy by a client
/// whose GOPROXY ends in ",direct".
/// </summary>
public static class FilteredAnswers
{
    private const int MaxBodyBytes = 4 << 20;

    /// <summary>The refusal decidable from the request alone: the module, and the version when the request names a canonical one.</summary>
    public static string? RefusalBefore(FilterSet rules, ProtocolRequest request) =>
        rules.IsEmpty ? null : rules.Refusal(request.Module.Value, NamesVersion(request) ? request.Version : null);

    /// <summary>
    /// The answer once the version a request resolved to is known: a list without the refused versions, a 403 for a
    /// latest or query answer naming a refused version, otherwise <paramref name="answer"/> itself.
    /// </summary>
    public static async Task<ProxyAnswer> AfterAsync(FilterSet rules, ProtocolRequest request, ProxyAnswer answer, CancellationToken cancellationToken)
    {
        if (rules.IsEmpty || answer.StatusCode != 200 || NamesVersion(request))
        {
            return answer;
        }

        var body = answer.Body ?? await ReadAsync(answer.Artifact!, cancellationToken).ConfigureAwait(false);
        var module = request.Module.Value;
        if (request.Kind == ArtifactKind.List && !request.IsQuery)
        {
            var kept = Encoding.UTF8.GetString(body).Split('\n')
                .Select(line => line.Trim())
                .Where(line => line.Length > 0 && rules.Refusal(module, line.Split(' ')[0]) is null);
            return ProxyAnswer.Content(Encoding.UTF8.GetBytes(string.Concat(kept.Select(v => v + "\n"))), answer.Cache);
        }

        var version = VersionOf(body);
        var refusal = version is null ? null : rules.Refusal(module, version);
        return refusal is null ? ProxyAnswer.Content(body, answer.Cache) : ProxyAnswer.Failure(403, refusal);
    }

    private static bool NamesVersion(ProtocolRequest request) =>
        !request.IsQuery && request.Kind is ArtifactKind.Info or ArtifactKind.Mod or ArtifactKind.Zip;

    private static string? VersionOf(byte[] info)
    {
        try
        {
            using var document = JsonDocument.Parse(info);
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                   document.RootElement.TryGetProperty("Version", out var version) && version.ValueKind == JsonValueKind.String
                ? version.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<byte[]> ReadAsync(StoredArtifact artifact, CancellationToken cancellationToken)
    {
        await using (artifact.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 << 10];
            int read;
            while ((read = await artifact.Content.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    throw new InvalidDataException($"a stored list or info is over {MaxBodyBytes} bytes");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }
}
