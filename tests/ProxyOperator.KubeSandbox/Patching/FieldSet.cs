using System.Text.Json.Nodes;

namespace ProxyOperator.KubeSandbox.Patching;

/// <summary>
/// A set of field paths as sigs.k8s.io/structured-merge-diff fieldpath.Set holds them. Each path is a sequence of
/// path elements in their FieldsV1 spelling: <c>f:name</c> (struct/map field), <c>k:{"name":"x"}</c> (associative list
/// item by key), <c>v:"value"</c> (set item), <c>i:0</c> (index). Paths are stored joined by NUL, a character that
/// cannot occur unescaped in any element (JSON escapes it inside k:/v: elements, and Kubernetes field names are
/// printable).
/// </summary>
internal sealed class FieldSet
{
    private const char Separator = '\0';
    private readonly HashSet<string> _paths;

    public FieldSet()
        : this(new HashSet<string>(StringComparer.Ordinal))
    {
    }

    private FieldSet(HashSet<string> paths) => _paths = paths;

    public int Count => _paths.Count;

    public bool IsEmpty => _paths.Count == 0;

    public IEnumerable<string> Paths => _paths;

    public static string Join(IEnumerable<string> elements) => string.Join(Separator, elements);

    public static string[] Split(string path) => path.Split(Separator);

    public static string Append(string path, string element) => path.Length == 0 ? element : path + Separator + element;

    public bool Add(string path) => _paths.Add(path);

    public bool Contains(string path) => _paths.Contains(path);

    /// <summary>True when <paramref name="path"/> or anything below it is in the set.</summary>
    public bool ContainsPathOrDescendant(string path) =>
        _paths.Contains(path) || _paths.Any(p => p.StartsWith(path + Separator, StringComparison.Ordinal));

    public FieldSet Union(FieldSet other) => new([.. _paths.Union(other._paths, StringComparer.Ordinal)]);

    public FieldSet Difference(FieldSet other) => new([.. _paths.Where(p => !other._paths.Contains(p))]);

    public FieldSet Intersection(FieldSet other) => new([.. _paths.Where(other._paths.Contains)]);

    public bool SetEquals(FieldSet other) => _paths.SetEquals(other._paths);

    /// <summary>
    /// FieldsV1 (metav1.FieldsV1, fieldpath serialize.go): a trie of path elements; a leaf member is <c>{}</c> and a
    /// member that also has children carries the <c>".": {}</c> marker.
    /// </summary>
    public JsonObject ToFieldsV1()
    {
        var root = new Node();
        foreach (var path in _paths)
        {
            var node = root;
            foreach (var element in Split(path))
            {
                if (!node.Children.TryGetValue(element, out var child))
                {
                    child = new Node();
                    node.Children.Add(element, child);
                }

                node = child;
            }

            node.Member = true;
        }

        return root.ToJson();
    }

    /// <summary>Reads a FieldsV1 trie; unknown shapes (non-object values) are ignored rather than trusted.</summary>
    public static FieldSet FromFieldsV1(JsonNode? fieldsV1)
    {
        var set = new FieldSet();
        if (fieldsV1 is JsonObject obj)
        {
            Read(obj, string.Empty, set);
        }

        return set;
    }

    private static void Read(JsonObject obj, string prefix, FieldSet set)
    {
        foreach (var (key, value) in obj)
        {
            if (key == ".")
            {
                if (prefix.Length > 0)
                {
                    set.Add(prefix);
                }

                continue;
            }

            var path = Append(prefix, key);
            if (value is JsonObject child && child.Count > 0)
            {
                Read(child, path, set);
            }
            else
            {
                set.Add(path);
            }
        }
    }

    /// <summary>
    /// fieldpath.Path.String(): ".spec.replicas", ".spec.containers[name=\"nginx\"].image", "[=\"value\"]", "[0]" -
    /// the form the API server prints in apply conflicts.
    /// </summary>
    public static string Display(string path)
    {
        var text = new System.Text.StringBuilder();
        foreach (var element in Split(path))
        {
            var body = element.Length >= 2 ? element[2..] : element;
            switch (element[..Math.Min(2, element.Length)])
            {
                case "f:":
                    text.Append('.').Append(body);
                    break;
                case "k:":
                    var keys = JsonNode.Parse(body) as JsonObject;
                    text.Append('[')
                        .Append(string.Join(',', keys?.Select(k => $"{k.Key}={k.Value?.ToJsonString() ?? "null"}") ?? []))
                        .Append(']');
                    break;
                case "v:":
                    text.Append("[=").Append(body).Append(']');
                    break;
                case "i:":
                    text.Append('[').Append(body).Append(']');
                    break;
                default:
                    text.Append(element);
                    break;
            }
        }

        return text.ToString();
    }

    private sealed class Node
    {
        public bool Member { get; set; }

        public SortedDictionary<string, Node> Children { get; } = new(StringComparer.Ordinal);

        public JsonObject ToJson()
        {
            var json = new JsonObject();
            if (Member && Children.Count > 0)
            {
                json["."] = new JsonObject();
            }

            foreach (var (key, child) in Children)
            {
                json[key] = child.ToJson();
            }

            return json;
        }
    }
}
