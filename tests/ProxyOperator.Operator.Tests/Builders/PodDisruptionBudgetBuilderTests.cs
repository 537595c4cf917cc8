using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Builders;

namespace ProxyOperator.Operator.Tests.Builders;

public sealed class PodDisruptionBudgetBuilderTests
{
    [Theory]
    [InlineData(null, false)]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(5, true)]
    public void A_budget_exists_only_from_two_replicas(int? replicas, bool exists)
    {
        var budget = PodDisruptionBudgetBuilder.Build(Proxies.With(s => s.Replicas = replicas));

        Assert.Equal(exists, budget is not null);
    }

    [Fact]
    public void The_budget_allows_one_pod_down_by_default_and_selects_the_proxy_pods()
    {
        var budget = PodDisruptionBudgetBuilder.Build(Proxies.With(Proxies.S3(replicas: 3)))!;

        Assert.Equal(("policy/v1", "PodDisruptionBudget", "corp"), (budget.ApiVersion, budget.Kind, budget.Metadata.Name));
        Assert.Equal("1", budget.Spec.MaxUnavailable.ToString());
        Assert.Null(budget.Spec.MinAvailable);
        Assert.Equal(Labels.Selector("corp"), budget.Spec.Selector.MatchLabels);
    }

    [Fact]
    public void The_specs_max_unavailable_is_used_as_given()
    {
        var budget = PodDisruptionBudgetBuilder.Build(Proxies.With(Proxies.Full()))!;

        Assert.Equal("50%", budget.Spec.MaxUnavailable.ToString());
    }
}
