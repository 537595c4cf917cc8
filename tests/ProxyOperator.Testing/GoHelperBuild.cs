using System.Security.Cryptography;

namespace ProxyOperator.Testing;

/// <summary>
/// Builds the tests' small Go programs (gofixture, gosumdb) once per machine and source text, in GOPATH mode against
/// Debian's golang-golang-x-mod-dev, into a folder named by the source's hash; the rename makes a half-built binary
/// invisible to other test runs.
/// </summary>
public static class GoHelperBuild
{
    public static readonly TimeSpan GoTimeout = TimeSpan.FromMinutes(3);

    private static readonly SemaphoreSlim BuildLock = new(1, 1);

    /// <param name="name">The folder next to the test assembly holding main.go, and the binary's name.</param>
    /// <returns>The built binary's path.</returns>
    public static async Task<string> BuildAsync(string name, CancellationToken cancellationToken)
    {
        var source = Path.Combine(AppContext.BaseDirectory, name, "main.go");
        var hash = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(source, cancellationToken).ConfigureAwait(false)))[..16];
        var folder = Path.Combine(Path.GetTempPath(), $"proxyoperator-{name}-{hash}");
        var binary = Path.Combine(folder, name);
        await BuildLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (File.Exists(binary))
            {
                return binary;
            }

            Directory.CreateDirectory(folder);
            var staging = Path.Combine(folder, $"{name}-{Guid.NewGuid():N}");
            var result = await ProcessRunner.RunAsync("go", ["build", "-o", staging, source], folder, Environment(folder), null, GoTimeout, cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"building {name} failed (needs Debian's golang-go and golang-golang-x-mod-dev): {result.StandardError}");
            }

            File.Move(staging, binary, overwrite: true);
            return binary;
        }
        finally
        {
            BuildLock.Release();
        }
    }

    /// <summary>The isolated Go environment the helpers are built and run in.</summary>
    public static Dictionary<string, string?> Environment(string folder) => new()
    {
        ["GO111MODULE"] = "off",
        ["GOPATH"] = $"{Path.Combine(folder, "gopath")}:/usr/share/gocode",
        ["GOCACHE"] = Path.Combine(folder, "gocache"),
        ["GOFLAGS"] = null,
        ["GOENV"] = "off",
        ["GOTOOLCHAIN"] = "local",
        ["CGO_ENABLED"] = "0",
    };
}
