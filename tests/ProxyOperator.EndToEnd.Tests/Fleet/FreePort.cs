using System.Net;
using System.Net.Sockets;

namespace ProxyOperator.EndToEnd.Tests.Fleet;

/// <summary>
/// A loopback port free right now, for programs that must be told their port up front (nginx, HAProxy, a replica that
/// restarts on the address its load balancer knows).
/// </summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
