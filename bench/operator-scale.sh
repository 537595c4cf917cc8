#!/usr/bin/env bash
# Operator scale (issue 4): 500 GoModuleProxy resources created at once against the kube sandbox; the time until every
# one has all its children and status.observedGeneration == metadata.generation, and the operator's peak RSS.
# The sandbox (test API server), the operator (Release, leader election on, default workers) and the driver
# (bench/operator-scale.py) each run as their own process on 127.0.0.1. Exit status is non-zero when the run failed
# (a resource never converged, a process did not start); a target missed prints MISS but is not a failure.
# Settings: COUNT (500), STATEFULSET_EVERY (10: every 10th resource is the StatefulSet shape; 0: none),
# WORKERS (empty: the operator's default), TIMEOUT (150 s), KEEP=1 keeps the work folder with the logs,
# REV=<commit> builds that commit (from `git archive`) instead of the working tree.
# Needs: the .NET SDK, python3, curl, and the real kubectl in .tools/kube-clients (bash tests/tools/kube-clients.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-500}
STATEFULSET_EVERY=${STATEFULSET_EVERY:-10}
WORKERS=${WORKERS:-}
TIMEOUT=${TIMEOUT:-150}
NAMESPACE=operator-scale
KUBECTL=${KUBECTL:-.tools/kube-clients/kubectl}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/operator-scale.XXXXXX")
PIDS=()
cleanup() {
  # The operator first (it would log the sandbox going away), then the sandbox; only what this script started.
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill "${PIDS[i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${KEEP:-}" = 1 ]; then echo "logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

[ -x "$KUBECTL" ] || { echo "no kubectl at $KUBECTL: run bash tests/tools/kube-clients.sh" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { for _ in $(seq 1 300); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }

SRC=.
BUILT="working tree at $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src tests config 2>/dev/null || echo ' with local changes')"
if [ -n "${REV:-}" ]; then
  SRC="$WORK/src"; mkdir "$SRC"
  git archive "$REV" | tar -x -C "$SRC"
  BUILT="commit $(git rev-parse --short "$REV")"
fi
echo "== building the operator and the kube sandbox (Release, $BUILT)"
dotnet publish "$SRC/src/ProxyOperator.Operator" -c Release -o "$WORK/operator" -v quiet -nologo >/dev/null
dotnet publish "$SRC/tests/ProxyOperator.KubeSandbox" -c Release -o "$WORK/sandbox" -v quiet -nologo >/dev/null

API_PORT=$(free_port); METRICS_PORT=$(free_port)
export KUBECONFIG="$WORK/kubeconfig"
echo "== starting the kube sandbox on 127.0.0.1:$API_PORT"
# The apphosts, not `dotnet run`: the PIDs below are the servers' own processes, whose /proc we read.
"$WORK/sandbox/ProxyOperator.KubeSandbox" --listen "127.0.0.1:$API_PORT" --kubeconfig "$KUBECONFIG" > "$WORK/sandbox.log" 2>&1 & SANDBOX_PID=$!; PIDS+=("$SANDBOX_PID")
wait_http "http://127.0.0.1:$API_PORT/version"
"$KUBECTL" apply -f "$SRC/config/crd/bases/proxyoperator.io_gomoduleproxies.yaml" >/dev/null
"$KUBECTL" wait --for condition=established --timeout 30s crd/gomoduleproxies.proxyoperator.io >/dev/null
"$KUBECTL" create namespace "$NAMESPACE" >/dev/null

echo "== starting the operator (leader election on, workers: ${WORKERS:-default})"
"$WORK/operator/proxy-operator" --kubeconfig "$KUBECONFIG" --listen "127.0.0.1:$METRICS_PORT" ${WORKERS:+--workers "$WORKERS"} \
  > "$WORK/operator.log" 2>&1 & OPERATOR_PID=$!; PIDS+=("$OPERATOR_PID")
# /readyz answers 200 once this process leads and its informers have synced.
wait_http "http://127.0.0.1:$METRICS_PORT/readyz" || { tail -20 "$WORK/operator.log" >&2; exit 1; }

status=0
python3 bench/operator-scale.py --server "http://127.0.0.1:$API_PORT" --namespace "$NAMESPACE" --count "$COUNT" \
  --statefulset-every "$STATEFULSET_EVERY" --operator-pid "$OPERATOR_PID" --sandbox-pid "$SANDBOX_PID" \
  --metrics "http://127.0.0.1:$METRICS_PORT/metrics" --timeout "$TIMEOUT" || status=$?
kill -0 "$OPERATOR_PID" 2>/dev/null || { echo "the operator exited during the run" >&2; status=1; }
warnings=$(grep -c -E '^(warn|fail|crit)' "$WORK/operator.log" || true)
echo "  operator log: $(wc -l < "$WORK/operator.log") lines, $warnings warnings or errors"
if [ "$status" != 0 ]; then echo "== last lines of the operator's log" >&2; tail -20 "$WORK/operator.log" >&2; fi
echo "  built from $BUILT"
echo "  machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(dotnet --version | sed 's/^/.NET SDK /')"
exit "$status"
