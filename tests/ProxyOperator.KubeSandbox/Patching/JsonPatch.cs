using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ProxyOperator.KubeSandbox.Patching;

/// <summary>
/// RFC 6902 JSON Patch (application/json-patch+json), the format the API server applies with
/// github.com/evanphx/json-patch. Operations run in order on a copy of the document; any failure aborts the
/// whole patch (RFC 6902 §5: "evaluation of the entire patch document SHALL NOT be deemed successful").
/// </summary>
public static class JsonPatch
{
    /// <summary>Applies <paramref name="operations"/> to a copy of <paramref name="target"/>; the inputs are not modified.</summary>
    /// <exception cref="PatchException">An operation is malformed, addresses a missing location, or a "test" fails.</exception>
    public static JsonNode Apply(JsonNode target, JsonArray operations)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(operations);

        // A holder lets the root ("" pointer) be replaced like any other location.
        var holder = new JsonArray(target.DeepClone());
        foreach (var operation in operations)
        {
            if (operation is not JsonObject op)
            {
                throw new PatchException("json patch operation must be an object");
            }

            ApplyOne(holder, op);
        }

        return holder[0] ?? throw new PatchException("json patch produced a null document");
    }

    private static void ApplyOne(JsonArray holder, JsonObject op)
    {
        var name = RequiredString(op, "op");
        var path = ParsePointer(RequiredString(op, "path"));
        switch (name)
        {
            case "add":
                Add(holder, path, RequiredValue(op, name));
                break;
            case "remove":
                Remove(holder, path);
                break;
            case "replace":
                // RFC 6902 §4.3: "The target location MUST exist" - equivalent to remove followed by add.
                Resolve(holder, path, "replace");
                if (path.Count > 0)
                {
                    Remove(holder, path);
                }

                Add(holder, path, RequiredValue(op, name));
                break;
            case "move":
                {
                    var from = ParsePointer(RequiredString(op, "from"));
                    // RFC 6902 §4.4: "The 'from' location MUST NOT be a proper prefix of the 'path' location".
                    if (from.Count < path.Count && from.SequenceEqual(path.Take(from.Count)))
                    {
                        throw new PatchException($"move operation cannot move {Format(from)} into its own child {Format(path)}");
                    }

                    var value = Resolve(holder, from, "move");
                    Remove(holder, from);
                    Add(holder, path, value);
                    break;
                }

            case "copy":
                {
                    var from = ParsePointer(RequiredString(op, "from"));
                    Add(holder, path, Resolve(holder, from, "copy")?.DeepClone());
                    break;
                }

            case "test":
                {
                    var expected = RequiredValue(op, name);
                    if (expected is null && path.Count > 0 && Resolve(holder, path[..^1], "test") is JsonObject parent && !parent.ContainsKey(path[^1]))
                    {
                        // evanphx/json-patch (used by the API server) treats an absent member as equal to a null test value.
                        break;
                    }

                    var actual = Resolve(holder, path, "test");
                    // RFC 6902 §4.6: values are equal when they are the same JSON value (numbers compare numerically,
                    // object member order is irrelevant) - exactly JsonNode.DeepEquals.
                    if (!JsonNode.DeepEquals(actual, expected))
                    {
                        throw new PatchException($"testing value {Format(path)} failed: test failed");
                    }

                    break;
                }

            default:
                throw new PatchException($"Unexpected kind: {name}");
        }
    }

    private static string RequiredString(JsonObject op, string member)
    {
        if (op[member] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            return value.GetValue<string>();
        }

        throw new PatchException($"json patch operation is missing a string \"{member}\"");
    }

    private static JsonNode? RequiredValue(JsonObject op, string name)
    {
        // "value": null is a legitimate JSON value; only an absent member is an error (RFC 6902 §4.1).
        if (!op.TryGetPropertyValue("value", out var value))
        {
            throw new PatchException($"json patch {name} operation does not have a \"value\"");
        }

        return value?.DeepClone();
    }

    /// <summary>RFC 6901 JSON Pointer: "" is the whole document, otherwise "/"-separated tokens with ~1 = "/" and ~0 = "~".</summary>
    private static List<string> ParsePointer(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }

        if (pointer[0] != '/')
        {
            throw new PatchException($"invalid json pointer {pointer}: must start with \"/\"");
        }

        // Order matters (RFC 6901 §4): "~01" must decode to "~1", so ~1 is replaced before ~0.
        return pointer[1..].Split('/').Select(token => token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
    }

    private static string Format(List<string> path) =>
        string.Concat(path.Select(token => "/" + token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)));

    /// <summary>The value at <paramref name="path"/> (the holder's element 0 is the document root).</summary>
    private static JsonNode? Resolve(JsonArray holder, List<string> path, string operation)
    {
        JsonNode? current = holder[0];
        foreach (var token in path)
        {
            switch (current)
            {
                case JsonObject obj when obj.TryGetPropertyValue(token, out var child):
                    current = child;
                    break;
                case JsonArray array when TryIndex(token, array.Count - 1, out var index):
                    current = array[index];
                    break;
                default:
                    throw new PatchException($"{operation} operation does not apply: doc is missing path: {Format(path)}");
            }
        }

        return current;
    }

    private static void Add(JsonArray holder, List<string> path, JsonNode? value)
    {
        if (path.Count == 0)
        {
            // RFC 6902 §4.1: adding at the root replaces the whole document.
            holder[0] = value;
            return;
        }

        var parent = Resolve(holder, path[..^1], "add");
        var last = path[^1];
        switch (parent)
        {
            case JsonObject obj:
                // "If the target location specifies an object member that does exist, that member's value is replaced."
                obj[last] = value;
                break;
            case JsonArray array when last == "-":
                // "-" addresses the position after the last element (RFC 6901 §4, RFC 6902 §4.1).
                array.Add(value);
                break;
            case JsonArray array when TryIndex(last, array.Count, out var index):
                // The index may equal the length (append) but not exceed it: "MUST NOT be greater than the number of elements".
                array.Insert(index, value);
                break;
            default:
                throw new PatchException($"add operation does not apply: doc is missing path: {Format(path)}");
        }
    }

    private static void Remove(JsonArray holder, List<string> path)
    {
        if (path.Count == 0)
        {
            throw new PatchException("remove operation cannot remove the whole document");
        }

        var parent = Resolve(holder, path[..^1], "remove");
        var last = path[^1];
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(last):
                obj.Remove(last);
                break;
            case JsonArray array when TryIndex(last, array.Count - 1, out var index):
                array.RemoveAt(index);
                break;
            default:
                // RFC 6902 §4.2: "The target location MUST exist for the operation to be successful."
                throw new PatchException($"remove operation does not apply: doc is missing path: {Format(path)}");
        }
    }

    /// <summary>Array index token per RFC 6901 §4: digits without leading zeros, at most <paramref name="max"/>.</summary>
    private static bool TryIndex(string token, int max, out int index)
    {
        index = -1;
        if (token.Length == 0 || (token.Length > 1 && token[0] == '0') || !token.All(char.IsAsciiDigit))
        {
            return false;
        }

        return int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out index) && index <= max;
    }
}
