namespace ProxyOperator.KubeSandbox.Resources;

/// <summary>
/// The resources served right now: the built-in ones and those of established CustomResourceDefinitions.
/// Read and changed only under the store's lock.
/// </summary>
internal sealed class ResourceRegistry
{
    private readonly Dictionary<(string Group, string Plural), ResourceDefinition> _resources = [];

    public ResourceRegistry()
    {
        foreach (var definition in BuiltInResources.All)
        {
            Add(definition);
        }
    }

    public IEnumerable<ResourceDefinition> All => _resources.Values;

    public void Add(ResourceDefinition definition) => _resources[(definition.Group, definition.Plural)] = definition;

    public void Remove(string group, string plural) => _resources.Remove((group, plural));

    public ResourceDefinition? Find(string group, string plural) => _resources.GetValueOrDefault((group, plural));

    public ResourceDefinition? Find(string group, string version, string plural)
    {
        var definition = Find(group, plural);
        return definition is not null && definition.Serves(version) ? definition : null;
    }

    /// <summary>Groups with their versions, preferred version first, core group excluded; built-in groups before custom ones.</summary>
    public IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups()
    {
        var groups = new List<(string, IReadOnlyList<string>)>();
        foreach (var byGroup in _resources.Values.Where(r => r.Group.Length > 0).GroupBy(r => r.Group, StringComparer.Ordinal))
        {
            var versions = byGroup.SelectMany(r => r.Versions).Distinct(StringComparer.Ordinal).ToList();
            var preferred = byGroup.First().PreferredVersion;
            versions.Remove(preferred);
            versions.Insert(0, preferred);
            groups.Add((byGroup.Key, versions));
        }

        return groups;
    }
}
