#!/usr/bin/env bash
# Type-checks the event fixtures against the generated TypeScript declarations in types/.
# Safe to run again and again: typescript is installed only when missing or stale.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

# npm writes node_modules/.package-lock.json on every install, so a lock file newer than
# it means the installed packages no longer match what is pinned.
if [[ ! -f "$here/node_modules/.package-lock.json" || "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund)
fi

# `run.sh install`: only the installs above (.ci/run fetches them in the background early).
[[ "${1:-}" == install ]] && exit 0

cd "$root"
node "$here/check_types.mjs" "$root"
