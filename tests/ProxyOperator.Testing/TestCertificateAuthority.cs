using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ProxyOperator.Testing;

/// <summary>
/// A throw-away CA made by the real <c>openssl</c>, issuing server certificates for 127.0.0.1 and localhost as PEM
/// files laid out like a mounted kubernetes.io/tls Secret (<c>tls.crt</c>, <c>tls.key</c>).
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private static readonly TimeSpan OpenSslTimeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir;

    private TestCertificateAuthority(TempDirectory dir)
    {
        _dir = dir;
        CaFile = System.IO.Path.Combine(dir.Path, "ca.crt");
    }

    /// <summary>The CA certificate (PEM), for <c>SSL_CERT_FILE</c>.</summary>
    public string CaFile { get; }

    public static async Task<TestCertificateAuthority> CreateAsync()
    {
        var ca = new TestCertificateAuthority(TempDirectory.Create("goproxy-ca-"));
        await ca.OpenSslAsync("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
            "-subj", "/CN=goproxy test CA", "-keyout", "ca.key", "-out", "ca.crt",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return ca;
    }

    /// <summary>Writes a new server certificate (serial <paramref name="serial"/>) and key into <paramref name="directory"/>.</summary>
    public async Task IssueAsync(string directory, long serial, string certName = "tls.crt", string keyName = "tls.key")
    {
        Directory.CreateDirectory(directory);
        var name = $"server-{serial}";
        await OpenSslAsync("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=127.0.0.1",
            "-keyout", $"{name}.key", "-out", $"{name}.csr");
        await File.WriteAllTextAsync(System.IO.Path.Combine(_dir.Path, $"{name}.ext"),
            "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n");
        await OpenSslAsync("x509", "-req", "-in", $"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial", serial.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-days", "1", "-extfile", $"{name}.ext", "-out", $"{name}.crt");
        // Written elsewhere and moved in, so a reader never sees half a file.
        foreach (var (from, to) in new[] { ($"{name}.crt", certName), ($"{name}.key", keyName) })
        {
            var staged = System.IO.Path.Combine(directory, $".{to}.tmp");
            File.Copy(System.IO.Path.Combine(_dir.Path, from), staged, overwrite: true);
            File.Move(staged, System.IO.Path.Combine(directory, to), overwrite: true);
        }
    }

    /// <summary>An HttpClient handler trusting this CA only.</summary>
    public SocketsHttpHandler TrustingHandler()
    {
        var ca = X509CertificateLoader.LoadCertificateFromFile(CaFile);
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { ca },
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            },
        };
    }

    private async Task OpenSslAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync("openssl", arguments, _dir.Path, null, null, OpenSslTimeout, CancellationToken.None);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} failed: {result.StandardError}");
        }
    }

    public void Dispose() => _dir.Dispose();
}
