namespace ProxyOperator.KubeSandbox.Patching;

public sealed class JsonPatchTests
{
    // RFC 6902 Appendix A examples that succeed (A.1-A.8, A.10, A.11, A.14, A.16).
    public static TheoryData<string, string, string, string> Rfc6902Successes => new()
    {
        { "A.1 adding an object member", "{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux'}]", "{'baz':'qux','foo':'bar'}" },
        { "A.2 adding an array element", "{'foo':['bar','baz']}", "[{'op':'add','path':'/foo/1','value':'qux'}]", "{'foo':['bar','qux','baz']}" },
        { "A.3 removing an object member", "{'baz':'qux','foo':'bar'}", "[{'op':'remove','path':'/baz'}]", "{'foo':'bar'}" },
        { "A.4 removing an array element", "{'foo':['bar','qux','baz']}", "[{'op':'remove','path':'/foo/1'}]", "{'foo':['bar','baz']}" },
        { "A.5 replacing a value", "{'baz':'qux','foo':'bar'}", "[{'op':'replace','path':'/baz','value':'boo'}]", "{'baz':'boo','foo':'bar'}" },
        {
            "A.6 moving a value", "{'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}}",
            "[{'op':'move','from':'/foo/waldo','path':'/qux/thud'}]", "{'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}"
        },
        { "A.7 moving an array element", "{'foo':['all','grass','cows','eat']}", "[{'op':'move','from':'/foo/1','path':'/foo/3'}]", "{'foo':['all','cows','eat','grass']}" },
        { "A.8 testing a value: success", "{'baz':'qux','foo':['a',2,'c']}", "[{'op':'test','path':'/baz','value':'qux'},{'op':'test','path':'/foo/1','value':2}]", "{'baz':'qux','foo':['a',2,'c']}" },
        { "A.10 adding a nested member object", "{'foo':'bar'}", "[{'op':'add','path':'/child','value':{'grandchild':{}}}]", "{'foo':'bar','child':{'grandchild':{}}}" },
        { "A.11 ignoring unrecognized elements", "{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux','xyz':123}]", "{'foo':'bar','baz':'qux'}" },
        { "A.14 ~ escape ordering", "{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':10}]", "{'/':9,'~1':10}" },
        { "A.16 adding an array value", "{'foo':['bar']}", "[{'op':'add','path':'/foo/-','value':['abc','def']}]", "{'foo':['bar',['abc','def']]}" },
        { "copy duplicates a value", "{'a':{'b':1}}", "[{'op':'copy','from':'/a','path':'/c'}]", "{'a':{'b':1},'c':{'b':1}}" },
        { "replace at the root swaps the document", "{'a':1}", "[{'op':'replace','path':'','value':{'b':2}}]", "{'b':2}" },
        { "add of an existing member replaces it", "{'a':1}", "[{'op':'add','path':'/a','value':null}]", "{'a':null}" },
        { "adding at the array length appends", "{'a':[1]}", "[{'op':'add','path':'/a/1','value':2}]", "{'a':[1,2]}" },
        { "~1 addresses a slash in a label key", "{'metadata':{'labels':{'app.kubernetes.io/name':'x'}}}", "[{'op':'remove','path':'/metadata/labels/app.kubernetes.io~1name'}]", "{'metadata':{'labels':{}}}" },
        { "test of an absent member against null succeeds as in evanphx/json-patch", "{'a':1}", "[{'op':'test','path':'/b','value':null}]", "{'a':1}" },
        { "test compares objects regardless of member order", "{'a':{'x':1,'y':2}}", "[{'op':'test','path':'/a','value':{'y':2,'x':1}}]", "{'a':{'x':1,'y':2}}" },
    };

    // RFC 6902 Appendix A failures (A.9, A.12, A.15) and other malformed operations.
    public static TheoryData<string, string, string, string> Rfc6902Failures => new()
    {
        { "A.9 testing a value: error", "{'baz':'qux'}", "[{'op':'test','path':'/baz','value':'bar'}]", "test failed" },
        { "A.12 adding to a nonexistent target", "{'foo':'bar'}", "[{'op':'add','path':'/baz/bat','value':'qux'}]", "missing path" },
        { "A.15 comparing strings and numbers", "{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':'10'}]", "test failed" },
        { "remove of a missing member", "{'a':1}", "[{'op':'remove','path':'/b'}]", "missing path" },
        { "replace of a missing member", "{'a':1}", "[{'op':'replace','path':'/b','value':1}]", "missing path" },
        { "index beyond the end", "{'a':[1]}", "[{'op':'add','path':'/a/2','value':1}]", "missing path" },
        { "index with a leading zero", "{'a':[1,2]}", "[{'op':'remove','path':'/a/01'}]", "missing path" },
        { "test of a present member against null", "{'a':1}", "[{'op':'test','path':'/a','value':null}]", "test failed" },
        { "unknown operation", "{}", "[{'op':'frob','path':'/a'}]", "Unexpected kind: frob" },
        { "add without value", "{}", "[{'op':'add','path':'/a'}]", "does not have a \"value\"" },
        { "pointer without leading slash", "{}", "[{'op':'add','path':'a','value':1}]", "must start with" },
        { "move into its own child", "{'a':{'b':1}}", "[{'op':'move','from':'/a','path':'/a/b/c'}]", "its own child" },
    };

    [Theory]
    [MemberData(nameof(Rfc6902Successes))]
    public void Rfc6902_examples_produce_the_documented_result(string name, string target, string operations, string expected)
    {
        Assert.NotEmpty(name);
        PatchJson.Equal(expected, JsonPatch.Apply(PatchJson.Parse(target)!, PatchJson.Array(operations)));
    }

    [Theory]
    [MemberData(nameof(Rfc6902Failures))]
    public void Rfc6902_failures_raise_patch_exception(string name, string target, string operations, string message)
    {
        Assert.NotEmpty(name);
        var error = Assert.Throws<PatchException>(() => JsonPatch.Apply(PatchJson.Parse(target)!, PatchJson.Array(operations)));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_operation_leaves_the_input_untouched()
    {
        var target = PatchJson.Object("{'spec':{'replicas':1}}");

        Assert.Throws<PatchException>(() => JsonPatch.Apply(target, PatchJson.Array("[{'op':'replace','path':'/spec/replicas','value':3},{'op':'test','path':'/spec/replicas','value':1}]")));

        PatchJson.Equal("{'spec':{'replicas':1}}", target);
    }

    [Fact]
    public void Operations_see_the_results_of_earlier_operations()
    {
        var result = JsonPatch.Apply(
            PatchJson.Object("{'spec':{'replicas':1}}"),
            PatchJson.Array("[{'op':'replace','path':'/spec/replicas','value':3},{'op':'test','path':'/spec/replicas','value':3},{'op':'add','path':'/spec/paused','value':true}]"));

        PatchJson.Equal("{'spec':{'replicas':3,'paused':true}}", result);
    }
}
