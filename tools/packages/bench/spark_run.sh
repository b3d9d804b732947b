#!/usr/bin/env bash
# The Spark benchmark (spark_bench.py): builds the optimised evschema wheel (`cargo xtask package
# wheel`, about 8 minutes on 2 cores, skipped when one is built), installs it with the Arrow
# tests' pinned Spark and python-jsonschema into target/spark-bench/venv, writes the 50,000-event
# corpus and prints the table. Arguments go to spark_bench.py (`--rounds N`); EVENTS=N changes
# the corpus's size.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
work="$root/target/spark-bench"
cd "$root"
if [[ "${REBUILD:-0}" == 1 ]] || ! compgen -G "target/packages/python/evschema-*.whl" > /dev/null; then
  bash tools/packages/setup.sh && cargo xtask package wheel
fi
mkdir -p "$work"
if [[ ! -x "$work/venv/bin/python" ]]; then
  python3 -m venv "$work/venv"
fi
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  -c "$root/tools/packages/test/arrow/requirements.txt" -r "$root/tools/packages/test/arrow/requirements.txt" \
  jsonschema==4.26.0 jsonschema-specifications==2025.9.1 referencing==0.37.0 rpds-py==2026.9.1 attrs==26.1.0
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps target/packages/python/evschema-*.whl
cargo run --release --quiet --locked -p evbench --bin gen-corpus -- --events "${EVENTS:-50000}" -o "$work/corpus.ndjson"
PATH="$work/venv/bin:$PATH" PYSPARK_PYTHON="$work/venv/bin/python" \
  "$work/venv/bin/python" "$here/spark_bench.py" "$root" "$work/corpus.ndjson" "$@"
