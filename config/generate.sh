#!/usr/bin/env bash
# Renders config/rbac and config/manager from the Helm chart's default values (release proxy-operator in namespace
# proxy-operator-system), so the kustomize install and the chart never differ. Run from anywhere:
#   bash config/generate.sh [OUTPUT_DIR]      (default: config/ itself; a test renders into a temp dir and compares)
# HELM defaults to .tools/kube-clients/helm (make deps fetches it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/config}
helm=${HELM:-$root/.tools/kube-clients/helm}
render() {
  # Helm's own labels say nothing true of a kustomize install: the managed-by label becomes kustomize.
  "$helm" template proxy-operator "$root/charts/proxy-operator" --namespace proxy-operator-system --show-only "templates/$1" \
    | sed -e '/^# Source: /d' -e '/^ *helm.sh\/chart: /d' -e 's|app.kubernetes.io/managed-by: Helm|app.kubernetes.io/managed-by: kustomize|'
}
header() { printf '# Generated from charts/proxy-operator by config/generate.sh: do not edit (a test fails on drift).\n'; }
mkdir -p "$out/rbac" "$out/manager"
{ header; render serviceaccount.yaml; } > "$out/rbac/service_account.yaml"
{ header; render rbac.yaml; } > "$out/rbac/role.yaml"
{ header; render leader-election-rbac.yaml; } > "$out/rbac/leader_election_role.yaml"
{ header; render deployment.yaml; } > "$out/manager/manager.yaml"
{ header; render service.yaml; } > "$out/manager/metrics_service.yaml"
