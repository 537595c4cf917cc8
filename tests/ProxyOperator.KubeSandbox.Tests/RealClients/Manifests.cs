namespace ProxyOperator.KubeSandbox.Tests.RealClients;

/// <summary>The YAML the real-client tests apply; <c>NAMESPACE</c> is replaced by the test's own namespace.</summary>
internal static class Manifests
{
    public const string ConfigMapAndDeployment = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: web-config
          namespace: NAMESPACE
        data:
          greeting: hello
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: NAMESPACE
          labels:
            app: web
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
                - name: web
                  image: registry.example/web:1.0
                  env:
                    - name: MODE
                      value: blue
                - name: sidecar
                  image: registry.example/sidecar:1.0
        """;

    /// <summary><see cref="ConfigMapAndDeployment"/> after an edit: a new greeting and a new image for one of two containers.</summary>
    public static readonly string ConfigMapAndDeploymentEdited = ConfigMapAndDeployment
        .Replace("greeting: hello", "greeting: bonjour", StringComparison.Ordinal)
        .Replace("registry.example/web:1.0", "registry.example/web:2.0", StringComparison.Ordinal);

    /// <summary>A namespaced CRD with status and scale subresources and printer columns.</summary>
    public const string WidgetCrd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.realclients.sandbox.test
        spec:
          group: realclients.sandbox.test
          scope: Namespaced
          names:
            plural: widgets
            singular: widget
            kind: Widget
            listKind: WidgetList
            shortNames: [wdg]
          versions:
            - name: v1
              served: true
              storage: true
              subresources:
                status: {}
                scale:
                  specReplicasPath: .spec.replicas
                  statusReplicasPath: .status.replicas
                  labelSelectorPath: .status.selector
              additionalPrinterColumns:
                - name: Size
                  type: string
                  jsonPath: .spec.size
                - name: Replicas
                  type: integer
                  jsonPath: .spec.replicas
                - name: Age
                  type: date
                  jsonPath: .metadata.creationTimestamp
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec:
                      type: object
                      properties:
                        size:
                          type: string
                        replicas:
                          type: integer
                        tier:
                          type: string
                          default: standard
                    status:
                      type: object
                      properties:
                        replicas:
                          type: integer
                        selector:
                          type: string
                        conditions:
                          type: array
                          items:
                            type: object
                            properties:
                              type:
                                type: string
                              status:
                                type: string
                              reason:
                                type: string
                              message:
                                type: string
                              lastTransitionTime:
                                type: string
                                format: date-time
        """;

    public const string Widget = """
        apiVersion: realclients.sandbox.test/v1
        kind: Widget
        metadata:
          name: w1
          namespace: NAMESPACE
        spec:
          size: small
          replicas: 1
        """;

    public const string HeldConfigMap = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: held
          namespace: NAMESPACE
          finalizers:
            - realclients.sandbox.test/hold
        data:
          state: kept
        """;

    /// <summary>A merge patch for <c>/status</c> that makes a widget Ready (and tries to change spec, which /status must ignore).</summary>
    public const string ReadyStatusPatch = """
        {"spec":{"size":"huge"},"status":{"replicas":1,"selector":"app=w1","conditions":[{"type":"Ready","status":"True","reason":"Tested","message":"ready","lastTransitionTime":"2025-01-01T00:00:00Z"}]}}
        """;
}
