using ProxyOperator.Operator.Builders;

namespace ProxyOperator.Operator.Tests.Builders;

public sealed class LabelsTests
{
    [Fact]
    public void The_selector_string_is_the_label_selector_the_scale_subresource_reports()
    {
        Assert.Equal("app.kubernetes.io/name=goproxy,app.kubernetes.io/instance=corp", Labels.SelectorString("corp"));
    }

    [Fact]
    public void The_selector_labels_are_a_subset_of_every_objects_labels()
    {
        Assert.All(Labels.Selector("corp"), label => Assert.Equal(label.Value, Labels.For("corp")[label.Key]));
    }

    [Fact]
    public void Each_call_returns_a_new_map_so_one_object_cannot_change_anothers_labels()
    {
        var first = Labels.For("corp");
        first["extra"] = "x";

        Assert.False(Labels.For("corp").ContainsKey("extra"));
    }
}
