#!/usr/bin/env bash
# The packages' speed benchmark (bench.py): installs the built opentact-events wheel and the
# @opentact/events tarball (target/packages/, `cargo xtask package npm python`) into scratch
# projects under target/packages-bench/, with the pinned dependencies of the package tests, and
# prints the table. Arguments go to bench.py (`--rounds N`, `--quick`).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
packages="$root/target/packages"
work="$root/target/packages-bench"
if ! compgen -G "$packages/python/opentact_events-*.whl" > /dev/null || ! compgen -G "$packages/npm/*.tgz" > /dev/null; then
  (cd "$root" && cargo xtask package npm python)
fi
rm -rf "$work" && mkdir -p "$work/npm"
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  -c "$root/tools/packages/test/python/requirements.txt" -r "$root/tools/packages/test/python/requirements.txt" \
  "$packages"/python/opentact_events-*.whl
cp "$root/tools/packages/test/npm/package.json" "$root/tools/packages/test/npm/package-lock.json" "$here/bench.mjs" "$work/npm/"
(cd "$work/npm" && npm ci --no-audit --no-fund --loglevel=error &&
  npm install --no-save --no-audit --no-fund --loglevel=error "$packages"/npm/opentact-events-*.tgz)
"$work/venv/bin/python" "$here/bench.py" "$@" "$root" "$work/npm"
