using System.Text.Json.Nodes;

namespace ProxyOperator.KubeSandbox.Patching;

public sealed class ServerSideApplyTests
{
    private static readonly IPatchMetadata Deployment = BuiltInPatchMetadata.For("apps", "Deployment");
    private static readonly DateTimeOffset T1 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly DateTimeOffset T2 = T1.AddMinutes(1);

    private static JsonObject Config(string spec, string labels = "{'app':'web'}") => PatchJson.Object($$"""
        {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','namespace':'default','labels':{{labels}}},'spec':{{spec}}}
        """);

    private static JsonObject Apply(JsonObject? live, JsonObject config, string manager, bool force = false)
    {
        var result = ServerSideApply.Apply(live, config, manager, force, Deployment, T1);
        Assert.Empty(result.Conflicts);
        return result.Object;
    }

    private static JsonObject Entry(JsonObject obj, string manager, string operation = "Apply") =>
        obj["metadata"]!["managedFields"]!.AsArray().OfType<JsonObject>()
            .Single(e => (string?)e["manager"] == manager && (string?)e["operation"] == operation);

    private static bool Owns(JsonObject obj, string manager, params string[] path)
    {
        JsonNode? node = Entry(obj, manager)["fieldsV1"];
        foreach (var element in path)
        {
            node = node?[element];
        }

        return node is not null;
    }

    [Fact]
    public void Create_returns_the_configuration_with_an_apply_entry_in_FieldsV1_form()
    {
        var config = Config("{'replicas':3,'template':{'spec':{'containers':[{'name':'nginx','image':'nginx:1'}]}}}");

        var created = Apply(null, config, "kubectl");

        PatchJson.Equal("""
            [{'manager':'kubectl','operation':'Apply','apiVersion':'apps/v1','time':'2026-01-02T03:04:05Z','fieldsType':'FieldsV1',
              'fieldsV1':{'f:metadata':{'f:labels':{'f:app':{}}},
                          'f:spec':{'f:replicas':{},'f:template':{'f:spec':{'f:containers':{'k:{\u0022name\u0022:\u0022nginx\u0022}':{'.':{},'f:image':{},'f:name':{}}}}}}}}]
            """, created["metadata"]!["managedFields"]);
        created["metadata"]!.AsObject().Remove("managedFields");
        PatchJson.Equal(config.ToJsonString(), created);
    }

    [Fact]
    public void Reapplying_the_same_configuration_changes_nothing_and_has_no_conflict()
    {
        var config = Config("{'replicas':3}");
        var live = Apply(null, config, "kubectl");

        var again = ServerSideApply.Apply(live, config, "kubectl", false, Deployment, T2);

        Assert.Empty(again.Conflicts);
        Assert.Equal(string.Empty, again.ConflictMessage);
        PatchJson.Equal(Entry(live, "kubectl")["fieldsV1"]!.ToJsonString(), Entry(again.Object, "kubectl")["fieldsV1"]);
        Assert.Equal(3, (int)again.Object["spec"]!["replicas"]!);
    }

    [Fact]
    public void Two_managers_applying_different_fields_both_keep_them()
    {
        var live = Apply(null, Config("{'replicas':3}"), "alpha");

        var both = Apply(live, Config("{'paused':true}", "{'tier':'front'}"), "beta");

        PatchJson.Equal("{'replicas':3,'paused':true}", both["spec"]);
        PatchJson.Equal("{'app':'web','tier':'front'}", both["metadata"]!["labels"]);
        Assert.True(Owns(both, "alpha", "f:spec", "f:replicas"));
        Assert.False(Owns(both, "alpha", "f:spec", "f:paused"));
        Assert.True(Owns(both, "beta", "f:spec", "f:paused"));
        Assert.True(Owns(both, "beta", "f:metadata", "f:labels", "f:tier"));
    }

    [Fact]
    public void Applying_a_different_value_to_another_managers_field_conflicts_without_force()
    {
        var live = Apply(null, Config("{'replicas':3}"), "alpha");

        var refused = ServerSideApply.Apply(live, Config("{'replicas':5}"), "beta", false, Deployment, T2);

        var conflict = Assert.Single(refused.Conflicts);
        Assert.Equal(new ApplyConflict("alpha", ".spec.replicas"), conflict);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"alpha\": .spec.replicas", refused.ConflictMessage);
        Assert.True(JsonNode.DeepEquals(live, refused.Object));
    }

    [Fact]
    public void Applying_the_same_value_shares_ownership_without_conflict()
    {
        var live = Apply(null, Config("{'replicas':3}"), "alpha");

        var shared = Apply(live, Config("{'replicas':3}"), "beta");

        Assert.True(Owns(shared, "alpha", "f:spec", "f:replicas"));
        Assert.True(Owns(shared, "beta", "f:spec", "f:replicas"));
    }

    [Fact]
    public void Force_moves_ownership_to_the_applier()
    {
        var live = Apply(null, Config("{'replicas':3,'paused':false}"), "alpha");

        var forced = Apply(live, Config("{'replicas':5}"), "beta", force: true);

        Assert.Equal(5, (int)forced["spec"]!["replicas"]!);
        Assert.False(Owns(forced, "alpha", "f:spec", "f:replicas"));
        Assert.True(Owns(forced, "alpha", "f:spec", "f:paused"));
        Assert.True(Owns(forced, "beta", "f:spec", "f:replicas"));
    }

    [Fact]
    public void A_field_the_applier_omits_is_removed_when_no_one_else_owns_it()
    {
        var live = Apply(null, Config("{'replicas':3,'paused':true}", "{'app':'web','tier':'front'}"), "alpha");

        var pruned = Apply(live, Config("{'replicas':3}"), "alpha");

        PatchJson.Equal("{'replicas':3}", pruned["spec"]);
        PatchJson.Equal("{'app':'web'}", pruned["metadata"]!["labels"]);
        Assert.False(Owns(pruned, "alpha", "f:spec", "f:paused"));
    }

    [Fact]
    public void A_field_the_applier_omits_stays_when_another_manager_also_owns_it()
    {
        var live = Apply(null, Config("{'replicas':3}", "{'app':'web','tier':'front'}"), "alpha");
        live = Apply(live, Config("{}", "{'tier':'front'}"), "beta");

        var kept = Apply(live, Config("{'replicas':3}"), "alpha");

        PatchJson.Equal("{'app':'web','tier':'front'}", kept["metadata"]!["labels"]);
        Assert.False(Owns(kept, "alpha", "f:metadata", "f:labels", "f:tier"));
        Assert.True(Owns(kept, "beta", "f:metadata", "f:labels", "f:tier"));
    }

    [Fact]
    public void Containers_applied_by_two_managers_merge_by_name_and_an_omitted_container_is_removed()
    {
        var live = Apply(null, Config("{'template':{'spec':{'containers':[{'name':'app','image':'app:1'},{'name':'debug','image':'busybox'}]}}}"), "alpha");
        live = Apply(live, Config("{'template':{'spec':{'containers':[{'name':'sidecar','image':'proxy:1'}]}}}"), "beta");

        var result = Apply(live, Config("{'template':{'spec':{'containers':[{'name':'app','image':'app:2'}]}}}"), "alpha");

        PatchJson.Equal("[{'name':'app','image':'app:2'},{'name':'sidecar','image':'proxy:1'}]", result["spec"]!["template"]!["spec"]!["containers"]);
    }

    [Fact]
    public void A_conflict_inside_a_container_names_the_list_item_by_key()
    {
        var live = Apply(null, Config("{'template':{'spec':{'containers':[{'name':'nginx','image':'nginx:1'}]}}}"), "alpha");

        var refused = ServerSideApply.Apply(live, Config("{'template':{'spec':{'containers':[{'name':'nginx','image':'nginx:2'}]}}}"), "beta", false, Deployment, T2);

        Assert.Equal([new ApplyConflict("alpha", ".spec.template.spec.containers[name=\"nginx\"].image")], refused.Conflicts);
    }

    [Fact]
    public void Kubectl_scale_update_takes_replicas_and_a_later_apply_conflicts_on_it()
    {
        var live = Apply(null, Config("{'replicas':3,'paused':false}"), "kubectl-client-side-apply");
        var scaled = (JsonObject)live.DeepClone();
        scaled["spec"]!["replicas"] = 5;

        var afterScale = ServerSideApply.RecordUpdate(live, scaled, "kubectl-scale", Deployment, T2);

        Assert.False(Owns(afterScale, "kubectl-client-side-apply", "f:spec", "f:replicas"));
        PatchJson.Equal("""
            {'manager':'kubectl-scale','operation':'Update','apiVersion':'apps/v1','time':'2026-01-02T03:05:05Z','fieldsType':'FieldsV1',
             'fieldsV1':{'f:spec':{'f:replicas':{}}}}
            """, Entry(afterScale, "kubectl-scale", "Update"));

        var refused = ServerSideApply.Apply(afterScale, Config("{'replicas':3,'paused':false}"), "kubectl-client-side-apply", false, Deployment, T2);

        Assert.Equal([new ApplyConflict("kubectl-scale", ".spec.replicas")], refused.Conflicts);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl-scale\" using apps/v1 at 2026-01-02T03:05:05Z: .spec.replicas", refused.ConflictMessage);
        Assert.Equal(5, (int)refused.Object["spec"]!["replicas"]!);
    }

    [Fact]
    public void Several_conflicts_are_listed_per_manager()
    {
        var live = Apply(null, Config("{'replicas':3,'paused':false}"), "alpha");

        var refused = ServerSideApply.Apply(live, Config("{'replicas':4,'paused':true}"), "beta", false, Deployment, T2);

        Assert.Equal(2, refused.Conflicts.Count);
        Assert.Equal("Apply failed with 2 conflicts: conflicts with \"alpha\":\n- .spec.paused\n- .spec.replicas", refused.ConflictMessage);
    }

    [Fact]
    public void An_update_that_creates_the_object_owns_every_field_it_set()
    {
        var created = ServerSideApply.RecordUpdate(null, Config("{'replicas':1}"), "kubectl-create", Deployment, T1);

        PatchJson.Equal("""
            [{'manager':'kubectl-create','operation':'Update','apiVersion':'apps/v1','time':'2026-01-02T03:04:05Z','fieldsType':'FieldsV1',
              'fieldsV1':{'f:metadata':{'f:labels':{'f:app':{}}},'f:spec':{'f:replicas':{}}}}]
            """, created["metadata"]!["managedFields"]);
    }

    [Fact]
    public void An_update_that_changes_nothing_keeps_the_entry_time()
    {
        var created = ServerSideApply.RecordUpdate(null, Config("{'replicas':1}"), "editor", Deployment, T1);

        var again = ServerSideApply.RecordUpdate(created, created, "editor", Deployment, T2);

        Assert.Equal("2026-01-02T03:04:05Z", (string?)Entry(again, "editor", "Update")["time"]);
    }

    [Fact]
    public void An_update_that_removes_a_field_drops_it_from_every_manager()
    {
        var live = Apply(null, Config("{'replicas':3,'paused':true}"), "alpha");
        var edited = (JsonObject)live.DeepClone();
        edited["spec"]!.AsObject().Remove("paused");

        var result = ServerSideApply.RecordUpdate(live, edited, "editor", Deployment, T2);

        Assert.False(Owns(result, "alpha", "f:spec", "f:paused"));
        Assert.DoesNotContain(result["metadata"]!["managedFields"]!.AsArray(), e => (string?)e!["manager"] == "editor");
    }

    [Fact]
    public void The_first_apply_to_an_untracked_object_attributes_existing_fields_to_before_first_apply()
    {
        var untracked = Config("{'replicas':2}");

        var refused = ServerSideApply.Apply(untracked, Config("{'replicas':4}"), "kubectl", false, Deployment, T1);

        Assert.Equal([new ApplyConflict("before-first-apply", ".spec.replicas")], refused.Conflicts);
    }

    [Fact]
    public void Finalizers_apply_as_a_set_and_are_tracked_by_value()
    {
        var live = Apply(null, PatchJson.Object("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','finalizers':['a']}}"), "alpha");

        var both = Apply(live, PatchJson.Object("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','finalizers':['b']}}"), "beta");

        PatchJson.Equal("['a','b']", both["metadata"]!["finalizers"]);
        Assert.True(Owns(both, "beta", "f:metadata", "f:finalizers", "v:\"b\""));
    }

    [Fact]
    public void An_apply_configuration_with_managed_fields_is_rejected()
    {
        var config = PatchJson.Object("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','managedFields':[{}]}}");

        Assert.Throws<PatchException>(() => ServerSideApply.Apply(null, config, "kubectl", false, Deployment, T1));
    }

    [Fact]
    public void Objects_emptied_by_pruning_are_removed_too()
    {
        var live = Apply(null, Config("{'replicas':1,'strategy':{'rollingUpdate':{'maxSurge':1}}}"), "alpha");

        var pruned = Apply(live, Config("{'replicas':1}"), "alpha");

        PatchJson.Equal("{'replicas':1}", pruned["spec"]);
    }

    [Fact]
    public void Conditions_are_tracked_by_type()
    {
        var status = PatchJson.Object("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'status':{'conditions':[{'type':'Available','status':'True'}]}}");

        var applied = Apply(null, status, "controller");

        Assert.True(Owns(applied, "controller", "f:status", "f:conditions", "k:{\"type\":\"Available\"}", "f:status"));
    }

    // structured-merge-diff typed/merge.go: live-only items keep their place, shared items follow the configuration.
    public static TheoryData<string, string, string> AssociativeListOrders => new()
    {
        { "['a','b']", "['c']", "['a','b','c']" },
        { "['a','b','c']", "['c','a']", "['b','c','a']" },
        { "['a','x','b']", "['a','n','b']", "['a','x','n','b']" },
        { "['a','b']", "['b','a']", "['b','a']" },
    };

    [Theory]
    [MemberData(nameof(AssociativeListOrders))]
    public void Associative_lists_keep_live_only_items_in_place(string liveNames, string appliedNames, string expectedNames)
    {
        static string Containers(string names) =>
            "{'template':{'spec':{'containers':[" + string.Join(',', PatchJson.Array(names).Select(n => $"{{'name':'{n}'}}")) + "]}}}";

        var live = Apply(null, Config(Containers(liveNames)), "alpha");

        var merged = Apply(live, Config(Containers(appliedNames)), "beta");

        var names = merged["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => (string?)c!["name"]);
        PatchJson.Equal(expectedNames, new JsonArray([.. names.Select(n => (JsonNode?)n)]));
    }

    [Fact]
    public void Managed_fields_are_sorted_apply_first_then_by_time()
    {
        var live = ServerSideApply.RecordUpdate(null, Config("{'replicas':1}"), "creator", Deployment, T2);

        var applied = ServerSideApply.Apply(live, Config("{'replicas':1,'paused':true}"), "zeta", false, Deployment, T2).Object;

        var order = applied["metadata"]!["managedFields"]!.AsArray().Select(e => $"{e!["operation"]}:{e["manager"]}");
        Assert.Equal(["Apply:zeta", "Update:creator"], order);
    }
}
