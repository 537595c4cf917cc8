namespace ProxyOperator.Operator.Tests.Manifests;

/// <summary>The folder holding ProxyOperator.sln, found by walking up from the test binaries.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "ProxyOperator.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no ProxyOperator.sln above {AppContext.BaseDirectory}");
    }
}
