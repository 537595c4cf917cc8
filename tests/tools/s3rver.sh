#!/usr/bin/env bash
# Installs s3rver, the S3-protocol server the S3 storage tests start on 127.0.0.1.
# Usage: tests/tools/s3rver.sh [DEST]   (default: <repo>/.tools/s3rver, git-ignored)
# Tests run DEST/node_modules/.bin/s3rver (or $S3RVER). Idempotent: does nothing when that binary already runs.
# The version is pinned so a new release cannot change the protocol quirks the tests and S3ModuleStore rely on.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/../.." && pwd)"
dest="${1:-$repo_root/.tools/s3rver}"
package="${S3RVER_PACKAGE:-s3rver@3.7.1}"
bin="$dest/node_modules/.bin/s3rver"

binary_runs() {
  [[ -x "$bin" ]] && "$bin" --version >/dev/null 2>&1
}

if binary_runs; then
  echo "s3rver: $("$bin" --version 2>/dev/null) in $dest"
  exit 0
fi

command -v npm >/dev/null 2>&1 || { echo "s3rver.sh: npm is required" >&2; exit 1; }

# Installed into a staging folder and moved into place, so an interrupted install never looks complete.
mkdir -p "$(dirname "$dest")"
work="$(mktemp -d "$(dirname "$dest")/.s3rver-install.XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "Installing $package ..." >&2
printf '{"name":"s3rver-tool","private":true}\n' >"$work/package.json"
(cd "$work" && npm install --no-audit --no-fund --silent "$package" >/dev/null)
rm -rf "$dest"
mv "$work" "$dest"
trap - EXIT

binary_runs || { echo "s3rver.sh: $bin does not run" >&2; exit 1; }
echo "s3rver: $("$bin" --version 2>/dev/null) in $dest"
