using System.Net.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using ProxyOperator.GoProxy.Configuration;

namespace ProxyOperator.GoProxy.Security;

/// <summary>Kestrel's listeners: <c>listen</c> (HTTPS when <c>tls</c> is set) and the optional plain one.</summary>
internal static class HttpsListeners
{
    public static void Configure(KestrelServerOptions kestrel, ListenAddress listen, TlsOptions tls)
    {
        if (!tls.Enabled)
        {
            kestrel.Listen(listen.Address, listen.Port);
            return;
        }

        kestrel.Listen(listen.Address, listen.Port, https =>
        {
            https.Protocols = HttpProtocols.Http1AndHttp2;
            var certificates = https.ApplicationServices.GetRequiredService<ServerCertificates>();
            https.UseHttps(new TlsHandshakeCallbackOptions
            {
                // Asked on every handshake, so a rotated certificate needs no restart.
                OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = certificates.Current,
                    ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                }),
            });
        });
        if (ListenAddress.TryParse(tls.PlainListen, out var plain, out _))
        {
            kestrel.Listen(plain.Address, plain.Port, http => http.Protocols = HttpProtocols.Http1);
        }
    }
}
