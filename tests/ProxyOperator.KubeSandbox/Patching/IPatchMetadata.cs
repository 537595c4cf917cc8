namespace ProxyOperator.KubeSandbox.Patching;

/// <summary>
/// The patchStrategy/patchMergeKey struct tags of a kind, addressed by JSON field path
/// (list indices are not part of the path, e.g. ["spec","template","spec","containers","ports"]).
/// </summary>
public interface IPatchMetadata
{
    /// <summary>Merge key for a list field at <paramref name="path"/>; null means an atomic list (replaced whole).</summary>
    string? MergeKeyFor(IReadOnlyList<string> path);

    /// <summary>True for a primitive list with patchStrategy merge (a set), e.g. metadata.finalizers.</summary>
    bool IsSetList(IReadOnlyList<string> path);
}
