using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace ProxyOperator.Operator.Hosting;

/// <summary>A host:port to listen on (<c>0.0.0.0:8081</c>, <c>127.0.0.1:0</c>, <c>[::]:8081</c>).</summary>
internal readonly record struct ListenAddress(IPAddress Address, int Port)
{
    public static bool TryParse(string? text, out ListenAddress address, [NotNullWhen(false)] out string? problem)
    {
        address = default;
        var colon = text?.LastIndexOf(':') ?? -1;
        if (text is null || colon <= 0)
        {
            problem = "expected host:port";
            return false;
        }

        var host = text[..colon].Trim('[', ']');
        if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            problem = "the port must be a number from 0 to 65535";
            return false;
        }

        IPAddress? ip = host == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(host, out var parsed) ? parsed : null;
        if (ip is null)
        {
            problem = "the host must be an IP address or localhost";
            return false;
        }

        address = new ListenAddress(ip, port);
        problem = null;
        return true;
    }
}
