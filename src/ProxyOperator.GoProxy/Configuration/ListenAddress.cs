using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace ProxyOperator.GoProxy.Configuration;

/// <summary>A <c>HOST:PORT</c> (or <c>:PORT</c>, meaning every interface) that Kestrel binds.</summary>
public sealed record ListenAddress(IPAddress Address, int Port)
{
    public static bool TryParse(string? value, [NotNullWhen(true)] out ListenAddress? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        var text = value?.Trim() ?? "";
        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            error = $"listen address \"{text}\" must be HOST:PORT or :PORT";
            return false;
        }

        var host = text[..colon].Trim('[', ']');
        if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = $"listen address \"{text}\" has an invalid port";
            return false;
        }

        IPAddress? address = host switch
        {
            "" or "*" or "0.0.0.0" => IPAddress.Any,
            "localhost" => IPAddress.Loopback,
            _ => IPAddress.TryParse(host, out var parsed) ? parsed : null,
        };
        if (address is null)
        {
            error = $"listen address \"{text}\" must name an IP address, localhost or nothing";
            return false;
        }

        result = new ListenAddress(address, port);
        error = null;
        return true;
    }
}
