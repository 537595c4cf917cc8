using ProxyOperator.Testing;

namespace ProxyOperator.Build.Tests.ArgoCd;

/// <summary>The real Lua 5.4 interpreter from Debian (package lua5.4): the tests fail, never skip, without it.</summary>
internal static class Lua
{
    public const string Program = "lua5.4";

    public static string Locate()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, Program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new Xunit.Sdk.XunitException(
            $"{Program} is not on PATH: install it with `sudo apt-get install -y lua5.4` (make deps and .ci/run do)");
    }

    public static Task<ProcessResult> RunAsync(IEnumerable<string> arguments, string workingDirectory) =>
        ProcessRunner.RunAsync(Locate(), arguments, workingDirectory, null, null, TimeSpan.FromSeconds(30), CancellationToken.None);
}
