using System.Net;
using k8s;
using k8s.Models;

namespace ProxyOperator.KubeSandbox.Tests;

public sealed class DeletionTests
{
    private static V1ConfigMap ConfigMap(string name, IList<string>? finalizers = null, V1ConfigMap? owner = null, bool block = false) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Finalizers = finalizers,
            OwnerReferences = owner is null
                ? null
                : [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = owner.Metadata.Name, Uid = owner.Metadata.Uid, BlockOwnerDeletion = block, Controller = true }],
        },
    };

    private static async Task<bool> ExistsAsync(Sandbox sandbox, string name) =>
        (await sandbox.Client.CoreV1.ListNamespacedConfigMapAsync("default", fieldSelector: "metadata.name=" + name)).Items.Count == 1;

    [Fact]
    public async Task Deleting_an_object_with_finalizers_marks_it_and_the_last_finalizer_removal_deletes_it()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var core = sandbox.Client.CoreV1;
        await core.CreateNamespacedConfigMapAsync(ConfigMap("held", ["example.com/a", "example.com/b"]), "default");

        await core.DeleteNamespacedConfigMapAsync("held", "default");
        var marked = await core.ReadNamespacedConfigMapAsync("held", "default");
        Assert.NotNull(marked.Metadata.DeletionTimestamp);
        Assert.Equal(0, marked.Metadata.DeletionGracePeriodSeconds);

        marked.Metadata.Finalizers = ["example.com/b"];
        var stillThere = await core.ReplaceNamespacedConfigMapAsync(marked, "held", "default");
        Assert.NotNull(stillThere.Metadata.DeletionTimestamp);

        await core.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"finalizers\":null}}", V1Patch.PatchType.MergePatch), "held", "default");
        Assert.Equal(HttpStatusCode.NotFound, await Sandbox.StatusOf(() => core.ReadNamespacedConfigMapAsync("held", "default")));
    }

    [Fact]
    public async Task Background_deletion_collects_dependents_whose_owners_are_all_gone()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var core = sandbox.Client.CoreV1;
        var owner = await core.CreateNamespacedConfigMapAsync(ConfigMap("owner"), "default");
        var otherOwner = await core.CreateNamespacedConfigMapAsync(ConfigMap("other-owner"), "default");
        await core.CreateNamespacedConfigMapAsync(ConfigMap("child", owner: owner), "default");
        var shared = ConfigMap("shared", owner: owner);
        shared.Metadata.OwnerReferences.Add(new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "other-owner", Uid = otherOwner.Metadata.Uid });
        await core.CreateNamespacedConfigMapAsync(shared, "default");

        await core.DeleteNamespacedConfigMapAsync("owner", "default", propagationPolicy: "Background");

        await Sandbox.EventuallyAsync(async () => !await ExistsAsync(sandbox, "child"));
        Assert.True(await ExistsAsync(sandbox, "shared"));
    }

    [Fact]
    public async Task Foreground_deletion_keeps_the_owner_until_blocking_dependents_are_gone()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var core = sandbox.Client.CoreV1;
        var owner = await core.CreateNamespacedConfigMapAsync(ConfigMap("owner"), "default");
        await core.CreateNamespacedConfigMapAsync(ConfigMap("child", finalizers: ["example.com/hold"], owner: owner, block: true), "default");

        await core.DeleteNamespacedConfigMapAsync("owner", "default", propagationPolicy: "Foreground");
        var deleting = await core.ReadNamespacedConfigMapAsync("owner", "default");
        Assert.Contains("foregroundDeletion", deleting.Metadata.Finalizers);
        Assert.NotNull(deleting.Metadata.DeletionTimestamp);
        await Sandbox.EventuallyAsync(async () => (await core.ReadNamespacedConfigMapAsync("child", "default")).Metadata.DeletionTimestamp is not null);
        Assert.True(await ExistsAsync(sandbox, "owner"));

        await core.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"finalizers\":null}}", V1Patch.PatchType.MergePatch), "child", "default");

        await Sandbox.EventuallyAsync(async () => !await ExistsAsync(sandbox, "owner"));
    }

    [Fact]
    public async Task Orphan_deletion_removes_the_owner_reference_from_dependents()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var core = sandbox.Client.CoreV1;
        var owner = await core.CreateNamespacedConfigMapAsync(ConfigMap("owner"), "default");
        await core.CreateNamespacedConfigMapAsync(ConfigMap("child", owner: owner), "default");

        await core.DeleteNamespacedConfigMapAsync("owner", "default", propagationPolicy: "Orphan");
        await Task.Delay(200);

        var child = await core.ReadNamespacedConfigMapAsync("child", "default");
        Assert.Null(child.Metadata.OwnerReferences);
    }

    [Fact]
    public async Task A_delete_with_a_stale_uid_precondition_is_a_conflict()
    {
        await using var sandbox = await Sandbox.StartAsync();
        await sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c"), "default");

        var status = await Sandbox.StatusOf(() => sandbox.Client.CoreV1.DeleteNamespacedConfigMapAsync("c", "default", new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = "not-it" } }));

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.True(await ExistsAsync(sandbox, "c"));
    }
}
