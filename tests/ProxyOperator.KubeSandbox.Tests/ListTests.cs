using k8s;
using k8s.Models;

namespace ProxyOperator.KubeSandbox.Tests;

public sealed class ListTests
{
    private static async Task<Sandbox> WithConfigMapsAsync()
    {
        var sandbox = await Sandbox.StartAsync();
        await sandbox.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "other" } });
        foreach (var (name, ns, tier) in new[] { ("a", "default", "web"), ("b", "default", "db"), ("c", "default", (string?)null), ("d", "other", "web") })
        {
            var labels = tier is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["tier"] = tier };
            await sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name, Labels = labels } }, ns);
        }

        return sandbox;
    }

    private static async Task<string[]> NamesAsync(Sandbox sandbox, string? labelSelector = null, string? fieldSelector = null) =>
        (await sandbox.Client.CoreV1.ListConfigMapForAllNamespacesAsync(labelSelector: labelSelector, fieldSelector: fieldSelector)).Items.Select(i => i.Metadata.Name).ToArray();

    [Fact]
    public async Task Label_selectors_support_equality_sets_and_existence()
    {
        await using var sandbox = await WithConfigMapsAsync();

        Assert.Equal(["a", "d"], await NamesAsync(sandbox, "tier=web"));
        Assert.Equal(["a", "d"], await NamesAsync(sandbox, "tier==web"));
        Assert.Equal(["b", "c"], await NamesAsync(sandbox, "tier!=web"));
        Assert.Equal(["a", "b", "d"], await NamesAsync(sandbox, "tier in (web,db)"));
        Assert.Equal(["c"], await NamesAsync(sandbox, "tier notin (web,db)"));
        Assert.Equal(["a", "b", "d"], await NamesAsync(sandbox, "tier"));
        Assert.Equal(["c"], await NamesAsync(sandbox, "!tier"));
    }

    [Fact]
    public async Task Field_selectors_match_name_and_namespace()
    {
        await using var sandbox = await WithConfigMapsAsync();

        Assert.Equal(["b"], await NamesAsync(sandbox, fieldSelector: "metadata.name=b"));
        Assert.Equal(["d"], await NamesAsync(sandbox, fieldSelector: "metadata.namespace=other"));
        Assert.Equal(["a", "b", "c"], await NamesAsync(sandbox, fieldSelector: "metadata.namespace!=other"));
    }

    [Fact]
    public async Task Namespaced_lists_see_only_their_namespace()
    {
        await using var sandbox = await WithConfigMapsAsync();
        var list = await sandbox.Client.CoreV1.ListNamespacedConfigMapAsync("other");

        Assert.Equal(["d"], list.Items.Select(i => i.Metadata.Name));
        Assert.False(string.IsNullOrEmpty(list.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task Limit_and_continue_page_through_everything_once()
    {
        await using var sandbox = await WithConfigMapsAsync();
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await sandbox.Client.CoreV1.ListConfigMapForAllNamespacesAsync(limit: 3, continueParameter: token);
            seen.AddRange(page.Items.Select(i => i.Metadata.Name));
            token = page.Metadata.ContinueProperty;
            pages++;
        }
        while (!string.IsNullOrEmpty(token));

        Assert.Equal(2, pages);
        Assert.Equal(["a", "b", "c", "d"], seen);
    }

    [Fact]
    public async Task Delete_collection_removes_the_selected_objects()
    {
        await using var sandbox = await WithConfigMapsAsync();
        await sandbox.Client.CoreV1.DeleteCollectionNamespacedConfigMapAsync("default", labelSelector: "tier");

        Assert.Equal(["c", "d"], await NamesAsync(sandbox));
    }
}
