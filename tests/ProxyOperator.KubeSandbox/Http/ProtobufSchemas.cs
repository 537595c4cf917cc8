namespace ProxyOperator.KubeSandbox.Http;

/// <summary>
/// Field numbers of the k8s.io/api messages that imperative kubectl commands send as protobuf
/// (<c>kubectl create deployment</c>, <c>kubectl expose</c>, <c>kubectl run</c>), from the generated.proto files of
/// k8s.io/api. Fields not listed are skipped; only what those commands set needs to be here. Go writes every
/// non-pointer scalar, so empty strings, false and zeros of non-pointer fields mean "unset" and are left out,
/// which lets defaulting fill them as it would on a cluster.
/// </summary>
internal static class ProtobufSchemas
{
    public static readonly Message IntOrString = new("IntOrString");
    public static readonly Message Quantity = new("Quantity");
    public static readonly Message ObjectMeta = new("ObjectMeta");

    private static readonly Message LabelSelectorRequirement = new("LabelSelectorRequirement")
    {
        [1] = Field.String("key"),
        [2] = Field.String("operator"),
        [3] = Field.Strings("values"),
    };

    private static readonly Message LabelSelector = new("LabelSelector")
    {
        [1] = Field.Map("matchLabels"),
        [2] = Field.Messages("matchExpressions", LabelSelectorRequirement),
    };

    private static readonly Message ContainerPort = new("ContainerPort")
    {
        [1] = Field.String("name"),
        [2] = Field.Int("hostPort"),
        [3] = Field.Int("containerPort"),
        [4] = Field.String("protocol"),
        [5] = Field.String("hostIP"),
    };

    private static readonly Message EnvVar = new("EnvVar")
    {
        [1] = Field.String("name"),
        [2] = Field.String("value"),
    };

    private static readonly Message ResourceRequirements = new("ResourceRequirements")
    {
        [1] = Field.QuantityMap("limits"),
        [2] = Field.QuantityMap("requests"),
    };

    private static readonly Message Container = new("Container")
    {
        [1] = Field.String("name"),
        [2] = Field.String("image"),
        [3] = Field.Strings("command"),
        [4] = Field.Strings("args"),
        [5] = Field.String("workingDir"),
        [6] = Field.Messages("ports", ContainerPort),
        [7] = Field.Messages("env", EnvVar),
        [8] = Field.Object("resources", ResourceRequirements),
        [13] = Field.String("terminationMessagePath"),
        [14] = Field.String("imagePullPolicy"),
        [16] = Field.Bool("stdin"),
        [17] = Field.Bool("stdinOnce"),
        [18] = Field.Bool("tty"),
        [20] = Field.String("terminationMessagePolicy"),
    };

    private static readonly Message PodSpec = new("PodSpec")
    {
        [2] = Field.Messages("containers", Container),
        [3] = Field.String("restartPolicy"),
        [4] = Field.Int("terminationGracePeriodSeconds", optional: true),
        [6] = Field.String("dnsPolicy"),
        [7] = Field.Map("nodeSelector"),
        [8] = Field.String("serviceAccountName"),
        [19] = Field.String("schedulerName"),
        [20] = Field.Messages("initContainers", Container),
    };

    private static readonly Message PodTemplateSpec = new("PodTemplateSpec")
    {
        [1] = Field.Object("metadata", ObjectMeta),
        [2] = Field.Object("spec", PodSpec),
    };

    private static readonly Message RollingUpdateDeployment = new("RollingUpdateDeployment")
    {
        [1] = Field.Object("maxUnavailable", IntOrString),
        [2] = Field.Object("maxSurge", IntOrString),
    };

    private static readonly Message DeploymentStrategy = new("DeploymentStrategy")
    {
        [1] = Field.String("type"),
        [2] = Field.Object("rollingUpdate", RollingUpdateDeployment),
    };

    private static readonly Message DeploymentSpec = new("DeploymentSpec")
    {
        [1] = Field.Int("replicas", optional: true),
        [2] = Field.Object("selector", LabelSelector),
        [3] = Field.Object("template", PodTemplateSpec),
        [4] = Field.Object("strategy", DeploymentStrategy),
        [5] = Field.Int("minReadySeconds"),
        [6] = Field.Int("revisionHistoryLimit", optional: true),
        [7] = Field.Bool("paused"),
        [9] = Field.Int("progressDeadlineSeconds", optional: true),
    };

    private static readonly Message ServicePort = new("ServicePort")
    {
        [1] = Field.String("name"),
        [2] = Field.String("protocol"),
        [3] = Field.Int("port"),
        [4] = Field.Object("targetPort", IntOrString),
        [5] = Field.Int("nodePort"),
        [6] = Field.String("appProtocol"),
    };

    private static readonly Message ServiceSpec = new("ServiceSpec")
    {
        [1] = Field.Messages("ports", ServicePort),
        [2] = Field.Map("selector"),
        [3] = Field.String("clusterIP"),
        [4] = Field.String("type"),
        [5] = Field.Strings("externalIPs"),
        [7] = Field.String("sessionAffinity"),
        [8] = Field.String("loadBalancerIP"),
        [10] = Field.String("externalName"),
    };

    /// <summary>Top-level kinds by "group/Kind", each with metadata (1) and spec (2).</summary>
    public static IReadOnlyDictionary<string, Message> Kinds { get; } = new Dictionary<string, Message>(StringComparer.Ordinal)
    {
        ["apps/Deployment"] = new("Deployment") { [1] = Field.Object("metadata", ObjectMeta), [2] = Field.Object("spec", DeploymentSpec) },
        ["/Service"] = new("Service") { [1] = Field.Object("metadata", ObjectMeta), [2] = Field.Object("spec", ServiceSpec) },
        ["/Pod"] = new("Pod") { [1] = Field.Object("metadata", ObjectMeta), [2] = Field.Object("spec", PodSpec) },
    };

    /// <summary>A protobuf message: field number → JSON field.</summary>
    internal sealed class Message(string name) : Dictionary<int, Field>
    {
        public string Name { get; } = name;
    }

    internal enum FieldType
    {
        String,
        Int,
        OptionalInt,
        Bool,
        Object,
        Strings,
        Messages,
        Map,
        QuantityMap,
    }

    internal sealed record Field(string Name, FieldType Type, Message? Message = null)
    {
        public static Field String(string name) => new(name, FieldType.String);

        /// <summary>An integer; <paramref name="optional"/> for pointer fields (*int32), where a sent 0 means 0 rather than unset.</summary>
        public static Field Int(string name, bool optional = false) => new(name, optional ? FieldType.OptionalInt : FieldType.Int);

        public static Field Bool(string name) => new(name, FieldType.Bool);

        public static Field Object(string name, Message message) => new(name, FieldType.Object, message);

        public static Field Strings(string name) => new(name, FieldType.Strings);

        public static Field Messages(string name, Message message) => new(name, FieldType.Messages, message);

        public static Field Map(string name) => new(name, FieldType.Map);

        public static Field QuantityMap(string name) => new(name, FieldType.QuantityMap);
    }
}
