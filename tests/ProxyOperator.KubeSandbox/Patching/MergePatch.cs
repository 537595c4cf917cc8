using System.Text.Json.Nodes;

namespace ProxyOperator.KubeSandbox.Patching;

/// <summary>
/// RFC 7386 JSON Merge Patch (application/merge-patch+json), as the API server applies it through
/// k8s.io/apimachinery/pkg/util/jsonmergepatch / evanphx/json-patch MergePatch: objects merge recursively,
/// a null member deletes, and anything that is not an object (arrays included) replaces the target outright.
/// </summary>
public static class MergePatch
{
    /// <summary>Applies <paramref name="patch"/> to a copy of <paramref name="target"/>; the inputs are not modified.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        // RFC 7386 §2: "if Patch is an Object ... else return Patch". A non-object patch replaces the whole document.
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        // "if Target is not an Object: Target = {}" - ignore the contents of a non-object target.
        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        MergeInto(result, patchObject);
        return result;
    }

    private static void MergeInto(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch)
        {
            if (value is null)
            {
                // "if Value is null: remove the Name/Value pair from Target" (absent names are simply ignored).
                target.Remove(name);
                continue;
            }

            if (value is JsonObject childPatch)
            {
                if (target[name] is not JsonObject childTarget)
                {
                    childTarget = new JsonObject();
                    target[name] = childTarget;
                }

                MergeInto(childTarget, childPatch);
                continue;
            }

            // Arrays and scalars replace; RFC 7386 has no array merge (Appendix A: {"a":[1]} replaces ["b"]).
            target[name] = value.DeepClone();
        }
    }
}
