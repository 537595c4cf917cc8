using System.Net;
using System.Net.Http.Headers;
using System.Text;
using k8s;

namespace ProxyOperator.KubeSandbox.Tests;

/// <summary>kubectl and helm send some built-in objects as protobuf (k8s\0 + runtime.Unknown); the sandbox must read them.</summary>
public sealed class ProtobufTests
{
    private static byte[] Field(int number, byte[] payload) => [.. Varint((ulong)((number << 3) | 2)), .. Varint((ulong)payload.Length), .. payload];

    private static byte[] Field(int number, string text) => Field(number, Encoding.UTF8.GetBytes(text));

    private static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7f);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }

    [Fact]
    public async Task A_protobuf_config_map_with_labels_and_data_is_stored_as_sent()
    {
        await using var sandbox = await Sandbox.StartAsync();

        // ConfigMap {1: ObjectMeta{1: name, 3: namespace "" (unset), 11: labels entry}, 2: data entry}, as client-go writes it.
        byte[] metadata = [.. Field(1, "from-proto"), .. Field(3, string.Empty), .. Field(11, [.. Field(1, "app"), .. Field(2, "web")])];
        byte[] configMap = [.. Field(1, metadata), .. Field(2, [.. Field(1, "greeting"), .. Field(2, "hello")])];
        byte[] unknown = [.. Field(1, [.. Field(1, "v1"), .. Field(2, "ConfigMap")]), .. Field(2, configMap)];
        using var content = new ByteArrayContent([(byte)'k', (byte)'8', (byte)'s', 0, .. unknown]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.kubernetes.protobuf");

        using var response = await sandbox.Http.PostAsync(new Uri("api/v1/namespaces/default/configmaps", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stored = await sandbox.Client.CoreV1.ReadNamespacedConfigMapAsync("from-proto", "default");
        Assert.Equal("hello", stored.Data["greeting"]);
        Assert.Equal("web", stored.Metadata.Labels["app"]);
    }
}
