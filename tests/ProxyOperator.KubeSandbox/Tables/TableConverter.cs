using System.Globalization;
using System.Text.Json.Nodes;
using ProxyOperator.KubeSandbox.Resources;
using ProxyOperator.KubeSandbox.Storage;

namespace ProxyOperator.KubeSandbox.Tables;

/// <summary>
/// Server-side printing: the <c>meta.k8s.io/v1</c> Table that <c>kubectl get</c> asks for with
/// <c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c> (https://kubernetes.io/docs/reference/using-api/api-concepts/#receiving-resources-as-tables).
/// Built-in kinds get NAME and AGE (Deployments also READY, UP-TO-DATE, AVAILABLE); custom resources get their
/// CRD's additionalPrinterColumns.
/// </summary>
internal static class TableConverter
{
    public static bool WantsTable(string? accept) =>
        accept is not null && accept.Contains("as=Table", StringComparison.Ordinal) && accept.Contains("g=meta.k8s.io", StringComparison.Ordinal);

    public static JsonObject Convert(ResourceDefinition definition, string version, IEnumerable<JsonObject> objects, string? resourceVersion, string? continueToken, string? includeObject, DateTimeOffset now)
    {
        var columns = Columns(definition, version);
        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var cells = new JsonArray(columns.Select(c => c.Cell(obj, now)).ToArray());
            var row = new JsonObject { ["cells"] = cells };
            switch (includeObject)
            {
                case "None":
                    break;
                case "Object":
                    row["object"] = obj.DeepClone();
                    break;
                default:
                    row["object"] = new JsonObject
                    {
                        ["kind"] = "PartialObjectMetadata",
                        ["apiVersion"] = "meta.k8s.io/v1",
                        ["metadata"] = obj["metadata"]?.DeepClone(),
                    };
                    break;
            }

            rows.Add(row);
        }

        var metadata = new JsonObject();
        if (resourceVersion is not null)
        {
            metadata["resourceVersion"] = resourceVersion;
        }

        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = new JsonArray(columns.Select(c => (JsonNode?)c.Definition()).ToArray()),
            ["rows"] = rows,
        };
    }

    /// <summary>Kubernetes' short ages (apimachinery duration.HumanDuration): 45s, 5m30s, 3h, 2d4h, 400d, 3y45d.</summary>
    public static string HumanDuration(TimeSpan age)
    {
        var seconds = (long)Math.Max(0, age.TotalSeconds);
        string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
        if (seconds < 60 * 2)
        {
            return F($"{seconds}s");
        }

        var minutes = seconds / 60;
        if (minutes < 10)
        {
            return seconds % 60 == 0 ? F($"{minutes}m") : F($"{minutes}m{seconds % 60}s");
        }

        if (minutes < 60 * 3)
        {
            return F($"{minutes}m");
        }

        var hours = minutes / 60;
        if (hours < 8)
        {
            return minutes % 60 == 0 ? F($"{hours}h") : F($"{hours}h{minutes % 60}m");
        }

        if (hours < 48)
        {
            return F($"{hours}h");
        }

        if (hours < 24 * 8)
        {
            return hours % 24 == 0 ? F($"{hours / 24}d") : F($"{hours / 24}d{hours % 24}h");
        }

        if (hours < 24 * 365 * 2)
        {
            return F($"{hours / 24}d");
        }

        return F($"{hours / 24 / 365}y{hours / 24 % 365}d");
    }

    private static List<Column> Columns(ResourceDefinition definition, string version)
    {
        var name = new Column("Name", "string", "name", "Name must be unique within a namespace.", 0, o => Meta.Name(o));
        var age = new Column("Age", "string", string.Empty, "CreationTimestamp is a timestamp representing the server time when this object was created.", 0, null, ".metadata.creationTimestamp", IsDate: true);
        if (definition.IsCustom)
        {
            if (!definition.PrinterColumns.TryGetValue(version, out var printerColumns) || printerColumns.Count == 0)
            {
                return [name, age];
            }

            var columns = new List<Column> { name };
            foreach (var column in printerColumns.OfType<JsonObject>())
            {
                var type = (string?)column["type"] ?? "string";
                columns.Add(new Column(
                    (string?)column["name"] ?? string.Empty,
                    type,
                    (string?)column["format"] ?? string.Empty,
                    (string?)column["description"] ?? string.Empty,
                    (int?)column["priority"] ?? 0,
                    null,
                    (string?)column["jsonPath"] ?? string.Empty,
                    IsDate: type == "date"));
            }

            return columns;
        }

        if (definition is { Group: "apps", Plural: "deployments" })
        {
            return
            [
                name,
                new Column("Ready", "string", string.Empty, "Number of the pod with ready state", 0, o => $"{Number(o, ".status.readyReplicas")}/{Number(o, ".spec.replicas")}"),
                new Column("Up-to-date", "integer", string.Empty, "Total number of non-terminated pods targeted by this deployment that have the desired template spec.", 0, null, ".status.updatedReplicas", Default: 0),
                new Column("Available", "integer", string.Empty, "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.", 0, null, ".status.availableReplicas", Default: 0),
                age,
            ];
        }

        return [name, age];
    }

    private static long Number(JsonObject obj, string path) =>
        PrinterJsonPath.First(PrinterJsonPath.Evaluate(obj, path)) is JsonValue value && value.TryGetValue<long>(out var n) ? n : 0;

    private sealed record Column(string Name, string Type, string Format, string Description, int Priority, Func<JsonObject, string>? Compute, string? JsonPath = null, bool IsDate = false, long? Default = null)
    {
        public JsonObject Definition() => new()
        {
            ["name"] = Name,
            ["type"] = Type,
            ["format"] = Format,
            ["description"] = Description,
            ["priority"] = Priority,
        };

        public JsonNode? Cell(JsonObject obj, DateTimeOffset now)
        {
            if (Compute is not null)
            {
                return Compute(obj);
            }

            var values = PrinterJsonPath.Evaluate(obj, JsonPath!);
            if (values.Count == 0)
            {
                return Default is { } fallback ? JsonValue.Create(fallback) : null;
            }

            if (IsDate)
            {
                // Dates print as ages, as the API server's printers do for creationTimestamp and CRD "date" columns.
                var text = PrinterJsonPath.Render(values[0]);
                return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when)
                    ? HumanDuration(now - when)
                    : text;
            }

            return values.Count == 1 ? values[0]?.DeepClone() : string.Join(",", values.Select(PrinterJsonPath.Render));
        }
    }
}
