using System.Text;
using System.Text.Json.Nodes;

namespace ProxyOperator.KubeSandbox.Http;

/// <summary>
/// Reads the protobuf request bodies kubectl and helm send for a few built-in kinds (Namespace, ConfigMap, Secret,
/// DeleteOptions): typed clientsets in client-go write <c>application/vnd.kubernetes.protobuf</c> and do not fall back to
/// JSON on 415 (https://kubernetes.io/docs/reference/using-api/api-concepts/#protobuf-encoding). Answers stay JSON,
/// which those clients also accept. The wire format is "k8s\0" then a runtime.Unknown whose raw bytes hold the object
/// (field numbers from k8s.io/api's generated.proto); empty strings and zeros mean unset.
/// </summary>
internal static class ProtobufBodies
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    public static JsonObject Decode(byte[] body)
    {
        if (body.Length < 4 || body[0] != 'k' || body[1] != '8' || body[2] != 's' || body[3] != 0)
        {
            throw new ApiException(Statuses.BadRequest("protobuf body lacks the k8s magic prefix"));
        }

        string? apiVersion = null;
        string? kind = null;
        byte[] raw = [];
        foreach (var (field, value) in Fields(body.AsMemory(4)))
        {
            switch (field)
            {
                case 1:
                    foreach (var (typeField, typeValue) in Fields(value.Bytes))
                    {
                        if (typeField == 1)
                        {
                            apiVersion = typeValue.Text;
                        }
                        else if (typeField == 2)
                        {
                            kind = typeValue.Text;
                        }
                    }

                    break;
                case 2:
                    raw = value.Bytes.ToArray();
                    break;
            }
        }

        JsonObject obj = kind switch
        {
            "Namespace" => Namespace(raw),
            "ConfigMap" => ConfigMap(raw),
            "Secret" => Secret(raw),
            "DeleteOptions" => DeleteOptions(raw),
            _ when ProtobufSchemas.Kinds.TryGetValue(GroupOf(apiVersion) + "/" + kind, out var message) => Decode(raw, message),
            _ => throw new ApiException(Statuses.Failure(415, "UnsupportedMediaType", $"the sandbox cannot decode protobuf {kind}; send JSON")),
        };
        obj["apiVersion"] = apiVersion;
        obj["kind"] = kind;
        return obj;
    }

    private static string GroupOf(string? apiVersion) =>
        apiVersion is not null && apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;

    /// <summary>Decodes a message by its field table (<see cref="ProtobufSchemas"/>); unknown fields are skipped.</summary>
    private static JsonObject Decode(ReadOnlyMemory<byte> raw, ProtobufSchemas.Message message)
    {
        var obj = new JsonObject();
        foreach (var (number, value) in Fields(raw))
        {
            if (!message.TryGetValue(number, out var field))
            {
                continue;
            }

            switch (field.Type)
            {
                case ProtobufSchemas.FieldType.String when value.Text.Length > 0:
                    obj[field.Name] = value.Text;
                    break;
                case ProtobufSchemas.FieldType.Int when value.Number != 0:
                case ProtobufSchemas.FieldType.OptionalInt:
                    obj[field.Name] = value.Number;
                    break;
                case ProtobufSchemas.FieldType.Bool when value.Number != 0:
                    obj[field.Name] = true;
                    break;
                case ProtobufSchemas.FieldType.Object:
                    obj[field.Name] = DecodeMessage(value.Bytes, field.Message!);
                    break;
                case ProtobufSchemas.FieldType.Strings:
                    Append(obj, field.Name, JsonValue.Create(value.Text));
                    break;
                case ProtobufSchemas.FieldType.Messages:
                    Append(obj, field.Name, DecodeMessage(value.Bytes, field.Message!));
                    break;
                case ProtobufSchemas.FieldType.Map:
                    AddEntry(obj, field.Name, value.Bytes, base64: false);
                    break;
                case ProtobufSchemas.FieldType.QuantityMap:
                    // map<string, Quantity>: the entry's value is a Quantity message whose field 1 is its string form.
                    var entry = Fields(value.Bytes);
                    var key = entry.Where(f => f.Field == 1).Select(f => f.Value.Text).FirstOrDefault() ?? string.Empty;
                    var quantity = entry.Where(f => f.Field == 2).Select(f => Fields(f.Value.Bytes).Where(q => q.Field == 1).Select(q => q.Value.Text).FirstOrDefault()).FirstOrDefault();
                    var map = obj[field.Name] as JsonObject ?? [];
                    map[key] = quantity ?? "0";
                    obj[field.Name] = map;
                    break;
            }
        }

        return obj;
    }

    private static JsonNode? DecodeMessage(ReadOnlyMemory<byte> raw, ProtobufSchemas.Message message)
    {
        if (ReferenceEquals(message, ProtobufSchemas.ObjectMeta))
        {
            return ObjectMeta(raw);
        }

        if (ReferenceEquals(message, ProtobufSchemas.IntOrString))
        {
            // IntOrString {1: type (0 int, 1 string), 2: intVal, 3: strVal}.
            var fields = Fields(raw);
            var isString = fields.Any(f => f.Field == 1 && f.Value.Number == 1);
            return isString
                ? JsonValue.Create(fields.Where(f => f.Field == 3).Select(f => f.Value.Text).FirstOrDefault() ?? string.Empty)
                : JsonValue.Create(fields.Where(f => f.Field == 2).Select(f => f.Value.Number).FirstOrDefault());
        }

        return Decode(raw, message);
    }

    private static void Append(JsonObject obj, string name, JsonNode? item)
    {
        var list = obj[name] as JsonArray ?? [];
        list.Add(item);
        obj[name] = list;
    }

    private static JsonObject Namespace(byte[] raw)
    {
        var obj = new JsonObject();
        foreach (var (field, value) in Fields(raw))
        {
            switch (field)
            {
                case 1:
                    obj["metadata"] = ObjectMeta(value.Bytes);
                    break;
                case 2:
                    obj["spec"] = new JsonObject { ["finalizers"] = Strings(value.Bytes, 1) };
                    break;
                case 3:
                    obj["status"] = Message(value.Bytes, (1, "phase"));
                    break;
            }
        }

        return obj;
    }

    private static JsonObject ConfigMap(byte[] raw)
    {
        var obj = new JsonObject();
        foreach (var (field, value) in Fields(raw))
        {
            switch (field)
            {
                case 1:
                    obj["metadata"] = ObjectMeta(value.Bytes);
                    break;
                case 2:
                    AddEntry(obj, "data", value.Bytes, base64: false);
                    break;
                case 3:
                    AddEntry(obj, "binaryData", value.Bytes, base64: true);
                    break;
                case 4:
                    obj["immutable"] = value.Number != 0;
                    break;
            }
        }

        return obj;
    }

    private static JsonObject Secret(byte[] raw)
    {
        var obj = new JsonObject();
        foreach (var (field, value) in Fields(raw))
        {
            switch (field)
            {
                case 1:
                    obj["metadata"] = ObjectMeta(value.Bytes);
                    break;
                case 2:
                    AddEntry(obj, "data", value.Bytes, base64: true);
                    break;
                case 3 when value.Text.Length > 0:
                    obj["type"] = value.Text;
                    break;
                case 4:
                    AddEntry(obj, "stringData", value.Bytes, base64: false);
                    break;
                case 5:
                    obj["immutable"] = value.Number != 0;
                    break;
            }
        }

        return obj;
    }

    private static JsonObject DeleteOptions(byte[] raw)
    {
        var obj = new JsonObject();
        foreach (var (field, value) in Fields(raw))
        {
            switch (field)
            {
                case 1:
                    obj["gracePeriodSeconds"] = value.Number;
                    break;
                case 2:
                    obj["preconditions"] = Message(value.Bytes, (1, "uid"), (2, "resourceVersion"));
                    break;
                case 3:
                    obj["orphanDependents"] = value.Number != 0;
                    break;
                case 4 when value.Text.Length > 0:
                    obj["propagationPolicy"] = value.Text;
                    break;
                case 5:
                    var dryRun = obj["dryRun"] as JsonArray ?? [];
                    dryRun.Add(value.Text);
                    obj["dryRun"] = dryRun;
                    break;
            }
        }

        return obj;
    }

    private static JsonObject ObjectMeta(ReadOnlyMemory<byte> raw)
    {
        var metadata = new JsonObject();
        foreach (var (field, value) in Fields(raw))
        {
            switch (field)
            {
                case 1 or 2 or 3 or 5 or 6 when value.Text.Length > 0:
                    metadata[field switch { 1 => "name", 2 => "generateName", 3 => "namespace", 5 => "uid", _ => "resourceVersion" }] = value.Text;
                    break;
                case 11:
                    AddEntry(metadata, "labels", value.Bytes, base64: false);
                    break;
                case 12:
                    AddEntry(metadata, "annotations", value.Bytes, base64: false);
                    break;
                case 13:
                    var references = metadata["ownerReferences"] as JsonArray ?? [];
                    var reference = Message(value.Bytes, (5, "apiVersion"), (1, "kind"), (3, "name"), (4, "uid"));
                    foreach (var (flagField, flag) in Fields(value.Bytes))
                    {
                        if (flagField is 6 or 7)
                        {
                            reference[flagField == 6 ? "controller" : "blockOwnerDeletion"] = flag.Number != 0;
                        }
                    }

                    references.Add(reference);
                    metadata["ownerReferences"] = references;
                    break;
                case 14:
                    var finalizers = metadata["finalizers"] as JsonArray ?? [];
                    finalizers.Add(value.Text);
                    metadata["finalizers"] = finalizers;
                    break;
            }
        }

        return metadata;
    }

    private static JsonObject Message(ReadOnlyMemory<byte> raw, params (int Field, string Name)[] strings)
    {
        var obj = new JsonObject();
        foreach (var (field, value) in Fields(raw))
        {
            foreach (var (wanted, name) in strings)
            {
                if (field == wanted && value.Text.Length > 0)
                {
                    obj[name] = value.Text;
                }
            }
        }

        return obj;
    }

    private static JsonArray Strings(ReadOnlyMemory<byte> raw, int field) =>
        new(Fields(raw).Where(f => f.Field == field).Select(f => (JsonNode?)JsonValue.Create(f.Value.Text)).ToArray());

    /// <summary>A map field is a repeated entry message {1: key, 2: value}.</summary>
    private static void AddEntry(JsonObject obj, string name, ReadOnlyMemory<byte> entry, bool base64)
    {
        var map = obj[name] as JsonObject ?? [];
        string key = string.Empty;
        ReadOnlyMemory<byte> value = ReadOnlyMemory<byte>.Empty;
        foreach (var (field, part) in Fields(entry))
        {
            if (field == 1)
            {
                key = part.Text;
            }
            else if (field == 2)
            {
                value = part.Bytes;
            }
        }

        map[key] = base64 ? Convert.ToBase64String(value.Span) : Encoding.UTF8.GetString(value.Span);
        obj[name] = map;
    }

    private static List<(int Field, WireValue Value)> Fields(ReadOnlyMemory<byte> data)
    {
        var fields = new List<(int, WireValue)>();
        var span = data.Span;
        var position = 0;
        while (position < span.Length)
        {
            var tag = ReadVarint(span, ref position);
            var field = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    fields.Add((field, new WireValue(ReadVarint(span, ref position), ReadOnlyMemory<byte>.Empty)));
                    break;
                case 1:
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(span, ref position);
                    fields.Add((field, new WireValue(0, data.Slice(position, length))));
                    position += length;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    throw new ApiException(Statuses.BadRequest("unsupported protobuf wire type"));
            }
        }

        return fields;
    }

    private static long ReadVarint(ReadOnlySpan<byte> span, ref int position)
    {
        long result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = span[position++];
            result |= (long)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new ApiException(Statuses.BadRequest("malformed protobuf varint"));
    }

    private readonly record struct WireValue(long Number, ReadOnlyMemory<byte> Bytes)
    {
        public string Text => Encoding.UTF8.GetString(Bytes.Span);
    }
}
