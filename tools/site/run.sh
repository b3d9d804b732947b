#!/usr/bin/env bash
# Writes the reference site (cargo xtask site) and checks it in headless Chromium: every page,
# link and $id path, the field tree, the search, no console error; screenshots of every page in
# target/site-screenshots/ for review.
# Installs what it needs: Debian's chromium package (when /usr/bin/chromium is missing; Debian
# ships one current version per release, so it cannot be pinned to an exact build) and the
# pinned playwright-core (package-lock.json), which drives it and downloads no browser.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [[ ! -x /usr/bin/chromium ]]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium > /dev/null
fi
/usr/bin/chromium --version 2> /dev/null || true

if [[ ! -f "$here/node_modules/.package-lock.json" || "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

# `run.sh install`: only the installs above (.ci/run fetches them in the background early).
[[ "${1:-}" == install ]] && exit 0

cd "$root"
cargo xtask site
node "$here/check_site.mjs" "$root/target/site" "$root/target/site-screenshots"
