using k8s.Models;
using ProxyOperator.Manifests;
using ProxyOperator.Operator.Api;
using ProxyOperator.Operator.Tests.Api;

namespace ProxyOperator.Operator.Tests.Manifests;

public sealed class CrdSchemaTests
{
    private static readonly V1CustomResourceDefinition Crd = CustomResourceDefinitions.For(typeof(GoModuleProxy));

    private static V1CustomResourceDefinitionVersion Version => Assert.Single(Crd.Spec.Versions);

    private static V1JSONSchemaProps Root => Version.Schema.OpenAPIV3Schema;

    private static V1JSONSchemaProps At(params string[] path) => path.Aggregate(Root, (schema, name) => schema.Properties[name]);

    /// <summary>Every schema below <paramref name="schema"/>, with whether it lies under some list's items.</summary>
    private static IEnumerable<(string Path, V1JSONSchemaProps Schema, bool InItems)> Walk(V1JSONSchemaProps schema, string path = "", bool inItems = false)
    {
        yield return (path, schema, inItems);
        foreach (var (name, child) in schema.Properties ?? new Dictionary<string, V1JSONSchemaProps>())
        {
            foreach (var found in Walk(child, path + "." + name, inItems))
            {
                yield return found;
            }
        }

        if (schema.Items is V1JSONSchemaProps items)
        {
            foreach (var found in Walk(items, path + "[*]", inItems: true))
            {
                yield return found;
            }
        }

        if (schema.AdditionalProperties is V1JSONSchemaProps values)
        {
            foreach (var found in Walk(values, path + ".*", inItems))
            {
                yield return found;
            }
        }
    }

    [Fact]
    public void The_names_are_those_of_design_section_2()
    {
        Assert.Equal("gomoduleproxies.proxyoperator.io", Crd.Metadata.Name);
        Assert.Equal("proxyoperator.io", Crd.Spec.Group);
        Assert.Equal("Namespaced", Crd.Spec.Scope);
        Assert.Equal("GoModuleProxy", Crd.Spec.Names.Kind);
        Assert.Equal("GoModuleProxyList", Crd.Spec.Names.ListKind);
        Assert.Equal("gomoduleproxies", Crd.Spec.Names.Plural);
        Assert.Equal("gomoduleproxy", Crd.Spec.Names.Singular);
        Assert.Equal(["gmp"], Crd.Spec.Names.ShortNames);
        Assert.Equal(["proxyoperator"], Crd.Spec.Names.Categories);
        Assert.Equal("v1alpha1", Version.Name);
        Assert.True(Version.Served && Version.Storage);
    }

    [Fact]
    public void No_default_lies_under_any_list_items()
    {
        var defaultsInItems = Walk(Root).Where(s => s.InItems && s.Schema.DefaultProperty is not null).Select(s => s.Path).ToList();

        Assert.Empty(defaultsInItems);
        Assert.Contains(Walk(Root), s => s.Schema.DefaultProperty is not null);
    }

    [Fact]
    public void Conditions_are_a_map_list_keyed_by_a_required_type()
    {
        var conditions = At("status", "conditions");

        Assert.Equal("map", conditions.XKubernetesListType);
        Assert.Equal(["type"], conditions.XKubernetesListMapKeys);
        Assert.Contains("type", ((V1JSONSchemaProps)conditions.Items).Required);
    }

    [Fact]
    public void The_scale_subresource_points_at_spec_replicas_status_replicas_and_a_string_selector()
    {
        var scale = Version.Subresources.Scale;

        Assert.Equal(".spec.replicas", scale.SpecReplicasPath);
        Assert.Equal(".status.replicas", scale.StatusReplicasPath);
        Assert.Equal(".status.selector", scale.LabelSelectorPath);
        Assert.NotNull(Version.Subresources.Status);
        Assert.Equal("integer", At("spec", "replicas").Type);
        Assert.Equal("integer", At("status", "replicas").Type);
        Assert.Equal("string", At("status", "selector").Type);
    }

    [Fact]
    public void The_printer_columns_are_ready_replicas_endpoint_hit_ratio_and_age()
    {
        Assert.Equal(
            [("Ready", ".status.conditions[?(@.type==\"Ready\")].status"), ("Replicas", ".status.readyReplicas"), ("Endpoint", ".status.endpoint"), ("Hit Ratio", ".status.cache.hitRatio"), ("Age", ".metadata.creationTimestamp")],
            Version.AdditionalPrinterColumns.Select(c => (c.Name, c.JsonPath)));
    }

    [Fact]
    public void Every_cel_rule_has_a_twin_in_the_spec_validator_with_the_same_message()
    {
        var celMessages = Walk(Root).SelectMany(s => s.Schema.XKubernetesValidations ?? []).Select(r => r.Message).ToHashSet();
        var validatorMessages = GoModuleProxySpecValidatorTests.Cases.Select(row => (GoModuleProxySpec)row[1])
            .SelectMany(GoModuleProxySpecValidator.Validate)
            .Select(p => p.Message)
            .ToHashSet();

        Assert.Equal(8, celMessages.Count);
        Assert.Subset(validatorMessages, celMessages);
    }

    [Fact]
    public void The_cross_field_rules_sit_on_the_objects_they_relate()
    {
        static IEnumerable<string> Rules(V1JSONSchemaProps schema) => schema.XKubernetesValidations.Select(r => r.Rule);

        Assert.Contains("!has(self.type) || self.type != 'S3' || has(self.s3)", Rules(At("spec", "storage")));
        Assert.Contains("!has(self.enabled) || !self.enabled || has(self.host)", Rules(At("spec", "ingress")));
        Assert.Contains("!has(self.minReplicas) || !has(self.maxReplicas) || self.maxReplicas >= self.minReplicas", Rules(At("spec", "autoscaling")));
        Assert.Contains("!has(self.type) || self.type == 'None' || has(self.secretRef)", Rules(At("spec", "auth")));
        Assert.Equal(["nginx", "haproxy"], At("spec", "ingress", "className").EnumProperty);
    }

    [Fact]
    public void Embedded_kubernetes_types_stay_open_objects_and_quantities_are_int_or_string()
    {
        Assert.True(At("spec", "affinity").XKubernetesPreserveUnknownFields);
        Assert.True(At("spec", "resources").XKubernetesPreserveUnknownFields);
        Assert.True(((V1JSONSchemaProps)At("spec", "tolerations").Items).XKubernetesPreserveUnknownFields);
        Assert.True(At("spec", "storage", "disk", "size").XKubernetesIntOrString);
        Assert.True(At("spec", "podDisruptionBudget", "maxUnavailable").XKubernetesIntOrString);
    }

    [Fact]
    public void Every_field_has_a_type_or_is_int_or_string_as_a_structural_schema_requires()
    {
        var untyped = Walk(Root).Where(s => s.Schema.Type is null && s.Schema.XKubernetesIntOrString != true).Select(s => s.Path).ToList();

        Assert.Empty(untyped);
    }
}
