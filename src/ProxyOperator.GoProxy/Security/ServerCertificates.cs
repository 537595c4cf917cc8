using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyOperator.GoProxy.Configuration;

namespace ProxyOperator.GoProxy.Security;

/// <summary>
/// The HTTPS certificate from <c>tls.certFile</c> and <c>tls.keyFile</c>, looked up on each TLS handshake and re-read
/// when the files change (at most once per <see cref="ReloadInterval"/>), so a rotated Secret is served without a
/// restart. Connections already open keep the certificate they were set up with.
/// </summary>
public sealed class ServerCertificates
{
    internal static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(1);

    private readonly ReloadingFiles<SslStreamCertificateContext> _context;

    public ServerCertificates(IOptions<ProxyOptions> options, TimeProvider time, ILogger<ServerCertificates> logger)
    {
        var tls = options.Value.Tls;
        _context = new ReloadingFiles<SslStreamCertificateContext>([tls.CertFile!, tls.KeyFile!], contents =>
        {
            var leaf = Load(contents[0], contents[1]);
            var intermediates = new X509Certificate2Collection();
            intermediates.ImportFromPem(Encoding.UTF8.GetString(contents[0]));
            intermediates.RemoveAt(0);
            SecurityLog.CertificateLoaded(logger, leaf.Subject, leaf.SerialNumber, leaf.NotAfter.ToUniversalTime());
            // offline: the chain is what the Secret holds; no fetching of intermediates during a handshake.
            return SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
        }, ReloadInterval, time, reason => SecurityLog.CertificateReloadFailed(logger, reason));
    }

    /// <summary>The certificate context for a new handshake.</summary>
    public SslStreamCertificateContext Current => _context.Current;

    /// <summary>The leaf of a PEM certificate chain with its private key.</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">the PEM pair is unusable.</exception>
    /// <exception cref="ArgumentException">the PEM text holds no certificate or key.</exception>
    internal static X509Certificate2 Load(byte[] certificatePem, byte[] keyPem)
    {
        using var pem = X509Certificate2.CreateFromPem(Encoding.UTF8.GetString(certificatePem), Encoding.UTF8.GetString(keyPem));
        // Re-imported so the key is a persisted one: SslStream cannot use an ephemeral PEM key on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
