using System.Text.Json.Nodes;

namespace ProxyOperator.KubeSandbox.Patching;

public sealed class StrategicMergePatchTests
{
    private static readonly IPatchMetadata Pod = BuiltInPatchMetadata.For("", "Pod");
    private static readonly IPatchMetadata Deployment = BuiltInPatchMetadata.For("apps", "Deployment");

    /// <summary>
    /// The MergeItem test struct of apimachinery strategicpatch/patch_test.go: mergingList and retainKeysMergingList
    /// merge by "name", mergingIntList is a set, the non-merging lists are atomic.
    /// </summary>
    private sealed class MergeItemMetadata : IPatchMetadata
    {
        public string? MergeKeyFor(IReadOnlyList<string> path) =>
            path[^1] is "mergingList" or "retainKeysMergingList" ? "name" : null;

        public bool IsSetList(IReadOnlyList<string> path) => path[^1] == "mergingIntList";
    }

    // Vectors from apimachinery pkg/util/strategicpatch/patch_test.go (customStrategicMergePatchTestCaseData,
    // customStrategicMergePatchRawTestCases, createStrategicMergePatchTestCaseData and strategicMergePatchRawTestCases):
    // original, patch, expected result, translated from YAML to JSON.
    public static TheoryData<string, string, string, string> ApimachineryVectors => new()
    {
        { "unique scalars when merging lists", "{'mergingIntList':[1,2]}", "{'mergingIntList':[2,3]}", "{'mergingIntList':[1,2,3]}" },
        { "delete map from nested map", "{'simpleMap':{'key1':1,'key2':1}}", "{'simpleMap':{'$patch':'delete'}}", "{'simpleMap':{}}" },
        { "delete all items from merging list", "{'mergingList':[{'name':1},{'name':2}]}", "{'mergingList':[{'$patch':'replace'}]}", "{'mergingList':[]}" },
        { "merge empty merging lists", "{'mergingList':[]}", "{'mergingList':[]}", "{'mergingList':[]}" },
        { "delete all keys from map", "{'name':1,'value':1}", "{'$patch':'replace'}", "{}" },
        { "add key and delete all keys from map", "{'name':1,'value':1}", "{'other':'a','$patch':'replace'}", "{'other':'a'}" },
        {
            "delete all duplicate entries in a merging list", "{'mergingList':[{'name':1},{'name':1},{'name':2,'value':'a'},{'name':3},{'name':3}]}",
            "{'mergingList':[{'name':1,'$patch':'delete'},{'name':3,'$patch':'delete'}]}", "{'mergingList':[{'name':2,'value':'a'}]}"
        },
        { "retainKeys map can add a field when no retainKeys directive present", "{'retainKeysMap':{'name':'foo'}}", "{'retainKeysMap':{'value':'bar'}}", "{'retainKeysMap':{'name':'foo','value':'bar'}}" },
        { "retainKeys map can delete a field when no retainKeys directive present", "{'retainKeysMap':{'name':'foo','value':'a'}}", "{'retainKeysMap':{'value':null}}", "{'retainKeysMap':{'name':'foo'}}" },
        {
            "preserve the order from the patch in a merging list", "{'mergingList':[{'name':1},{'name':2,'value':'b'},{'name':3}]}",
            "{'mergingList':[{'name':3,'value':'c'},{'name':1,'value':'a'},{'name':2,'other':'x'}]}",
            "{'mergingList':[{'name':3,'value':'c'},{'name':1,'value':'a'},{'name':2,'value':'b','other':'x'}]}"
        },
        {
            "preserve the order from the patch in a merging list 2", "{'mergingList':[{'name':1},{'name':2,'value':'b'},{'name':3}]}",
            "{'mergingList':[{'name':3,'value':'c'},{'name':1,'value':'a'}]}",
            "{'mergingList':[{'name':2,'value':'b'},{'name':3,'value':'c'},{'name':1,'value':'a'}]}"
        },
        { "preserve the order from the patch in a merging int list", "{'mergingIntList':[1,2,3]}", "{'mergingIntList':[3,1]}", "{'mergingIntList':[2,3,1]}" },
        {
            "$setElementOrder contains item that is not present in the list to be merged", "{'mergingList':[{'name':1},{'name':3}]}",
            "{'$setElementOrder/mergingList':[{'name':3},{'name':2},{'name':1}],'mergingList':[{'name':3,'value':3},{'name':1,'value':1}]}",
            "{'mergingList':[{'name':3,'value':3},{'name':1,'value':1}]}"
        },
        { "$setElementOrder contains item that is not present in the int list to be merged", "{'mergingIntList':[1,3]}", "{'$setElementOrder/mergingIntList':[3,2,1]}", "{'mergingIntList':[3,1]}" },
        { "$deleteFromPrimitiveList of nonexistent item in primitive list should not add the item to the list", "{'mergingIntList':[1,2]}", "{'$deleteFromPrimitiveList/mergingIntList':[3]}", "{'mergingIntList':[1,2]}" },
        { "$deleteFromPrimitiveList on empty primitive list should not add the item to the list", "{'mergingIntList':null}", "{'$deleteFromPrimitiveList/mergingIntList':[3]}", "{'mergingIntList':null}" },
        { "$deleteFromPrimitiveList on nonexistent primitive list should not add the primitive list", "{'foo':['bar']}", "{'$deleteFromPrimitiveList/mergingIntList':[3]}", "{'foo':['bar']}" },
        { "$deleteFromPrimitiveList should delete item from a list with merge patch strategy", "{'mergingIntList':[1,2,3]}", "{'$deleteFromPrimitiveList/mergingIntList':[2]}", "{'mergingIntList':[1,3]}" },
        { "$deleteFromPrimitiveList should delete item from a list without merge patch strategy", "{'nonMergingIntList':[1,2,3]}", "{'$deleteFromPrimitiveList/nonMergingIntList':[2]}", "{'nonMergingIntList':[1,3]}" },
        { "add field and delete field from map", "{'name':1,'other':'a'}", "{'name':null,'value':1}", "{'value':1,'other':'a'}" },
        { "delete field from nested map", "{'simpleMap':{'key1':1,'key2':1,'other':'a'}}", "{'simpleMap':{'key2':null}}", "{'simpleMap':{'key1':1,'other':'a'}}" },
        { "replace list of scalars", "{'nonMergingIntList':[1,2]}", "{'nonMergingIntList':[2,3]}", "{'nonMergingIntList':[2,3]}" },
        { "delete all maps from merging list", "{'mergingList':[{'name':1,'other':'a'},{'name':2,'other':'b'}]}", "{'mergingList':[{'name':1,'$patch':'delete'},{'name':2,'$patch':'delete'}]}", "{'mergingList':[]}" },
        { "defined null values should propagate overwrite current fields", "{'name':'a','other':'a'}", "{'name':1,'value':1,'other':null}", "{'name':1,'value':1}" },
        {
            "nested patch merge with empty list", "{'name':'hi','mergingList':[{'name':'hello2'}]}",
            "{'$setElementOrder/mergingList':[{'name':'hello'},{'name':'doesntexist'}],'mergingList':[{'name':'hello'},{'$patch':'delete','name':'doesntexist'}]}",
            "{'name':'hi','mergingList':[{'name':'hello'},{'name':'hello2'}]}"
        },
        { "delete items in lists of scalars", "{'mergingIntList':[1,2,3,4]}", "{'$setElementOrder/mergingIntList':[1,2],'$deleteFromPrimitiveList/mergingIntList':[3]}", "{'mergingIntList':[1,2,4]}" },
        { "delete all duplicate items in lists of scalars", "{'mergingIntList':[1,2,3,3,4]}", "{'$setElementOrder/mergingIntList':[1,2],'$deleteFromPrimitiveList/mergingIntList':[3]}", "{'mergingIntList':[1,2,4]}" },
        {
            "merge lists of maps", "{'mergingList':[{'name':1,'other':'a'},{'name':2,'value':2,'other':'b'}]}",
            "{'$setElementOrder/mergingList':[{'name':4},{'name':1},{'name':2},{'name':3}],'mergingList':[{'name':4,'value':4},{'name':3,'value':3}]}",
            "{'mergingList':[{'name':4,'value':4},{'name':1,'other':'a'},{'name':2,'value':2,'other':'b'},{'name':3,'value':3}]}"
        },
    };

    public static TheoryData<string, string, string, string> ApimachineryErrors => new()
    {
        {
            "should check if order in $setElementOrder and patch list match", "{'mergingList':[{'name':1},{'name':3},{'name':2}]}",
            "{'$setElementOrder/mergingList':[{'name':1},{'name':2},{'name':3}],'mergingList':[{'name':3,'value':3},{'name':1,'value':1}]}", "doesn't match"
        },
        { "should check if order in $setElementOrder and patch int list match", "{'mergingIntList':[1,3,2]}", "{'$setElementOrder/mergingIntList':[1,2,3],'mergingIntList':[3,1]}", "doesn't match" },
        { "missing merge key should error out", "{'mergingList':[{'name':1,'value':'a'}]}", "{'mergingList':[{'value':'b'}]}", "does not contain declared merge key" },
        { "a merge directive inside a list is rejected", "{'mergingList':[{'name':1}]}", "{'mergingList':[{'name':1,'$patch':'merge'}]}", "merging lists cannot yet be specified" },
        { "an unknown map directive is rejected", "{'simpleMap':{}}", "{'simpleMap':{'$patch':'frob'}}", "unknown patch type" },
        { "retainKeys must list every patched key", "{'retainKeysMap':{'name':'a'}}", "{'retainKeysMap':{'$retainKeys':['name'],'value':'b'}}", "retainKeys" },
    };

    [Theory]
    [MemberData(nameof(ApimachineryVectors))]
    public void Apimachinery_vectors_produce_the_expected_object(string description, string original, string patch, string expected)
    {
        Assert.NotEmpty(description);
        PatchJson.Equal(expected, StrategicMergePatch.Apply(PatchJson.Object(original), PatchJson.Object(patch), new MergeItemMetadata()));
    }

    [Theory]
    [MemberData(nameof(ApimachineryErrors))]
    public void Apimachinery_error_vectors_raise_patch_exception(string description, string original, string patch, string message)
    {
        Assert.NotEmpty(description);
        var error = Assert.Throws<PatchException>(() => StrategicMergePatch.Apply(PatchJson.Object(original), PatchJson.Object(patch), new MergeItemMetadata()));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    // Pod-level scenarios on the built-in metadata, several from the "Update API objects in place using kubectl patch" task.
    public static TheoryData<string, string, string, string> PodScenarios => new()
    {
        {
            "kubectl patch task: a new container is merged in front of the existing one",
            "{'spec':{'containers':[{'name':'patch-demo-ctr','image':'nginx'}]}}",
            "{'spec':{'containers':[{'name':'patch-demo-ctr-2','image':'redis'}]}}",
            "{'spec':{'containers':[{'name':'patch-demo-ctr-2','image':'redis'},{'name':'patch-demo-ctr','image':'nginx'}]}}"
        },
        {
            "tolerations are atomic and replaced (kubectl patch task)",
            "{'spec':{'tolerations':[{'effect':'NoSchedule','key':'dedicated','value':'test-team'}]}}",
            "{'spec':{'tolerations':[{'effect':'NoSchedule','key':'disktype','value':'ssd'}]}}",
            "{'spec':{'tolerations':[{'effect':'NoSchedule','key':'disktype','value':'ssd'}]}}"
        },
        {
            "env merges by name inside a container found by name",
            "{'spec':{'containers':[{'name':'a','env':[{'name':'X','value':'1'},{'name':'Y','value':'2'}]}]}}",
            "{'spec':{'containers':[{'name':'a','env':[{'name':'Y','value':'3'}]}]}}",
            "{'spec':{'containers':[{'name':'a','env':[{'name':'X','value':'1'},{'name':'Y','value':'3'}]}]}}"
        },
        {
            "ports merge by containerPort",
            "{'spec':{'containers':[{'name':'a','ports':[{'containerPort':80,'name':'http'}]}]}}",
            "{'spec':{'containers':[{'name':'a','ports':[{'containerPort':80,'protocol':'TCP'},{'containerPort':443}]}]}}",
            "{'spec':{'containers':[{'name':'a','ports':[{'containerPort':80,'name':'http','protocol':'TCP'},{'containerPort':443}]}]}}"
        },
        {
            "a container is deleted with the $patch delete directive",
            "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}",
            "{'spec':{'containers':[{'name':'a','$patch':'delete'}]}}",
            "{'spec':{'containers':[{'name':'b'}]}}"
        },
        {
            "a $patch replace element makes the patch the whole list",
            "{'spec':{'volumes':[{'name':'a','emptyDir':{}},{'name':'b','emptyDir':{}}]}}",
            "{'spec':{'volumes':[{'name':'c','emptyDir':{}},{'$patch':'replace'}]}}",
            "{'spec':{'volumes':[{'name':'c','emptyDir':{}}]}}"
        },
        {
            "finalizers are a set: patch entries are added once",
            "{'metadata':{'finalizers':['a','b']}}",
            "{'metadata':{'finalizers':['b','c']}}",
            "{'metadata':{'finalizers':['a','b','c']}}"
        },
        {
            "$deleteFromPrimitiveList removes a finalizer and $setElementOrder orders the rest",
            "{'metadata':{'finalizers':['a','b','c']}}",
            "{'metadata':{'$setElementOrder/finalizers':['c','a'],'$deleteFromPrimitiveList/finalizers':['b']}}",
            "{'metadata':{'finalizers':['c','a']}}"
        },
        {
            "null deletes a label and leaves the others",
            "{'metadata':{'labels':{'a':'1','b':'2'}}}",
            "{'metadata':{'labels':{'a':null,'c':'3'}}}",
            "{'metadata':{'labels':{'b':'2','c':'3'}}}"
        },
        {
            "$setElementOrder reorders containers without changing them",
            "{'spec':{'containers':[{'name':'a','image':'1'},{'name':'b','image':'2'}]}}",
            "{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'}]}}",
            "{'spec':{'containers':[{'name':'b','image':'2'},{'name':'a','image':'1'}]}}"
        },
        {
            "ownerReferences merge by uid",
            "{'metadata':{'ownerReferences':[{'uid':'1','name':'x'}]}}",
            "{'metadata':{'ownerReferences':[{'uid':'2','name':'y'}]}}",
            "{'metadata':{'ownerReferences':[{'uid':'2','name':'y'},{'uid':'1','name':'x'}]}}"
        },
        {
            "status conditions merge by type",
            "{'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'Initialized','status':'True'}]}}",
            "{'status':{'conditions':[{'type':'Ready','status':'True'}]}}",
            "{'status':{'conditions':[{'type':'Ready','status':'True'},{'type':'Initialized','status':'True'}]}}"
        },
        {
            "nulls and directives inside a newly added field are not stored",
            "{'spec':{}}",
            "{'spec':{'containers':[{'name':'a','image':null,'env':[{'name':'X','$patch':'delete'},{'name':'Y'}]}]}}",
            "{'spec':{'containers':[{'name':'a','env':[{'name':'Y'}]}]}}"
        },
    };

    [Theory]
    [MemberData(nameof(PodScenarios))]
    public void Pod_patches_follow_the_pod_patch_strategy(string description, string original, string patch, string expected)
    {
        Assert.NotEmpty(description);
        PatchJson.Equal(expected, StrategicMergePatch.Apply(PatchJson.Object(original), PatchJson.Object(patch), Pod));
    }

    [Fact]
    public void Containers_merge_by_name_and_keep_unmentioned_ones()
    {
        var deployment = PatchJson.Object("""
            {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d'},
             'spec':{'replicas':1,'template':{'spec':{'containers':[{'name':'app','image':'app:1'},{'name':'sidecar','image':'proxy:1'}]}}}}
            """);

        var result = StrategicMergePatch.Apply(deployment, PatchJson.Object("{'spec':{'template':{'spec':{'containers':[{'name':'app','image':'app:2'}]}}}}"), Deployment);

        PatchJson.Equal("[{'name':'app','image':'app:2'},{'name':'sidecar','image':'proxy:1'}]", result["spec"]!["template"]!["spec"]!["containers"]);
        PatchJson.Equal("1", result["spec"]!["replicas"]);
    }

    [Fact]
    public void Kubectl_apply_patch_with_retainKeys_clears_the_other_union_member()
    {
        // kubectl apply sends $retainKeys for Deployment spec.strategy (patchStrategy "retainKeys"): switching to
        // Recreate must drop rollingUpdate.
        var deployment = PatchJson.Object("{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}");

        var result = StrategicMergePatch.Apply(deployment, PatchJson.Object("{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate','rollingUpdate':null}}}"), Deployment);

        PatchJson.Equal("{'spec':{'strategy':{'type':'Recreate'}}}", result);
    }

    [Fact]
    public void Kubectl_client_side_apply_patch_removes_a_container_and_reorders()
    {
        // The shape of the three-way patch kubectl apply computes after a container was removed from the manifest.
        var live = PatchJson.Object("{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'1'},{'name':'b','image':'2'},{'name':'c','image':'3'}]}}}}");
        var patch = PatchJson.Object("""
            {'spec':{'template':{'spec':{
              '$setElementOrder/containers':[{'name':'c'},{'name':'a'}],
              'containers':[{'name':'a','image':'1b'},{'$patch':'delete','name':'b'}]}}}}
            """);

        var result = StrategicMergePatch.Apply(live, patch, Deployment);

        PatchJson.Equal("[{'name':'c','image':'3'},{'name':'a','image':'1b'}]", result["spec"]!["template"]!["spec"]!["containers"]);
    }

    [Fact]
    public void Applying_does_not_modify_the_inputs()
    {
        var original = PatchJson.Object("{'spec':{'containers':[{'name':'a','image':'1'}]}}");
        var patch = PatchJson.Object("{'spec':{'containers':[{'name':'a','image':'2'},{'name':'b','$patch':'delete'}]}}");
        var originalText = original.ToJsonString();
        var patchText = patch.ToJsonString();

        StrategicMergePatch.Apply(original, patch, Pod);

        Assert.Equal(originalText, original.ToJsonString());
        Assert.Equal(patchText, patch.ToJsonString());
    }

    [Fact]
    public void A_non_object_patch_is_rejected()
    {
        Assert.Throws<PatchException>(() => StrategicMergePatch.Apply(PatchJson.Object("{}"), new JsonArray(), Pod));
    }
}
