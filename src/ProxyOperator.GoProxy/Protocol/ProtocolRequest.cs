using ProxyOperator.GoProxy.Storage;
using ProxyOperator.Modules;

namespace ProxyOperator.GoProxy.Protocol;

/// <summary>
/// A parsed GOPROXY request (https://go.dev/ref/mod#goproxy-protocol). Parsing follows GOPROXY-PROTOCOL.md §2:
/// the path arrives percent-decoded, is split at the last <c>/@v/</c> or <c>/@latest</c>, case-decoded, then
/// checked with the module path and version rules of the go command.
/// </summary>
public sealed record ProtocolRequest(ModulePath Module, ArtifactKind Kind, string Version, bool IsQuery)
{
    // Names of files the disk store creates must fit common filesystems' 255-byte limit, with room for ".zip".
    private const int MaxElementLength = 240;
    private const int MaxPathLength = 2048;
    private const int MaxQueryLength = 200;

    /// <summary>The endpoint label for logs and metrics.</summary>
    public string Endpoint => IsQuery ? "query" : Kind.ToString().ToLowerInvariant();

    /// <summary>Parses a decoded request path; on failure gives the status (400 or 404) and a one-line reason.</summary>
    public static ProtocolParseResult Parse(string path)
    {
        if (path.Length > MaxPathLength)
        {
            return ProtocolParseResult.Fail(400, $"request path longer than {MaxPathLength} characters");
        }

        foreach (var c in path)
        {
            if (char.IsControl(c))
            {
                return ProtocolParseResult.Fail(400, "request path contains a control character");
            }
        }

        string escapedModule;
        ArtifactKind kind;
        var escapedVersion = "";
        if (path.EndsWith("/@latest", StringComparison.Ordinal))
        {
            escapedModule = path[..^"/@latest".Length];
            kind = ArtifactKind.Latest;
        }
        else
        {
            var at = path.LastIndexOf("/@v/", StringComparison.Ordinal);
            if (at < 0)
            {
                return ProtocolParseResult.Fail(404, "not a module proxy path: expected MODULE/@v/... or MODULE/@latest");
            }

            escapedModule = path[..at];
            var file = path[(at + "/@v/".Length)..];
            if (file == "list")
            {
                kind = ArtifactKind.List;
            }
            else
            {
                var dot = file.LastIndexOf('.');
                ArtifactKind? fileKind = dot < 0 || file.Contains('/', StringComparison.Ordinal) ? null : file[(dot + 1)..] switch
                {
                    "info" => ArtifactKind.Info,
                    "mod" => ArtifactKind.Mod,
                    "zip" => ArtifactKind.Zip,
                    _ => null,
                };
                if (fileKind is not { } known)
                {
                    return ProtocolParseResult.Fail(404, $"unknown module file \"{file}\": expected list, VERSION.info, VERSION.mod or VERSION.zip");
                }

                kind = known;
                escapedVersion = file[..dot];
            }
        }

        escapedModule = escapedModule.StartsWith('/') ? escapedModule[1..] : escapedModule;
        foreach (var element in escapedModule.Split('/'))
        {
            if (element.Length > MaxElementLength)
            {
                return ProtocolParseResult.Fail(400, $"module path element longer than {MaxElementLength} characters");
            }
        }

        if (!ModulePath.TryParseEscaped(escapedModule, out var module, out var pathError))
        {
            return ProtocolParseResult.Fail(400, OneLine(pathError));
        }

        if (kind is ArtifactKind.List or ArtifactKind.Latest)
        {
            return ProtocolParseResult.Ok(new ProtocolRequest(module, kind, "", IsQuery: false));
        }

        return ParseVersion(module, kind, escapedVersion);
    }

    private static ProtocolParseResult ParseVersion(ModulePath module, ArtifactKind kind, string escapedVersion)
    {
        if (escapedVersion.Length is 0 or > MaxQueryLength)
        {
            return ProtocolParseResult.Fail(404, "invalid version: empty or too long");
        }

        if (!CaseEncoding.TryUnescape(escapedVersion, out var version))
        {
            return ProtocolParseResult.Fail(400, $"invalid escaped version \"{escapedVersion}\"");
        }

        var problem = ModuleVersion.Check(module, version);
        if (problem is null)
        {
            return ProtocolParseResult.Ok(new ProtocolRequest(module, kind, version, IsQuery: false));
        }

        // A canonical version that fails the check (v2.0.0 for a path without /v2) can never exist: 404 lets the
        // go command move on. Only .info may carry a query (a branch, v1.2) that an upstream resolves.
        var isCanonical = ModuleVersion.IsCanonical(version);
        if (kind == ArtifactKind.Info && !isCanonical && IsQuerySyntax(version))
        {
            return ProtocolParseResult.Ok(new ProtocolRequest(module, kind, version, IsQuery: true));
        }

        return ProtocolParseResult.Fail(404, $"invalid version: {OneLine(problem)}");
    }

    private static bool IsQuerySyntax(string query) =>
        query[0] is not ('.' or '-') && !query.Contains("..", StringComparison.Ordinal) &&
        query.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '+' or '~');

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}

/// <summary>A parsed request, or why there is none.</summary>
public sealed record ProtocolParseResult(ProtocolRequest? Request, int StatusCode, string Reason)
{
    public static ProtocolParseResult Ok(ProtocolRequest request) => new(request, 200, "");

    public static ProtocolParseResult Fail(int statusCode, string reason) => new(null, statusCode, reason);
}
