#!/usr/bin/env bash
# Cache-hit throughput and latency of the proxy against nginx serving the same files from the same folder, in one
# run, reported as ratios; and the proxy's memory while 20 clients stream 100 MB zips. Writes docs/benchmarks.md.
# Needs: wrk, nginx (nginx-light), curl, python3 — `make bench` installs the Debian ones.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${DURATION:-10}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/goproxy-bench.XXXXXX")
# nginx's workers drop to an unprivileged user: they must be able to read the fixture and the proxy's store.
chmod 755 "$WORK"
NGINX_USER=$([ "$(id -u)" = 0 ] && echo "user root;" || true)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { for _ in $(seq 1 100); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }
start_nginx() { # root port name
  local conf="$WORK/nginx-$3.conf"
  cat > "$conf" <<NGINX
$NGINX_USER
worker_processes auto;
daemon off;
error_log $WORK/nginx-$3.err warn;
pid $WORK/nginx-$3.pid;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  types { application/json info; application/zip zip; text/plain mod; }
  default_type text/plain;
  server { listen 127.0.0.1:$2; root $1; location / { try_files \$uri =404; } }
}
NGINX
  nginx -c "$conf" -p "$WORK" & PIDS+=($!)
}

echo "== building goproxy (Release)"
dotnet publish src/ProxyOperator.GoProxy -c Release -o "$WORK/goproxy" -v quiet -nologo >/dev/null

echo "== writing fixture: 10 MB and 100 MB module zips"
python3 bench/make-fixture.py "$WORK/upstream" example.com/bench/big=10 example.com/bench/huge=100

UPSTREAM_PORT=$(free_port); PROXY_PORT=$(free_port); NGINX_PORT=$(free_port)
start_nginx "$WORK/upstream" "$UPSTREAM_PORT" upstream
"$WORK/goproxy/goproxy" --listen "127.0.0.1:$PROXY_PORT" --storage-dir "$WORK/store" \
  --upstream "http://127.0.0.1:$UPSTREAM_PORT" > "$WORK/goproxy.log" 2>&1 & PROXY_PID=$!; PIDS+=($PROXY_PID)
wait_http "http://127.0.0.1:$UPSTREAM_PORT/example.com/bench/big/@v/list"
wait_http "http://127.0.0.1:$PROXY_PORT/healthz"

echo "== warming the proxy's cache (first fetch goes upstream, then every request is a hit)"
for m in big huge; do for ext in info mod zip; do
  curl -fsS -o /dev/null "http://127.0.0.1:$PROXY_PORT/example.com/bench/$m/@v/v1.0.0.$ext"
done; done
# nginx now serves the proxy's own storage folder: the same bytes from the same disk.
start_nginx "$WORK/store" "$NGINX_PORT" reference
wait_http "http://127.0.0.1:$NGINX_PORT/example.com/bench/big/@v/v1.0.0.info"
cmp <(curl -fsS "http://127.0.0.1:$PROXY_PORT/example.com/bench/big/@v/v1.0.0.zip") <(curl -fsS "http://127.0.0.1:$NGINX_PORT/example.com/bench/big/@v/v1.0.0.zip")

run_wrk() { # url connections -> "rps transfer_bytes_per_s p50_ms p99_ms"
  wrk -t2 -c"$2" -d"${DURATION}s" --latency "$1" > "$WORK/wrk.out" 2>&1
  python3 - "$WORK/wrk.out" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s)", v); x = float(m.group(1))
    return x / 1000 if m.group(2) == "us" else x * 1000 if m.group(2) == "s" else x
def size(v):
    m = re.match(r"([\d.]+)([KMG]?B)", v); x = float(m.group(1))
    return x * {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}[m.group(2)]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
transfer = size(re.search(r"Transfer/sec:\s+([\d.]+[KMG]?B)", text).group(1))
p50 = ms(re.search(r"\s50%\s+(\S+)", text).group(1)); p99 = ms(re.search(r"\s99%\s+(\S+)", text).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
if errors: sys.exit(f"wrk saw {errors.group(1)} error responses")
print(f"{rps:.1f} {transfer:.0f} {p50:.2f} {p99:.2f}")
PY
}

declare -A R
for target in proxy nginx; do
  port=$([ $target = proxy ] && echo "$PROXY_PORT" || echo "$NGINX_PORT")
  echo "== $target: .info at 64 connections"
  R[$target-info]=$(run_wrk "http://127.0.0.1:$port/example.com/bench/big/@v/v1.0.0.info" 64)
  echo "   ${R[$target-info]}"
  echo "== $target: 10 MB .zip at 16 connections"
  R[$target-zip]=$(run_wrk "http://127.0.0.1:$port/example.com/bench/big/@v/v1.0.0.zip" 16)
  echo "   ${R[$target-zip]}"
done

echo "== proxy memory while 20 clients stream the 100 MB zip (3 rounds)"
rss_max=0
sample_rss() { while kill -0 "$PROXY_PID" 2>/dev/null; do awk '/VmRSS/ {print $2}' "/proc/$PROXY_PID/status"; sleep 0.05; done; }
rss_idle=$(awk '/VmRSS/ {print $2}' "/proc/$PROXY_PID/status")
sample_rss > "$WORK/rss.log" & SAMPLER=$!; PIDS+=($SAMPLER)
stream_start=$(date +%s.%N)
for round in 1 2 3; do
  CLIENTS=()
  for i in $(seq 1 20); do curl -fsS -o /dev/null "http://127.0.0.1:$PROXY_PORT/example.com/bench/huge/@v/v1.0.0.zip" & CLIENTS+=($!); done
  # Only the clients: the servers are background jobs of this script too.
  for c in "${CLIENTS[@]}"; do wait "$c"; done
done
stream_end=$(date +%s.%N)
kill "$SAMPLER" 2>/dev/null || true
rss_max=$(sort -n "$WORK/rss.log" | tail -1)

read -r p_info_rps _ p_info_p50 p_info_p99 <<<"${R[proxy-info]}"
read -r n_info_rps _ n_info_p50 n_info_p99 <<<"${R[nginx-info]}"
read -r p_zip_rps p_zip_bps p_zip_p50 p_zip_p99 <<<"${R[proxy-zip]}"
read -r n_zip_rps n_zip_bps n_zip_p50 n_zip_p99 <<<"${R[nginx-zip]}"
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
mbps() { python3 -c "print(f'{$1/1048576:.0f}')"; }

cat > docs/benchmarks.md <<MD
# Benchmarks

Produced by \`make bench\` (\`bench/run.sh\`) on $(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo).
The proxy (Release build, disk storage, every request a cache hit) and nginx $(nginx -v 2>&1 | sed 's/.*nginx\///') (sendfile on,
\`worker_processes auto\`) serve **the same files from the same folder** (nginx's root is the proxy's storage
directory), measured one after the other in one run with wrk ($(wrk -v 2>&1 | head -1 | awk '{print $2}'), 2 threads, ${DURATION} s each).
Client and server share the machine's cores, as they do for both servers.
The proxy runs with its default configuration (request lines for cache hits are at `Debug`, so not written).

| endpoint | connections | proxy req/s | nginx req/s | proxy/nginx | proxy p50 / p99 ms | nginx p50 / p99 ms |
| --- | --- | --- | --- | --- | --- | --- |
| \`.info\` | 64 | $p_info_rps | $n_info_rps | **$(ratio "$p_info_rps" "$n_info_rps")** | $p_info_p50 / $p_info_p99 | $n_info_p50 / $n_info_p99 |
| 10 MB \`.zip\` | 16 | $p_zip_rps ($(mbps "$p_zip_bps") MiB/s) | $n_zip_rps ($(mbps "$n_zip_bps") MiB/s) | **$(ratio "$p_zip_bps" "$n_zip_bps")** | $p_zip_p50 / $p_zip_p99 | $n_zip_p50 / $n_zip_p99 |

Memory: the proxy's resident set was $((rss_idle / 1024)) MiB idle after the runs above and peaked at
**$((rss_max / 1024)) MiB** while 20 clients streamed the 100 MB zip at once, three rounds
($(python3 -c "print(f'{($stream_end-$stream_start):.1f}')") s in all; sampled every 50 ms from /proc).

Targets (issue 2): \`.zip\` throughput ≥ 0.7× nginx; \`.info\` p99 < 10 ms at 64 connections; RSS < 300 MB while
20 clients stream 100 MB zips.
MD
cat docs/benchmarks.md
