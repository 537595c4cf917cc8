using ProxyOperator.KubeSandbox.Tests.RealClients;

namespace ProxyOperator.Packaging.Tests;

/// <summary>Paths in the repository, and helm and kubectl run with a private HOME.</summary>
internal static class Repository
{
    public static string Root { get; } = KubeClients.RepositoryRoot();

    public static string Chart { get; } = System.IO.Path.Combine(Root, "charts", "proxy-operator");

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>The chart's documented values combinations (ci/*-values.yaml), by file name; "" is the defaults.</summary>
    public static TheoryData<string> ValuesFiles()
    {
        var data = new TheoryData<string> { string.Empty };
        foreach (var file in Directory.GetFiles(System.IO.Path.Combine(Chart, "ci"), "*-values.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(System.IO.Path.GetFileName(file));
        }

        return data;
    }

    /// <summary>Clients for commands that need no API server (a kubeconfig that is never read).</summary>
    public static KubeClients OfflineClients()
    {
        var home = Directory.CreateTempSubdirectory("packaging-").FullName;
        return new KubeClients(KubeClients.LocateBinaries(), home, System.IO.Path.Combine(home, "kubeconfig"));
    }

    public static string[] ValuesArguments(string valuesFile) =>
        valuesFile.Length == 0 ? [] : ["--values", System.IO.Path.Combine(Chart, "ci", valuesFile)];
}
