using System.Security.Cryptography;
using ProxyOperator.GoProxy.Security;

namespace ProxyOperator.GoProxy.Configuration;

/// <summary>What the plain-HTTP listener (<see cref="TlsOptions.PlainListen"/>) does with a protocol request.</summary>
public enum PlainHttpPolicy
{
    /// <summary>Serve it as over HTTPS (for a trusted network, or an ingress that terminates TLS itself).</summary>
    Serve,

    /// <summary>Answer 308 to the same path on the HTTPS listener.</summary>
    Redirect,

    /// <summary>Answer 403 saying to use HTTPS; the go command stops there rather than fall back.</summary>
    Refuse,
}

/// <summary>
/// The <c>tls</c> section. With <see cref="CertFile"/> and <see cref="KeyFile"/> set, <c>listen</c> serves HTTPS
/// (HTTP/1.1 and HTTP/2 by ALPN) from a PEM pair, re-read when the files change (a rotated kubernetes.io/tls Secret,
/// mounted by the operator at <c>/var/run/secrets/goproxy/tls</c>, keys <c>tls.crt</c> and <c>tls.key</c>), so
/// rotation needs no restart. Plain HTTP is served only on <see cref="PlainListen"/>, if set, where
/// <c>/healthz</c>, <c>/readyz</c>, <c>/status</c> and <c>/metrics</c> always answer (kubelet probes and scrapers
/// speak plain HTTP) and everything else follows <see cref="PlainHttp"/>.
/// </summary>
public sealed class TlsOptions
{
    /// <summary>PEM certificate, leaf first, then any intermediates (sent to clients as the chain).</summary>
    public string? CertFile { get; set; }

    /// <summary>PEM private key (PKCS#8, PKCS#1 or SEC1) of the leaf.</summary>
    public string? KeyFile { get; set; }

    /// <summary>What the plain listener does with protocol requests; <c>redirect</c> unless told.</summary>
    public PlainHttpPolicy PlainHttp { get; set; } = PlainHttpPolicy.Redirect;

    /// <summary><c>HOST:PORT</c> or <c>:PORT</c> of a plain-HTTP listener beside the HTTPS one; none unless set.</summary>
    public string? PlainListen { get; set; }

    /// <summary>Port that <c>redirect</c> sends clients to (a Service's 443); the HTTPS listen port unless set.</summary>
    public int? RedirectPort { get; set; }

    internal bool Enabled => !string.IsNullOrEmpty(CertFile) || !string.IsNullOrEmpty(KeyFile);

    /// <summary>What data annotations cannot say; empty when the section is usable.</summary>
    internal IEnumerable<string> Problems()
    {
        if (!Enabled)
        {
            if (!string.IsNullOrEmpty(PlainListen))
            {
                yield return "tls.plainListen needs tls.certFile and tls.keyFile";
            }

            yield break;
        }

        if (string.IsNullOrEmpty(CertFile) || string.IsNullOrEmpty(KeyFile))
        {
            yield return "tls needs both certFile and keyFile";
            yield break;
        }

        if (!string.IsNullOrEmpty(PlainListen) && !ListenAddress.TryParse(PlainListen, out _, out var listenError))
        {
            yield return $"tls.plainListen: {listenError}";
        }

        if (RedirectPort is < 1 or > 65535)
        {
            yield return "tls.redirectPort must be between 1 and 65535";
        }

        string? problem = null;
        try
        {
            ServerCertificates.Load(File.ReadAllBytes(CertFile), File.ReadAllBytes(KeyFile)).Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or CryptographicException)
        {
            problem = e.Message.ReplaceLineEndings(" ");
        }

        if (problem is not null)
        {
            yield return $"tls.certFile \"{CertFile}\" and tls.keyFile \"{KeyFile}\" cannot be used: {problem}";
        }
    }
}
