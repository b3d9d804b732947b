#!/usr/bin/env bash
# Creates the Arrow tests' venv in DIR with the pinned requirements (requirements.txt: pyspark,
# pyarrow, pandas, dask, duckdb, pytest), then writes DIR/.ready, or DIR/.failed with pip's
# output. Mostly downloads and unpacking (pyspark is about 300 MB), so .ci/run starts it in the
# background at the beginning of the run and the packages step waits for it
# (tools/packages/test/run.sh); run alone, that step calls it in the foreground.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="$1"
rm -rf "$dir"
mkdir -p "$(dirname "$dir")"
log="$(mktemp)"
if python3 -m venv "$dir" > "$log" 2>&1 &&
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check -c "$here/requirements.txt" \
    -r "$here/requirements.txt" >> "$log" 2>&1; then
  touch "$dir/.ready"
else
  mkdir -p "$dir" && cp "$log" "$dir/.failed"
fi
rm -f "$log"
