using System.Net.Sockets;
using System.Text;

namespace ProxyOperator.GoProxy.Tests.Http;

/// <summary>
/// Sends request targets byte for byte. HttpClient normalises "..", "./" and escapes before sending, which would
/// hide exactly the inputs the bad-input tests need to send.
/// </summary>
public sealed class RawHttpClient(Uri baseUrl) : IAsyncDisposable
{
    private TcpClient? _tcp;
    private Stream? _stream;

    public async Task<(int Status, string Body)> GetAsync(string target, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await SendAsync(target, cancellationToken);
            }
            catch (IOException) when (attempt < 2)
            {
                // The server may close a connection after a request it rejected at the HTTP layer.
                await ResetAsync();
            }
        }
    }

    private async Task<(int Status, string Body)> SendAsync(string target, CancellationToken cancellationToken)
    {
        if (_stream is null)
        {
            _tcp = new TcpClient();
            await _tcp.ConnectAsync(baseUrl.Host, baseUrl.Port, cancellationToken);
            _stream = _tcp.GetStream();
        }

        var request = Encoding.Latin1.GetBytes($"GET {target} HTTP/1.1\r\nHost: {baseUrl.Authority}\r\n\r\n");
        await _stream.WriteAsync(request, cancellationToken);
        var head = await ReadHeadAsync(_stream, cancellationToken);
        var lines = head.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var length = 0;
        var close = false;
        foreach (var line in lines.Skip(1))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.Equals("Connection: close", StringComparison.OrdinalIgnoreCase))
            {
                close = true;
            }
        }

        var body = new byte[length];
        await _stream.ReadExactlyAsync(body, cancellationToken);
        if (close)
        {
            await ResetAsync();
        }

        return (status, Encoding.UTF8.GetString(body));
    }

    private static async Task<string> ReadHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new List<byte>(512);
        var one = new byte[1];
        while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new IOException("connection closed");
            }

            head.Add(one[0]);
        }

        return Encoding.Latin1.GetString(head.ToArray(), 0, head.Count - 4);
    }

    private async Task ResetAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync();
        }

        _tcp?.Dispose();
        _stream = null;
        _tcp = null;
    }

    public async ValueTask DisposeAsync() => await ResetAsync();
}
