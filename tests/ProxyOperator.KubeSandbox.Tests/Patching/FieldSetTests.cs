namespace ProxyOperator.KubeSandbox.Patching;

public sealed class FieldSetTests
{
    [Fact]
    public void FieldsV1_round_trips_with_the_dot_marker_for_members_that_have_children()
    {
        const string fieldsV1 = "{'f:metadata':{'f:labels':{'f:app':{}}},'f:spec':{'f:containers':{'k:{\\u0022name\\u0022:\\u0022nginx\\u0022}':{'.':{},'f:image':{}}},'f:replicas':{}}}";

        var set = FieldSet.FromFieldsV1(PatchJson.Parse(fieldsV1));

        Assert.Equal(4, set.Count);
        PatchJson.Equal(fieldsV1, set.ToFieldsV1());
    }

    [Theory]
    [InlineData("f:spec|f:replicas", ".spec.replicas")]
    [InlineData("f:spec|f:containers|k:{\"name\":\"nginx\"}|f:image", ".spec.containers[name=\"nginx\"].image")]
    [InlineData("f:spec|f:ports|k:{\"port\":80}", ".spec.ports[port=80]")]
    [InlineData("f:metadata|f:finalizers|v:\"a\"", ".metadata.finalizers[=\"a\"]")]
    [InlineData("f:items|i:3", ".items[3]")]
    public void Paths_display_in_the_form_of_apply_conflict_messages(string elements, string expected) =>
        Assert.Equal(expected, FieldSet.Display(FieldSet.Join(elements.Split('|'))));
}
