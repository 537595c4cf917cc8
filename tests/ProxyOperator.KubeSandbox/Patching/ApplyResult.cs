using System.Text.Json.Nodes;

namespace ProxyOperator.KubeSandbox.Patching;

/// <summary>
/// Outcome of a server-side apply. When <see cref="Conflicts"/> is non-empty the apply was refused (409)
/// and <see cref="Object"/> is the unchanged live object.
/// </summary>
public sealed class ApplyResult
{
    public ApplyResult(JsonObject resultObject, IReadOnlyList<ApplyConflict> conflicts)
        : this(resultObject, conflicts, string.Empty)
    {
    }

    public ApplyResult(JsonObject resultObject, IReadOnlyList<ApplyConflict> conflicts, string conflictMessage)
    {
        Object = resultObject;
        Conflicts = conflicts;
        ConflictMessage = conflictMessage;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Name agreed with the server engineer; it is the Kubernetes object, not System.Object.")]
    public JsonObject Object { get; }

    public IReadOnlyList<ApplyConflict> Conflicts { get; }

    /// <summary>
    /// The 409 Status message in the API server's own form (fieldmanager internal/conflict.go), e.g.
    /// <c>Apply failed with 1 conflict: conflict with "kubectl" using apps/v1 at 2024-01-01T00:00:00Z: .spec.replicas</c>;
    /// empty when there are no conflicts.
    /// </summary>
    public string ConflictMessage { get; }
}
