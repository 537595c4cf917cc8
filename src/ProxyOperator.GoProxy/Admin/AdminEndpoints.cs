using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyOperator.GoProxy.Configuration;
using ProxyOperator.GoProxy.Protocol;
using ProxyOperator.GoProxy.Storage;
using ProxyOperator.GoProxy.Storage.Eviction;
using ProxyOperator.Modules;

namespace ProxyOperator.GoProxy.Admin;

/// <summary>
/// Cache maintenance over HTTP, for a bearer token read from <c>admin.tokenFile</c>:
/// <c>GET /_admin/modules</c> lists what is stored, <c>DELETE /_admin/modules/MODULE/@v/VERSION</c> purges a version,
/// <c>DELETE /_admin/modules/MODULE</c> a whole module. MODULE and VERSION are case-encoded as in the protocol.
/// </summary>
/// <remarks>
/// The prefix cannot collide with a module: the first element of a module path must be a lower-case domain-like name
/// with a dot and only <c>[a-z0-9.-]</c> (module.CheckPath, see PathRules.CheckPath), so <c>_admin</c> is never one and
/// no protocol request is ever routed here. Without a token file the routes answer 404, as for any unknown path.
/// </remarks>
public static class AdminEndpoints
{
    public const string Prefix = "/_admin";
    private const string Challenge = "Bearer realm=\"goproxy-admin\"";

    public static void MapAdminEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Prefix + "/modules", ListAsync);
        endpoints.MapDelete(Prefix + "/modules/{**path}", PurgeAsync);
    }

    private static async Task ListAsync(HttpContext context, IModuleStore store, IOptions<ProxyOptions> options, ILogger<AdminAccess> logger)
    {
        if (!await AuthorizeAsync(context, options.Value.Admin, logger).ConfigureAwait(false) ||
            await MaintenanceOrFailAsync(context, store).ConfigureAwait(false) is not { } maintenance)
        {
            return;
        }

        var modules = new Dictionary<ModulePath, List<CachedVersion>>();
        await foreach (var version in maintenance.EnumerateVersionsAsync(context.RequestAborted).ConfigureAwait(false))
        {
            if (!modules.TryGetValue(version.Module, out var versions))
            {
                modules[version.Module] = versions = [];
            }

            versions.Add(new CachedVersion(version.Version, version.Bytes, version.LastAccess));
        }

        var list = modules
            .OrderBy(m => m.Key.Value, StringComparer.Ordinal)
            .Select(m =>
            {
                var ordered = m.Value.Select(v => v.Version).ToList();
                SemVer.Sort(ordered);
                var byVersion = m.Value.ToDictionary(v => v.Version, StringComparer.Ordinal);
                return new CachedModule(m.Key.Value, m.Value.Sum(v => v.Bytes), ordered.Select(v => byVersion[v]).ToList());
            })
            .ToList();
        var report = new CachedModules(list.Count, list.Sum(m => m.Versions.Count), list.Sum(m => m.Bytes), list);
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        await JsonSerializer.SerializeAsync(context.Response.Body, report, AdminJsonContext.Default.CachedModules, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task PurgeAsync(HttpContext context, string path, IModuleStore store, IOptions<ProxyOptions> options, ILogger<AdminAccess> logger)
    {
        if (!await AuthorizeAsync(context, options.Value.Admin, logger).ConfigureAwait(false) ||
            await MaintenanceOrFailAsync(context, store).ConfigureAwait(false) is not { } maintenance)
        {
            return;
        }

        // The route value arrives percent-decoded, like protocol paths; the module and version are then case-decoded.
        var target = PurgeTarget.Parse(path);
        if (target.Problem is { } problem)
        {
            await ProtocolEndpoints.WriteErrorAsync(context, 400, problem).ConfigureAwait(false);
            return;
        }

        var module = target.Module!;
        var token = context.RequestAborted;
        long freed;
        if (target.Version is { } version)
        {
            freed = await maintenance.DeleteVersionAsync(module, version, token).ConfigureAwait(false);
            if (freed > 0)
            {
                EvictionLog.PurgedVersion(logger, module.Value, version, freed);
            }
        }
        else
        {
            freed = await maintenance.DeleteModuleAsync(module, token).ConfigureAwait(false);
            if (freed > 0)
            {
                EvictionLog.PurgedModule(logger, module.Value, freed);
            }
        }

        if (freed == 0)
        {
            var what = target.Version is null ? $"no version of {module} is cached" : $"{module}@{target.Version} is not cached";
            await ProtocolEndpoints.WriteErrorAsync(context, 404, what).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        await JsonSerializer.SerializeAsync(context.Response.Body, new PurgeResult(module.Value, target.Version, freed),
            AdminJsonContext.Default.PurgeResult, token).ConfigureAwait(false);
    }

    /// <summary>False after answering 404 (admin off), 401 (no or wrong token) or 503 (token file unreadable).</summary>
    private static async Task<bool> AuthorizeAsync(HttpContext context, AdminOptions admin, ILogger logger)
    {
        if (!admin.Enabled)
        {
            await ProtocolEndpoints.WriteErrorAsync(context, 404, "not found").ConfigureAwait(false);
            return false;
        }

        string expected;
        try
        {
            expected = StorageOptions.ReadSecretFile(admin.TokenFile!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            EvictionLog.AdminRefused(logger, context.Request.Method, context.Request.Path.Value ?? "", "admin.tokenFile cannot be read");
            await ProtocolEndpoints.WriteErrorAsync(context, 503, "admin token cannot be read").ConfigureAwait(false);
            return false;
        }

        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        var given = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : "";
        if (expected.Length > 0 && given.Length > 0 && TokensMatch(given, expected))
        {
            return true;
        }

        // The token is never logged, right or wrong: a wrong one is often a real token for something else.
        EvictionLog.AdminRefused(logger, context.Request.Method, context.Request.Path.Value ?? "",
            given.Length == 0 ? "no bearer token" : "wrong bearer token");
        context.Response.Headers.WWWAuthenticate = Challenge;
        await ProtocolEndpoints.WriteErrorAsync(context, 401, "a valid admin bearer token is required").ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// Compares hashes with FixedTimeEquals: the time taken depends on neither the content nor the length of the
    /// expected token, so timing reveals nothing about it.
    /// </summary>
    private static bool TokensMatch(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static async Task<IStoreMaintenance?> MaintenanceOrFailAsync(HttpContext context, IModuleStore store)
    {
        if (store is IStoreMaintenance maintenance)
        {
            return maintenance;
        }

        await ProtocolEndpoints.WriteErrorAsync(context, 501, $"the {store.Kind} store does not support listing or purging").ConfigureAwait(false);
        return null;
    }

    /// <summary>Category for admin log lines.</summary>
    internal sealed class AdminAccess;
}

/// <summary>A purge request's <c>MODULE</c> or <c>MODULE/@v/VERSION</c>, case-decoded and checked.</summary>
internal sealed record PurgeTarget(ModulePath? Module, string? Version, string? Problem)
{
    public static PurgeTarget Parse(string path)
    {
        path = path.TrimEnd('/');
        var at = path.LastIndexOf("/@v/", StringComparison.Ordinal);
        var escapedModule = at < 0 ? path : path[..at];
        if (!ModulePath.TryParseEscaped(escapedModule, out var module, out var error))
        {
            return new PurgeTarget(null, null, $"invalid module path \"{escapedModule}\": {error}");
        }

        if (at < 0)
        {
            return new PurgeTarget(module, null, null);
        }

        var escapedVersion = path[(at + "/@v/".Length)..];
        if (!CaseEncoding.TryUnescapeVersion(escapedVersion, out var version))
        {
            return new PurgeTarget(null, null, $"invalid version \"{escapedVersion}\": bad case encoding");
        }

        return ModuleVersion.Check(module, version) is { } problem
            ? new PurgeTarget(null, null, $"invalid version \"{version}\" for {module}: {problem}")
            : new PurgeTarget(module, version, null);
    }
}

public sealed record CachedModules(int Modules, int Versions, long Bytes, IReadOnlyList<CachedModule> Items);

public sealed record CachedModule(string Path, long Bytes, IReadOnlyList<CachedVersion> Versions);

public sealed record CachedVersion(string Version, long Bytes, DateTimeOffset LastAccess);

public sealed record PurgeResult(string Module, string? Version, long RemovedBytes);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(CachedModules))]
[JsonSerializable(typeof(PurgeResult))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
