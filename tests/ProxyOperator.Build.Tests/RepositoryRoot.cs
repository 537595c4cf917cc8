namespace ProxyOperator.Build.Tests;

/// <summary>The checkout the tests run in: the folder above the test assembly that holds ProxyOperator.sln.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "ProxyOperator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no ProxyOperator.sln above {AppContext.BaseDirectory}");
    }
}
