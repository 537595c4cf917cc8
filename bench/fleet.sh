#!/usr/bin/env bash
# The fleet (issue 7): proxy replicas sharing one disk store behind a real nginx configured as the operator's Ingress
# intends (tests/ProxyOperator.EndToEnd.Tests/Fleet/LoadBalancerConfig.cs), with 1 and with 3 replicas, in one run:
#   1. cache-hit throughput and latency with wrk (.info at 64 connections, a 10 MB .zip at 16), against nginx serving
#      the same files directly (the reference), and one replica without the load balancer (its cost);
#   2. a cold `go mod download -json all` of an 80-module graph (fresh store, fresh module cache), against the same go
#      command reading the static tree from nginx directly; then the same with the store warm.
# Prints the figures and ratios; does not write docs/benchmarks.md (paste them there with the date and machine).
# Needs: wrk, nginx (nginx-light), go (golang-go), curl, python3. Settings: DURATION (wrk seconds, 10), RUNS (go runs, 3).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
RUNS=${RUNS:-3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/goproxy-fleet-bench.XXXXXX")
chmod 755 "$WORK"
NGINX_USER=$([ "$(id -u)" = 0 ] && echo "user root;" || true)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; chmod -R u+w "$WORK" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { for _ in $(seq 1 200); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.05; done; echo "no answer from $1" >&2; return 1; }

start_static() { # root port: nginx serving a GOPROXY tree, the upstream and the reference
  mkdir -p "$WORK/static-$2"
  cat > "$WORK/static-$2/nginx.conf" <<NGINX
$NGINX_USER
worker_processes auto;
daemon off;
error_log $WORK/static-$2/error.log warn;
pid $WORK/static-$2/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path $WORK/static-$2/body; proxy_temp_path $WORK/static-$2/proxy;
  fastcgi_temp_path $WORK/static-$2/fastcgi; uwsgi_temp_path $WORK/static-$2/uwsgi; scgi_temp_path $WORK/static-$2/scgi;
  types { application/json info; application/zip zip; text/plain mod; }
  default_type text/plain;
  server { listen 127.0.0.1:$2; root $1; location / { try_files \$uri =404; } }
}
NGINX
  nginx -p "$WORK/static-$2" -c "$WORK/static-$2/nginx.conf" & PIDS+=($!)
}

LB_PID=
start_lb() { # port replica-ports...: the same directives as LoadBalancerConfig.Nginx (access log off, workers auto)
  local port=$1; shift
  local dir="$WORK/lb-$port" servers=""
  mkdir -p "$dir"
  for p in "$@"; do servers+="    server 127.0.0.1:$p max_fails=1 fail_timeout=5s;"$'\n'; done
  cat > "$dir/nginx.conf" <<NGINX
$NGINX_USER
worker_processes auto;
daemon off;
master_process on;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/body; proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi; uwsgi_temp_path $dir/uwsgi; scgi_temp_path $dir/scgi;
  upstream goproxy {
$servers    keepalive 32;
  }
  server {
    listen 127.0.0.1:$port;
    client_max_body_size 512m;
    location / {
      proxy_pass http://goproxy;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_connect_timeout 10s;
      proxy_read_timeout 600s;
      proxy_send_timeout 600s;
      proxy_buffering off;
      proxy_request_buffering off;
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 3;
      proxy_next_upstream_timeout 600s;
    }
  }
}
NGINX
  nginx -p "$dir" -c "$dir/nginx.conf" & LB_PID=$!; PIDS+=($LB_PID)
  wait_http "http://127.0.0.1:$port/healthz"
}

REPLICA_PIDS=(); REPLICA_PORTS=()
start_replicas() { # count store
  REPLICA_PIDS=(); REPLICA_PORTS=()
  for i in $(seq 1 "$1"); do
    local port; port=$(free_port)
    "$WORK/goproxy/goproxy" --listen "127.0.0.1:$port" --storage-dir "$2" --upstream "http://127.0.0.1:$UPSTREAM_PORT" \
      > "$WORK/replica-$port.log" 2>&1 & REPLICA_PIDS+=($!); PIDS+=($!); REPLICA_PORTS+=("$port")
  done
  for port in "${REPLICA_PORTS[@]}"; do wait_http "http://127.0.0.1:$port/readyz"; done
}
stop_fleet() {
  for p in "${REPLICA_PIDS[@]}" $LB_PID; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  REPLICA_PIDS=(); LB_PID=
}

run_wrk() { # url connections -> "rps transfer_bytes_per_s p50_ms p99_ms"
  wrk -t2 -c"$2" -d"${DURATION}s" --timeout 30s --latency "$1" > "$WORK/wrk.out" 2>&1
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
socket_errors = re.search(r"Socket errors: (.*)", text)
if socket_errors: sys.exit(f"wrk saw socket errors: {socket_errors.group(1)}")
print(f"{rps:.1f} {transfer:.0f} {p50:.2f} {p99:.2f}")
PY
}

GO_ENV=(GOENV=off GOTOOLCHAIN=local GOTELEMETRY=off GO111MODULE=on GOFLAGS=-mod=mod GOSUMDB=off GONOPROXY= GOPRIVATE= CGO_ENABLED=0)
go_download() { # goproxy-url -> seconds; a fresh module cache each time, the go command's own cache kept warm
  local cache="$WORK/gocache-$RANDOM$RANDOM"
  local start end
  start=$(date +%s.%N)
  (cd "$WORK/consumer" && env "${GO_ENV[@]}" HOME="$WORK/home" GOPATH="$cache" GOMODCACHE="$cache/mod" GOCACHE="$WORK/gobuildcache" \
    GOPROXY="$1" go mod download -json all > "$WORK/go.json" 2> "$WORK/go.err") || { cat "$WORK/go.err" >&2; return 1; }
  end=$(date +%s.%N)
  python3 - "$WORK/go.json" "$GRAPH_MODULES" <<'PY' || return 1
import json, sys
text = open(sys.argv[1]).read(); dec = json.JSONDecoder(); i = 0; mods = []
while i < len(text):
    while i < len(text) and text[i].isspace(): i += 1
    if i >= len(text): break
    obj, i = dec.raw_decode(text, i); mods.append(obj)
bad = [m for m in mods if m.get("Error") or not m.get("Sum")]
if bad or len(mods) != int(sys.argv[2]): sys.exit(f"go mod download: {len(mods)} modules, problems: {bad[:3]}")
PY
  chmod -R u+w "$cache"; rm -rf "$cache"
  python3 -c "print(f'{$end-$start:.2f}')"
}
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
mbps() { python3 -c "print(f'{$1/1048576:.0f}')"; }

echo "== building goproxy (Release)"
dotnet publish src/ProxyOperator.GoProxy -c Release -o "$WORK/goproxy" -v quiet -nologo >/dev/null

GRAPH_MODULES=${GRAPH_MODULES:-80}
echo "== writing fixtures: a 10 MB module zip, and a graph of $GRAPH_MODULES modules"
python3 bench/make-fixture.py "$WORK/upstream" example.com/bench/big=10
python3 bench/make-graph.py "$WORK/upstream" "$WORK/consumer" "$GRAPH_MODULES" 128
mkdir -p "$WORK/home"
GRAPH_MB=$(du -sm "$WORK/upstream/example.com/graph" | cut -f1)

UPSTREAM_PORT=$(free_port)
start_static "$WORK/upstream" "$UPSTREAM_PORT"
wait_http "http://127.0.0.1:$UPSTREAM_PORT/example.com/bench/big/@v/v1.0.0.info"
BIG=example.com/bench/big/@v/v1.0.0

declare -A R
echo "== reference: nginx serving the files directly"
for ext in info zip; do wrk -t2 -c16 -d3s "http://127.0.0.1:$UPSTREAM_PORT/$BIG.$ext" >/dev/null 2>&1; done
R[ref-info]=$(run_wrk "http://127.0.0.1:$UPSTREAM_PORT/$BIG.info" 64); echo "   .info ${R[ref-info]}"
R[ref-zip]=$(run_wrk "http://127.0.0.1:$UPSTREAM_PORT/$BIG.zip" 16); echo "   .zip  ${R[ref-zip]}"

HIT_STORE="$WORK/store-hits"
for n in 1 3; do
  start_replicas "$n" "$HIT_STORE"
  LB_PORT=$(free_port); start_lb "$LB_PORT" "${REPLICA_PORTS[@]}"
  for ext in info mod zip; do curl -fsS -o /dev/null "http://127.0.0.1:$LB_PORT/$BIG.$ext"; done
  cmp <(curl -fsS "http://127.0.0.1:$LB_PORT/$BIG.zip") "$WORK/upstream/$BIG.zip"
  # Warm-up (JIT tiering, connection pools) of every replica, through the load balancer's round robin.
  for ext in info zip; do wrk -t2 -c16 -d3s "http://127.0.0.1:$LB_PORT/$BIG.$ext" >/dev/null 2>&1; done
  if [ "$n" = 1 ]; then
    echo "== 1 replica, no load balancer"
    R[direct-info]=$(run_wrk "http://127.0.0.1:${REPLICA_PORTS[0]}/$BIG.info" 64); echo "   .info ${R[direct-info]}"
    R[direct-zip]=$(run_wrk "http://127.0.0.1:${REPLICA_PORTS[0]}/$BIG.zip" 16); echo "   .zip  ${R[direct-zip]}"
  fi
  echo "== $n replica(s) behind nginx"
  R[lb$n-info]=$(run_wrk "http://127.0.0.1:$LB_PORT/$BIG.info" 64); echo "   .info ${R[lb$n-info]}"
  R[lb$n-zip]=$(run_wrk "http://127.0.0.1:$LB_PORT/$BIG.zip" 16); echo "   .zip  ${R[lb$n-zip]}"
  stop_fleet
done

echo "== cold go mod download of the graph ($GRAPH_MODULES modules, $GRAPH_MB MB of zips), $RUNS runs each"
go_download "http://127.0.0.1:$UPSTREAM_PORT" >/dev/null # the go command's build cache, and the page cache, warm
T_REF=(); T_COLD1=(); T_COLD3=(); T_WARM1=(); T_WARM3=()
for run in $(seq 1 "$RUNS"); do
  T_REF+=("$(go_download "http://127.0.0.1:$UPSTREAM_PORT")")
  for n in 1 3; do
    store="$WORK/store-cold-$n-$run"
    start_replicas "$n" "$store"
    LB_PORT=$(free_port); start_lb "$LB_PORT" "${REPLICA_PORTS[@]}"
    cold=$(go_download "http://127.0.0.1:$LB_PORT")
    warm=$(go_download "http://127.0.0.1:$LB_PORT")
    if [ "$n" = 1 ]; then T_COLD1+=("$cold"); T_WARM1+=("$warm"); else T_COLD3+=("$cold"); T_WARM3+=("$warm"); fi
    stop_fleet
    rm -rf "$store"
  done
  echo "   run $run: direct ${T_REF[-1]} s; 1 replica cold ${T_COLD1[-1]} s, warm ${T_WARM1[-1]} s; 3 replicas cold ${T_COLD3[-1]} s, warm ${T_WARM3[-1]} s"
done

read -r ri_rps _ ri_p50 ri_p99 <<<"${R[ref-info]}"; read -r rz_rps rz_bps rz_p50 rz_p99 <<<"${R[ref-zip]}"
read -r di_rps _ di_p50 di_p99 <<<"${R[direct-info]}"; read -r dz_rps dz_bps dz_p50 dz_p99 <<<"${R[direct-zip]}"
read -r l1i_rps _ l1i_p50 l1i_p99 <<<"${R[lb1-info]}"; read -r l1z_rps l1z_bps l1z_p50 l1z_p99 <<<"${R[lb1-zip]}"
read -r l3i_rps _ l3i_p50 l3i_p99 <<<"${R[lb3-info]}"; read -r l3z_rps l3z_bps l3z_p50 l3z_p99 <<<"${R[lb3-zip]}"
ref=$(median "${T_REF[@]}"); c1=$(median "${T_COLD1[@]}"); c3=$(median "${T_COLD3[@]}"); w1=$(median "${T_WARM1[@]}"); w3=$(median "${T_WARM3[@]}")

cat <<MD

Produced by \`bash bench/fleet.sh\` (DURATION=$DURATION, RUNS=$RUNS) on $(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'), $(go version | awk '{print $3}').

| cache hits (wrk, ${DURATION} s) | \`.info\` req/s (64 conn.) | ratio to nginx | p50 / p99 ms | 10 MB \`.zip\` MiB/s (16 conn.) | ratio to nginx | p50 / p99 ms |
| --- | --- | --- | --- | --- | --- | --- |
| nginx serving the files (reference) | $ri_rps | 1.00 | $ri_p50 / $ri_p99 | $(mbps "$rz_bps") | 1.00 | $rz_p50 / $rz_p99 |
| 1 replica, no load balancer | $di_rps | $(ratio "$di_rps" "$ri_rps") | $di_p50 / $di_p99 | $(mbps "$dz_bps") | $(ratio "$dz_bps" "$rz_bps") | $dz_p50 / $dz_p99 |
| 1 replica behind nginx | $l1i_rps | **$(ratio "$l1i_rps" "$ri_rps")** | $l1i_p50 / $l1i_p99 | $(mbps "$l1z_bps") | **$(ratio "$l1z_bps" "$rz_bps")** | $l1z_p50 / $l1z_p99 |
| 3 replicas behind nginx | $l3i_rps | **$(ratio "$l3i_rps" "$ri_rps")** | $l3i_p50 / $l3i_p99 | $(mbps "$l3z_bps") | **$(ratio "$l3z_bps" "$rz_bps")** | $l3z_p50 / $l3z_p99 |

3 replicas / 1 replica behind nginx: \`.info\` **$(ratio "$l3i_rps" "$l1i_rps")**, \`.zip\` **$(ratio "$l3z_bps" "$l1z_bps")**.

| \`go mod download -json all\`, $GRAPH_MODULES modules, $GRAPH_MB MB (median of $RUNS) | seconds | ratio to go reading nginx directly |
| --- | --- | --- |
| go against nginx serving the static tree (reference) | $ref | 1.00 |
| 1 replica behind nginx, cold store | $c1 | **$(ratio "$c1" "$ref")** |
| 3 replicas behind nginx, cold store | $c3 | **$(ratio "$c3" "$ref")** |
| 1 replica behind nginx, warm store | $w1 | $(ratio "$w1" "$ref") |
| 3 replicas behind nginx, warm store | $w3 | $(ratio "$w3" "$ref") |

All runs: direct ${T_REF[*]}; 1 replica cold ${T_COLD1[*]}, warm ${T_WARM1[*]}; 3 replicas cold ${T_COLD3[*]}, warm ${T_WARM3[*]} (seconds).
MD
