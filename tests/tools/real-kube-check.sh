#!/usr/bin/env bash
# Runs the RealClients tests (the real kubectl and helm) against a REAL kube-apiserver 1.20 and
# kube-controller-manager, built from Debian's own source package by ../shared/tools/real-kube (DESIGN §5), so the
# tests are known to assert Kubernetes' behaviour and not only the sandbox's. Where the two disagree, the real one is
# right. The first run builds the binaries (about 3.5 minutes) into .tools/real-kube; later runs reuse them.
# Usage: tests/tools/real-kube-check.sh   (CONFIGURATION=Release by default; the test project must be built)
# Needs: golang-go, etcd-server, openssl, curl, python3 (make deps installs the Debian ones).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tools="${REAL_KUBE_TOOLS:-$repo/../shared/tools/real-kube}"
dest="${REAL_KUBE_DIR:-$repo/.tools/real-kube}"
configuration="${CONFIGURATION:-Release}"

if [[ ! -x "$tools/build.sh" && ! -f "$tools/build.sh" ]]; then
  echo "real-kube-check: $tools/build.sh not found (the shared/ folder beside the repository)" >&2
  exit 1
fi

mkdir -p "$repo/.tools"
bash "$tools/build.sh" "$dest" >"$repo/.tools/real-kube-build.log" 2>&1 ||
  { tail -20 "$repo/.tools/real-kube-build.log" >&2; echo "real-kube-check: build failed" >&2; exit 1; }

run="$(mktemp -d)"
stop() {
  if [[ -f "$run/pids" ]]; then
    pids=$(cat "$run/pids")
    kill $pids 2>/dev/null || true
    for _ in $(seq 1 50); do
      alive=0
      for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
      [[ $alive = 0 ]] && break
      sleep 0.1
    done
    kill -9 $pids 2>/dev/null || true
  fi
  rm -rf "$run"
}
trap stop EXIT

kubeconfig="$(bash "$tools/start.sh" "$run" "$dest/bin" | tail -n 1)"
echo "real kube-apiserver $("$dest/bin/kube-apiserver" --version 2>/dev/null) up; running RealClients against it"
KUBE_SANDBOX_KUBECONFIG="$kubeconfig" dotnet test "$repo/tests/ProxyOperator.KubeSandbox.Tests" -c "$configuration" --no-build \
  --filter "FullyQualifiedName~RealClients" --logger "console;verbosity=normal"
