namespace ProxyOperator.KubeSandbox;

/// <summary>The kubeconfig YAML that points kubectl, helm and KubernetesClient at a sandbox, with a dummy token the server ignores.</summary>
internal static class Kubeconfig
{
    public static string For(Uri server) => $$"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: sandbox
          cluster:
            server: {{server.ToString().TrimEnd('/')}}
        users:
        - name: sandbox
          user:
            # The server checks no credentials; KubernetesClient refuses a user without any, so it gets a dummy token.
            token: sandbox
        contexts:
        - name: sandbox
          context:
            cluster: sandbox
            user: sandbox
            namespace: default
        current-context: sandbox
        preferences: {}

        """;
}
