#!/usr/bin/env bash
# evbench's `peers` benchmark (crates/evbench/README.md): `evschema validate` against
# sourcemeta's jsonschema CLI and the ajv standalone validators of our npm package, as whole
# processes on the same NDJSON lines.
#
#   bash tools/bench/run.sh install   # the pinned peers, and the npm package built from this tree
#   bash tools/bench/run.sh [ARGS]    # installs them if missing, builds evschema and the
#                                     # benchmark (release), and runs it: ARGS go to `peers`
#                                     # (--events N, --runs N, --no-parallel, --keep)
#
# The peers go into a scratch project, target/bench-peers/: package.json and package-lock.json
# from here (`npm ci`: sourcemeta's @sourcemeta/jsonschema, ajv and ajv-formats, exact versions),
# then the tarball `cargo xtask package npm` builds, installed as a user installs it. `install`
# always rebuilds the tarball, so that its validators are compiled from this tree's schemas (the
# benchmark refuses a package built from other schemas).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$root/target/bench-peers"
bin="${CARGO_TARGET_DIR:-$root/target}/release"

install() {
  (cd "$root" && cargo xtask package npm)
  local version tarball
  version="$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).version' "$root/schemas/index.json")"
  tarball="$root/target/packages/npm/opentact-events-$version.tgz"
  if [[ ! -f "$tarball" ]]; then
    echo "run.sh: cargo xtask package npm did not write $tarball" >&2
    exit 1
  fi
  rm -rf "$work" && mkdir -p "$work"
  cp "$here/package.json" "$here/package-lock.json" "$work/"
  (cd "$work" && npm ci --no-audit --no-fund --loglevel=error &&
    npm install --no-save --no-audit --no-fund --loglevel=error "$tarball")
}

if [[ "${1:-}" == install ]]; then
  install
  exit 0
fi

# npm writes node_modules/.package-lock.json on every install, so a lock file newer than it
# means the installed peers no longer match what is pinned.
if [[ ! -f "$work/node_modules/@opentact/events/package.json" ||
  "$here/package-lock.json" -nt "$work/node_modules/.package-lock.json" ]]; then
  install
fi
(cd "$root" && cargo build --release -p evschema -p evbench)
exec "$bin/peers" --evschema "$bin/evschema" "$@"
