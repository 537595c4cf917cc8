using System.Globalization;
using System.Runtime.InteropServices;
using ProxyOperator.KubeSandbox;

// Standalone: `--listen 127.0.0.1:PORT --kubeconfig PATH`, then serve until Ctrl+C (make kube-sandbox).
var listen = "127.0.0.1:0";
string? kubeconfig = null;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--listen":
            listen = args[i + 1];
            break;
        case "--kubeconfig":
            kubeconfig = args[i + 1];
            break;
        default:
            await Console.Error.WriteLineAsync($"unknown option {args[i]}; usage: --listen HOST:PORT --kubeconfig PATH");
            return 2;
    }
}

var colon = listen.LastIndexOf(':');
var options = new KubeApiServerOptions
{
    Host = colon > 0 ? listen[..colon] : listen,
    Port = colon > 0 ? int.Parse(listen[(colon + 1)..], CultureInfo.InvariantCulture) : 0,
    BookmarkInterval = TimeSpan.FromSeconds(60),
};

using var stop = new CancellationTokenSource();

// Ctrl+C and `kill` both stop the server; without the SIGTERM registration the process would outlive `kill PID`.
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

await using var server = await KubeApiServer.StartAsync(options, stop.Token);
if (kubeconfig is not null)
{
    server.WriteKubeconfig(kubeconfig);
}

Console.WriteLine($"kube sandbox (a test API server: no scheduler, no kubelet) listening on {server.BaseUrl}");
if (kubeconfig is not null)
{
    Console.WriteLine($"kubeconfig written to {kubeconfig}: export KUBECONFIG={Path.GetFullPath(kubeconfig)}");
}

try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    // Ctrl+C: stop serving.
}

return 0;
