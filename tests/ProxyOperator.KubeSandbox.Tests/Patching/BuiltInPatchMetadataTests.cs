namespace ProxyOperator.KubeSandbox.Patching;

public sealed class BuiltInPatchMetadataTests
{
    // Expected patchMergeKey per list path (null = atomic), from the k8s.io/api struct tags.
    public static TheoryData<string, string, string, string?> MergeKeys => new()
    {
        { "", "Pod", "metadata.ownerReferences", "uid" },
        { "", "Pod", "spec.containers", "name" },
        { "", "Pod", "spec.initContainers", "name" },
        { "", "Pod", "spec.ephemeralContainers", "name" },
        { "", "Pod", "spec.containers.ports", "containerPort" },
        { "", "Pod", "spec.containers.env", "name" },
        { "", "Pod", "spec.initContainers.volumeMounts", "mountPath" },
        { "", "Pod", "spec.containers.volumeDevices", "devicePath" },
        { "", "Pod", "spec.volumes", "name" },
        { "", "Pod", "spec.imagePullSecrets", "name" },
        { "", "Pod", "spec.hostAliases", "ip" },
        { "", "Pod", "spec.tolerations", null },
        { "", "Pod", "spec.containers.envFrom", null },
        { "", "Pod", "status.conditions", "type" },
        { "", "PodTemplate", "template.spec.containers", "name" },
        { "", "Service", "spec.ports", "port" },
        { "", "ConfigMap", "status.conditions", "type" },
        { "apps", "Deployment", "spec.template.spec.containers", "name" },
        { "apps", "Deployment", "spec.template.spec.containers.env", "name" },
        { "apps", "StatefulSet", "spec.template.spec.volumes", "name" },
        { "apps", "StatefulSet", "spec.volumeClaimTemplates", null },
        { "apps", "ReplicaSet", "spec.template.spec.containers", "name" },
        { "apps", "DaemonSet", "spec.template.spec.tolerations", null },
        { "batch", "Job", "spec.template.spec.containers", "name" },
        { "batch", "CronJob", "spec.jobTemplate.spec.template.spec.containers", "name" },
        { "apps", "Deployment", "spec.containers", null },
        { "example.com", "Widget", "spec.items", null },
    };

    [Theory]
    [MemberData(nameof(MergeKeys))]
    public void List_fields_have_the_merge_key_of_their_struct_tags(string group, string kind, string path, string? mergeKey) =>
        Assert.Equal(mergeKey, BuiltInPatchMetadata.For(group, kind).MergeKeyFor(path.Split('.')));

    [Theory]
    [InlineData("", "Pod", "metadata.finalizers", true)]
    [InlineData("apps", "Deployment", "metadata.finalizers", true)]
    [InlineData("example.com", "Widget", "metadata.finalizers", true)]
    [InlineData("", "Pod", "spec.containers", false)]
    [InlineData("", "Pod", "spec.containers.args", false)]
    public void Finalizers_are_a_set_list(string group, string kind, string path, bool isSet) =>
        Assert.Equal(isSet, BuiltInPatchMetadata.For(group, kind).IsSetList(path.Split('.')));
}
