using System.Text.Json.Serialization;
using ProxyOperator.Manifests;
using ProxyOperator.Operator.Api.Schema;

namespace ProxyOperator.Operator.Tests.Manifests;

/// <summary>The generator refuses types that break its conventions, so the mistake shows in <c>make manifests</c>, not in a cluster.</summary>
public sealed class SchemaConventionTests
{
    internal sealed class Resource<TSpec>
        where TSpec : new()
    {
        [JsonPropertyName("spec")]
        public TSpec Spec { get; set; } = new();
    }

    internal sealed class Item
    {
        [JsonPropertyName("name")]
        public required string Name { get; set; }

        [JsonPropertyName("mode")]
        [Default("fast")]
        public string? Mode { get; set; }
    }

    internal sealed class ListWithItemDefaults
    {
        [JsonPropertyName("items")]
        public IList<Item>? Items { get; set; }
    }

    internal sealed class OptionalButNotNullable
    {
        [JsonPropertyName("count")]
        public int Count { get; set; }
    }

    internal sealed class Unnamed
    {
        public string? Count { get; set; }
    }

    internal sealed class Keyed
    {
        [JsonPropertyName("pod")]
        public string? Pod { get; set; }
    }

    internal sealed class MapListOnAnOptionalKey
    {
        [JsonPropertyName("entries")]
        [ListMap("pod")]
        public IList<Keyed>? Entries { get; set; }
    }

    [Theory]
    [InlineData(typeof(Resource<ListWithItemDefaults>), "spec.items[*].mode: no defaults inside list items")]
    [InlineData(typeof(Resource<OptionalButNotNullable>), "spec.count (OptionalButNotNullable.Count): a field must be either a C# required member")]
    [InlineData(typeof(Resource<Unnamed>), "Unnamed.Count: name the field with [JsonPropertyName]")]
    [InlineData(typeof(Resource<MapListOnAnOptionalKey>), "spec.entries: a map list needs required item fields as keys; missing: pod")]
    public void The_generator_refuses_types_that_break_its_conventions(Type resource, string message)
    {
        var failure = Assert.Throws<InvalidOperationException>(() => new SchemaGenerator().Root(resource));

        Assert.StartsWith(message, failure.Message, StringComparison.Ordinal);
    }
}
