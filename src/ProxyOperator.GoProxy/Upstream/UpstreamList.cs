using System.Diagnostics.CodeAnalysis;
using System.Net.Http.Headers;
using System.Text;

namespace ProxyOperator.GoProxy.Upstream;

/// <summary>When the chain moves past an upstream to the next one.</summary>
public enum FallBack
{
    /// <summary><c>,</c> in GOPROXY: only a 404 or 410 moves on; any other failure is final.</summary>
    OnNotFound,

    /// <summary><c>|</c> in GOPROXY: any failure moves on.</summary>
    OnAnyError,
}

/// <summary>One proxy of the chain, and what the separator after it allows.</summary>
public sealed record UpstreamProxy(Uri BaseUrl, FallBack FallBack)
{
    /// <summary>The URL requests go to: <see cref="BaseUrl"/> without credentials.</summary>
    public Uri RequestBase { get; } = new UriBuilder(BaseUrl) { UserName = "", Password = "" }.Uri;

    /// <summary>The URL without credentials, for logs, errors and status.</summary>
    public string DisplayName => RequestBase.ToString().TrimEnd('/');

    /// <summary>
    /// Credentials written into the URL (<c>https://user:token@host</c>), sent as Basic auth as the go command does;
    /// null when there are none.
    /// </summary>
    public AuthenticationHeaderValue? Authorization { get; } = string.IsNullOrEmpty(BaseUrl.UserInfo)
        ? null
        : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(BaseUrl.UserInfo))));
}

/// <summary>
/// A GOPROXY-syntax list (https://go.dev/ref/mod#goproxy-protocol): ordered URLs separated by <c>,</c> or <c>|</c>.
/// <c>off</c> ends the chain. <c>direct</c> needs VCS access, which arrives with private-module support.
/// </summary>
public sealed class UpstreamList
{
    private UpstreamList(IReadOnlyList<UpstreamProxy> proxies) => Proxies = proxies;

    public IReadOnlyList<UpstreamProxy> Proxies { get; }

    public static bool TryParse(string? value, [NotNullWhen(true)] out UpstreamList? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        var proxies = new List<UpstreamProxy>();
        var text = value?.Trim() ?? "";
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] is not (',' or '|'))
            {
                continue;
            }

            var element = text[start..i].Trim();
            var fallBack = i < text.Length && text[i] == '|' ? FallBack.OnAnyError : FallBack.OnNotFound;
            start = i + 1;
            if (element.Length == 0)
            {
                error = $"upstream list \"{text}\" has an empty element";
                return false;
            }

            if (element == "off")
            {
                // Go stops at "off": whatever follows can never be reached.
                break;
            }

            if (element == "direct")
            {
                error = "upstream \"direct\" is not supported: list proxy URLs (direct VCS access is for private module patterns)";
                return false;
            }

            if (!Uri.TryCreate(element.TrimEnd('/') + "/", UriKind.Absolute, out var url) ||
                (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) ||
                !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
            {
                error = $"upstream \"{Redact(element)}\" is not an http or https URL";
                return false;
            }

            proxies.Add(new UpstreamProxy(url, fallBack));
        }

        if (proxies.Count == 0)
        {
            error = "the upstream list names no proxy (use offline mode to serve only what is stored)";
            return false;
        }

        result = new UpstreamList(proxies);
        error = null;
        return true;
    }

    private static string Redact(string element)
    {
        var at = element.IndexOf('@', StringComparison.Ordinal);
        var scheme = element.IndexOf("://", StringComparison.Ordinal);
        return at > scheme && scheme >= 0 ? element[..(scheme + 3)] + "***" + element[at..] : element;
    }
}
