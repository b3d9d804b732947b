#!/usr/bin/env bash
# The release workflow's first half of the evschema wheel, on each platform's runner (inside
# maturin's container on Linux, so the binary links against the same libc as the wheel's tag
# says): builds the `evschema` binary for TARGET, stripped, into the wheel's scripts data
# (crates/evschema-python/wheel-data/scripts/), which maturin then packs beside the Python
# module. `cargo xtask package wheel` does the same for this machine.
# Usage: bash tools/packages/wheel-binary.sh TARGET_TRIPLE
set -euo pipefail
target="$1"
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
cargo build --release --locked --package evschema --bin evschema --target "$target" \
  --config 'profile.release.strip="symbols"'
ext=""
[[ "$target" == *windows* ]] && ext=".exe"
scripts=crates/evschema-python/wheel-data/scripts
rm -rf crates/evschema-python/wheel-data
mkdir -p "$scripts"
cp "target/$target/release/evschema$ext" "$scripts/"
ls -l "$scripts"
