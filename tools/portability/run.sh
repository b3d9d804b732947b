#!/usr/bin/env bash
# Checks the generated event schemas and fixtures with ajv and python-jsonschema.
# Safe to run again and again: each tool set is installed only when missing or stale.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

# npm writes node_modules/.package-lock.json on every install, so a lock file newer than
# it means the installed packages no longer match what is pinned.
if [[ ! -f "$here/node_modules/.package-lock.json" || "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund)
fi

# A copy of the requirements kept inside the venv records what was installed, so the
# venv is brought up to date whenever requirements.txt changes, or a package went missing.
venv="$here/.venv"
if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
fi
if ! cmp -s "$here/requirements.txt" "$venv/installed-requirements.txt" ||
  ! "$venv/bin/python" -c 'import jsonschema, rfc3339_validator' 2>/dev/null; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$venv/installed-requirements.txt"
fi

# Both checks run to the end so that one report never hides the other.
# `run.sh install`: only the installs above (.ci/run fetches them in the background early).
[[ "${1:-}" == install ]] && exit 0

cd "$root"
status=0
node "$here/check_ajv.mjs" "$root" || status=1
"$venv/bin/python" "$here/check_python.py" "$root" || status=1
# The breaking-change check's witnesses (written by `cargo test`), re-checked by python-jsonschema.
"$venv/bin/python" "$here/witnesses.py" "${CARGO_TARGET_DIR:-$root/target}/tmp/compat-witnesses.json" || status=1
# The random schema pairs of the property test (compatible directions over a pool of values
# where dialects and number types differ, and every witness), re-checked by both.
"$venv/bin/python" "$here/random_pairs.py" "${CARGO_TARGET_DIR:-$root/target}/tmp/compat-random-pairs.json" || status=1
node "$here/random_pairs.mjs" "${CARGO_TARGET_DIR:-$root/target}/tmp/compat-random-pairs.json" || status=1
exit "$status"
