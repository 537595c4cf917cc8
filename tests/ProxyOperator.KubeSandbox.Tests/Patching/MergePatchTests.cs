namespace ProxyOperator.KubeSandbox.Patching;

public sealed class MergePatchTests
{
    // RFC 7386 Appendix A, every example (single quotes stand for double quotes).
    public static TheoryData<string, string, string> Rfc7386AppendixA => new()
    {
        { "{'a':'b'}", "{'a':'c'}", "{'a':'c'}" },
        { "{'a':'b'}", "{'b':'c'}", "{'a':'b','b':'c'}" },
        { "{'a':'b'}", "{'a':null}", "{}" },
        { "{'a':'b','b':'c'}", "{'a':null}", "{'b':'c'}" },
        { "{'a':['b']}", "{'a':'c'}", "{'a':'c'}" },
        { "{'a':'c'}", "{'a':['b']}", "{'a':['b']}" },
        { "{'a':{'b':'c'}}", "{'a':{'b':'d','c':null}}", "{'a':{'b':'d'}}" },
        { "{'a':[{'b':'c'}]}", "{'a':[1]}", "{'a':[1]}" },
        { "['a','b']", "['c','d']", "['c','d']" },
        { "{'a':'b'}", "['c']", "['c']" },
        { "{'a':'foo'}", "null", "null" },
        { "{'a':'foo'}", "'bar'", "'bar'" },
        { "{'e':null}", "{'a':1}", "{'e':null,'a':1}" },
        { "[1,2]", "{'a':'b','c':null}", "{'a':'b'}" },
        { "{}", "{'a':{'bb':{'ccc':null}}}", "{'a':{'bb':{}}}" },
    };

    [Theory]
    [MemberData(nameof(Rfc7386AppendixA))]
    public void Rfc7386_appendix_examples_produce_the_documented_result(string target, string patch, string expected) =>
        PatchJson.Equal(expected, MergePatch.Apply(PatchJson.Parse(target), PatchJson.Parse(patch)));

    [Fact]
    public void Applying_does_not_modify_the_target_or_the_patch()
    {
        var target = PatchJson.Object("{'metadata':{'labels':{'a':'1'}}}");
        var patch = PatchJson.Object("{'metadata':{'labels':{'a':null,'b':'2'}}}");

        var result = MergePatch.Apply(target, patch);

        PatchJson.Equal("{'metadata':{'labels':{'b':'2'}}}", result);
        PatchJson.Equal("{'metadata':{'labels':{'a':'1'}}}", target);
        PatchJson.Equal("{'metadata':{'labels':{'a':null,'b':'2'}}}", patch);
    }

    [Fact]
    public void Lists_are_replaced_whole_even_for_containers()
    {
        var pod = PatchJson.Object("{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b'}]}}");

        var result = MergePatch.Apply(pod, PatchJson.Object("{'spec':{'containers':[{'name':'a','image':'y'}]}}"));

        PatchJson.Equal("{'spec':{'containers':[{'name':'a','image':'y'}]}}", result);
    }
}
