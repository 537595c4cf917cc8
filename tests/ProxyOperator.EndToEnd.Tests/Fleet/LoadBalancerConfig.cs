using System.Globalization;
using System.Text;

namespace ProxyOperator.EndToEnd.Tests.Fleet;

/// <summary>The two load balancers the operator's Ingress targets (<c>spec.ingress.className</c>).</summary>
public enum LoadBalancerKind
{
    Nginx,
    Haproxy,
}

/// <summary>
/// The configuration a real nginx or HAProxy gets in front of a fleet of proxy replicas on loopback, written from the
/// same intent as <c>ProxyOperator.Operator.Builders.IngressBuilder</c>: module zips of up to 500 MiB stream through
/// unbuffered, a cold fetch may keep a request waiting for minutes, a dead replica is left quickly.
/// </summary>
/// <remarks>
/// <para>The mapping from the Ingress annotations (and the controllers' defaults they rely on) to these files:</para>
/// <list type="table">
/// <item><term><c>proxy-body-size: 512m</c></term><description>nginx <c>client_max_body_size 512m</c>; HAProxy has no
/// body limit (nothing to set).</description></item>
/// <item><term><c>proxy-read-timeout</c>/<c>proxy-send-timeout: 600</c>, <c>haproxy.org/timeout-server: 600s</c></term>
/// <description>nginx <c>proxy_read_timeout 600s; proxy_send_timeout 600s</c>; HAProxy <c>timeout server 600s</c>
/// (and <c>timeout client 600s</c>, so the client side is not the one to cut a slow cold fetch).</description></item>
/// <item><term><c>proxy-connect-timeout: 10</c></term><description>nginx <c>proxy_connect_timeout 10s</c>; HAProxy
/// <c>timeout connect 10s</c>.</description></item>
/// <item><term><c>proxy-buffering: off</c>, <c>proxy-request-buffering: off</c></term><description>the same nginx
/// directives; HAProxy streams bodies unless <c>option http-buffer-request</c> is set (it is not).</description></item>
/// <item><term>ingress-nginx's defaults <c>proxy-next-upstream: error timeout</c>,
/// <c>proxy-next-upstream-tries: 3</c></term><description>kept as they are. Not <c>non_idempotent</c>: only GET and HEAD
/// (all the go command sends) may be replayed on another replica. Not <c>http_502</c>/<c>http_504</c>: those are a
/// replica's verdict on the <em>upstream</em> after its own bounded retries (DESIGN §4); another replica would repeat
/// the same upstream work and multiply the client's wait. Not <c>http_503</c> either: with shared storage a replica that
/// cannot store answers for the fleet. nginx can only move to the next replica before it has sent the client
/// anything: a replica that dies mid-body leaves the client with a short body, which the go command rejects.</description></item>
/// <item><term>readiness on <c>/readyz</c></term><description>HAProxy checks it actively
/// (<c>option httpchk GET /readyz</c>, <c>http-check expect status 200</c>, <c>check inter 500ms fall 2 rise 2</c>).
/// Open-source nginx has passive checks only (<c>health_check</c> is NGINX Plus): <c>max_fails=1 fail_timeout=5s</c>
/// takes a replica out for 5 s after one failed attempt. In a cluster the Service's endpoints come from the same
/// <c>/readyz</c> through the pods' readiness probe, which is what ingress-nginx balances over.</description></item>
/// <item><term>HAProxy retries</term><description><c>retries 3</c> with <c>option redispatch 1</c> (every retry goes to
/// another replica: a SIGKILLed one does not come back within HAProxy's 1 s turn-around) and
/// <c>retry-on conn-failure empty-response</c>, the equivalent of nginx's <c>error</c>: a connection refused, or closed
/// with nothing received. <c>retry-on</c> applies to every method, so only the GET/HEAD backend has it; any other
/// method goes to a twin backend that tracks the same servers and keeps HAProxy's default <c>conn-failure</c>
/// (the request was never sent, so it is safe to send it elsewhere).</description></item>
/// </list>
/// </remarks>
public static class LoadBalancerConfig
{
    public const string BodySize = "512m";

    public static readonly TimeSpan ReadTimeout = TimeSpan.FromMinutes(10);

    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    public const int NextUpstreamTries = 3;

    /// <summary>
    /// nginx with its own prefix (temp files, logs and pid in <paramref name="directory"/>), in the foreground.
    /// <paramref name="workers"/> is nginx's <c>worker_processes</c> (<c>auto</c> for a benchmark).
    /// </summary>
    public static string Nginx(int listenPort, IReadOnlyList<int> replicaPorts, string directory, string workers = "1", bool accessLog = true)
    {
        var seconds = Seconds(ReadTimeout);
        var servers = new StringBuilder();
        foreach (var port in replicaPorts)
        {
            servers.Append(CultureInfo.InvariantCulture, $"    server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;\n");
        }

        // Workers of a root master switch to "nobody" unless told otherwise, and could not write our temp folder.
        var user = Environment.UserName == "root" ? "user root;\n" : "";
        var log = accessLog
            ? $"""
                log_format fleet '$request $status $body_bytes_sent upstream=$upstream_addr upstream_status=$upstream_status';
                access_log {directory}/access.log fleet;
              """
            : "  access_log off;";
        return $$"""
            {{user}}worker_processes {{workers}};
            daemon off;
            master_process on;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log notice;
            events { worker_connections 1024; }
            http {
            {{log}}
              # Debian's compiled-in temp paths are under /var/lib/nginx: keep everything in this instance's folder.
              client_body_temp_path {{directory}}/client_body;
              proxy_temp_path {{directory}}/proxy;
              fastcgi_temp_path {{directory}}/fastcgi;
              uwsgi_temp_path {{directory}}/uwsgi;
              scgi_temp_path {{directory}}/scgi;

              upstream goproxy {
            {{servers}}    # ingress-nginx keeps connections to the endpoints open (upstream-keepalive-connections).
                keepalive 32;
              }

              server {
                listen 127.0.0.1:{{listenPort}};
                client_max_body_size {{BodySize}};

                location / {
                  # No URI part: the request's own URI goes through untouched (%21, +incompatible).
                  proxy_pass http://goproxy;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                  proxy_set_header Host $host;
                  proxy_connect_timeout {{Seconds(ConnectTimeout)}}s;
                  proxy_read_timeout {{seconds}}s;
                  proxy_send_timeout {{seconds}}s;
                  proxy_buffering off;
                  proxy_request_buffering off;
                  # Idempotent requests only (no non_idempotent), and only before anything reached the client.
                  proxy_next_upstream error timeout;
                  proxy_next_upstream_tries {{NextUpstreamTries}};
                  # A read timeout (600 s) is therefore never retried; a connect timeout (10 s) is.
                  proxy_next_upstream_timeout {{seconds}}s;
                }
              }
            }

            """;
    }

    /// <summary>HAProxy in the foreground (<c>-db</c>), its health checks on every replica's <c>/readyz</c>.</summary>
    public static string Haproxy(int listenPort, IReadOnlyList<int> replicaPorts)
    {
        var seconds = Seconds(ReadTimeout);
        var checkedServers = new StringBuilder();
        var trackingServers = new StringBuilder();
        for (var i = 0; i < replicaPorts.Count; i++)
        {
            checkedServers.Append(CultureInfo.InvariantCulture, $"  server replica{i} 127.0.0.1:{replicaPorts[i]} check inter 500ms fall 2 rise 2\n");
            trackingServers.Append(CultureInfo.InvariantCulture, $"  server replica{i} 127.0.0.1:{replicaPorts[i]} track replicas/replica{i}\n");
        }

        return $$"""
            global
              maxconn 4096
              # One line per request on stdout (-db keeps HAProxy in the foreground): retries show as +N.
              log stdout format raw local0 info

            defaults
              mode http
              log global
              option httplog
              timeout connect {{Seconds(ConnectTimeout)}}s
              timeout client {{seconds}}s
              timeout server {{seconds}}s
              timeout http-request 10s
              timeout queue 10s
              retries {{NextUpstreamTries}}
              option redispatch 1

            frontend goproxy
              bind 127.0.0.1:{{listenPort}}
              # METH_GET matches GET and HEAD.
              use_backend replicas if METH_GET
              default_backend replicas_no_replay

            backend replicas
              balance roundrobin
              retry-on conn-failure empty-response
              option httpchk GET /readyz
              http-check expect status 200
            {{checkedServers}}
            backend replicas_no_replay
              balance roundrobin
            {{trackingServers}}
            """;
    }

    private static string Seconds(TimeSpan span) => ((int)span.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
