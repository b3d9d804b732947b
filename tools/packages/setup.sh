#!/usr/bin/env bash
# Installs the pinned build tools of `cargo xtask package` under tools/packages: ajv and
# ajv-formats (npm, package-lock.json) and hatchling and maturin (PyPI, requirements-build.txt).
# Safe to run again and again: each set is installed only when missing or stale.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# npm writes node_modules/.package-lock.json on every install, so a lock file newer than it
# means the installed packages no longer match what is pinned.
if [[ ! -f "$here/node_modules/.package-lock.json" || "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

venv="$here/.venv"
if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
fi
if ! cmp -s "$here/requirements-build.txt" "$venv/installed-requirements.txt"; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements-build.txt"
  cp "$here/requirements-build.txt" "$venv/installed-requirements.txt"
fi
