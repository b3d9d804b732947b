#!/usr/bin/env bash
# CI for what other teams install: builds every package with `cargo xtask package`, checks that
# the build is reproducible, then installs each one from its built artifact into a scratch
# project under target/packages-test/ and tests it as its users would:
#   - the evschema wheel: a fresh venv, the installed binary on the fixtures, the repository's
#     pre-commit hook run by pre-commit; its JSON report of the corpus is the truth below;
#   - the evschema wheel's Python module (arrow/test_arrow.py): evschema.check and
#     evschema.spark (local[2] and a standalone cluster) equal to the binary's records, the Dask
#     and DuckDB recipes;
#   - opentact-events (Python): a fresh venv, pytest: validate(), validate_body() on hostile
#     bodies, and the pydantic models; again with the oldest dependencies the wheel allows;
#   - @opentact/events (npm): npm pack's tarball, tsc --strict on a consumer, node over every
#     fixture, the corpus and the hostile bodies;
#   - each registry's own check of what would be published: `npm publish --dry-run`,
#     `twine check`, `cargo publish --dry-run`;
#   - the README's consumer guide: every code block run or compiled (readme/run.sh);
#   - the Python speed benchmark, in a short run (bench/bench.py; its full run is for people).
#   - opentact-events (crate): `cargo package` (which builds the packed crate), `cargo doc`
#     with warnings denied, and the NDJSON example on the fixtures.
# Every tool it installs is pinned (package-lock.json, requirements.txt files).
#
# WHEEL_PROFILE=release builds the wheel optimised (about 8 minutes on 2 cores); the default
# builds it in the `dev` profile (`cargo xtask package --dev`), reusing the build of `cargo test
# --workspace` when it ran before, which is enough to test the wheel's packaging.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
work="$root/target/packages-test"
packages="$root/target/packages"
cd "$root"

step() { printf -- '-- %s\n' "$*"; }
elapsed() { printf '   (%ss)\n' "$((SECONDS - $1))"; }

rm -rf "$work"
mkdir -p "$work"

t=$SECONDS
step "cargo xtask package (wheel profile: ${WHEEL_PROFILE:-dev})"
if [[ "${WHEEL_PROFILE:-dev}" == release ]]; then
  cargo xtask package
else
  cargo xtask package --dev
fi
elapsed "$t"

t=$SECONDS
step "reproducible: the npm and Python packages built again are the same bytes"
(cd "$packages" && sha256sum npm/*.tgz python/opentact_events-* crates/*.crate) > "$work/first.sha256"
cargo xtask package npm python > /dev/null
(cd "$packages" && sha256sum --check --quiet "$work/first.sha256")
cat "$work/first.sha256"
elapsed "$t"

step "the corpus: every fixture and single-fault mutations of the valid ones"
python3 "$here/corpus.py" "$root" "$work/corpus.ndjson"

# -------------------------------------------------------------------------------------------
t=$SECONDS
step "evschema wheel: fresh venv, pip install the wheel"
python3 -m venv "$work/evschema-venv"
wheel_py="$work/evschema-venv/bin/python"
"$wheel_py" -m pip install --quiet --disable-pip-version-check -r "$here/wheel/requirements.txt" "$packages"/python/evschema-*.whl
# The truth for the packages below: the installed evschema's report of the corpus.
set +e
"$work/evschema-venv/bin/evschema" validate --format json "$work/corpus.ndjson" > "$work/reports.ndjson"
status=$?
set -e
if [[ $status -ne 1 ]]; then
  echo "evschema on the corpus exited $status; expected 1 (the corpus has invalid events)" >&2
  exit 1
fi
# The same corpus with unknown fields allowed: the truth for the packages' defaults.
set +e
"$work/evschema-venv/bin/evschema" validate --format json --unknown-fields allow "$work/corpus.ndjson" > "$work/reports-allow.ndjson"
status=$?
set -e
[[ $status -eq 1 ]] || { echo "evschema --unknown-fields allow on the corpus exited $status; expected 1" >&2; exit 1; }
# Hostile bodies, one file each: the truth for the packages' body readers.
python3 "$here/hostile.py" "$root" "$work/hostile"
set +e
"$work/evschema-venv/bin/evschema" validate --format json "$work/hostile" > "$work/hostile-report.ndjson"
status=$?
set -e
[[ $status -eq 1 ]] || { echo "evschema on the hostile bodies exited $status; expected 1" >&2; exit 1; }
mkdir -p "$work/wheel-tests" && cp "$here/wheel/test_evschema_wheel.py" "$work/wheel-tests/"
OPENTACT_ROOT="$root" OPENTACT_WHEELS="$packages/python" \
  "$wheel_py" -m pytest -q -p no:cacheprovider --rootdir "$work/wheel-tests" "$work/wheel-tests"
elapsed "$t"

# -------------------------------------------------------------------------------------------
t=$SECONDS
step "evschema wheel's Arrow checker: pyarrow, Spark (local and a standalone cluster), Dask, DuckDB"
# Spark 4 needs Java 17 or newer: Debian's openjdk-17-jre-headless when the machine has no java
# or an older one.
java_major() { java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
if ! command -v java > /dev/null || (( $(java_major) < 17 )); then
  sudo=""
  [[ $EUID -eq 0 ]] || sudo=sudo
  $sudo apt-get install -y --no-install-recommends openjdk-17-jre-headless > /dev/null
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(ls /usr/lib/jvm/java-17-openjdk-*/bin/java | head -1)")")")"
  export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
fi
java -version 2>&1 | head -1
# The venv with the pinned requirements: made in the background by .ci/run (ARROW_VENV), else
# here.
arrow_venv="${ARROW_VENV:-$work/arrow-venv}"
if [[ -z "${ARROW_VENV:-}" ]]; then
  bash "$here/arrow/venv.sh" "$arrow_venv"
fi
for _ in $(seq 1 900); do
  [[ -e "$arrow_venv/.ready" || -e "$arrow_venv/.failed" ]] && break
  sleep 1
done
if [[ ! -e "$arrow_venv/.ready" ]]; then
  echo "the Arrow tests' venv was not made:" >&2
  cat "$arrow_venv/.failed" >&2 2>/dev/null || echo "(still not ready after 15 minutes)" >&2
  exit 1
fi
"$arrow_venv/bin/python" -m pip install --quiet --disable-pip-version-check -c "$here/arrow/requirements.txt" \
  "$packages"/python/evschema-*.whl
# A slice of the benchmark corpus (3,000 realistic events, about 2% with one fault).
# Built with the test build's features (`--tests` brings the dev-dependencies in, as `cargo test
# --workspace` did): only the binary itself compiles here. Without `--tests` the features differ
# and the whole graph compiled again (80 s on 2 cores).
cargo build --quiet --locked --workspace --tests --bin gen-corpus
"$root/target/debug/gen-corpus" --events 3000 --seed 7 -o "$work/bench-slice.ndjson"
mkdir -p "$work/arrow-tests" && cp "$here"/arrow/{test_arrow.py,cluster_job.py} "$work/arrow-tests/"
# The tests (about 100 s, most of it Spark's JVMs starting, on one core at a time) run beside
# the steps below; their output is printed whole, and their status taken, before "sizes".
arrow_started=$SECONDS
OPENTACT_ROOT="$root" OPENTACT_CORPUS="$work/corpus.ndjson" OPENTACT_BENCH_SLICE="$work/bench-slice.ndjson" \
  PATH="$arrow_venv/bin:$PATH" \
  "$arrow_venv/bin/python" -m pytest -q -p no:cacheprovider --rootdir "$work/arrow-tests" "$work/arrow-tests/test_arrow.py" \
  > "$work/arrow-tests.log" 2>&1 &
arrow_tests=$!
# A step below that fails ends the run: the tests are stopped with it.
trap 'kill "$arrow_tests" 2> /dev/null || true' EXIT
echo "   started; they run beside the steps below"
elapsed "$t"

# -------------------------------------------------------------------------------------------
t=$SECONDS
step "opentact-events (Python): fresh venvs (pinned and oldest allowed dependencies), pip install the wheel, pytest"
for dir in python-tests python-tests-oldest; do
  mkdir -p "$work/$dir" && cp "$here/python/test_opentact_events.py" "$work/$dir/"
done
# The two dependency sets are tested side by side (each is one process: the two cores do both
# in the time of one), each run's output kept whole and printed after it.
python_tests() {
  local deps="$1" venv="$2" tests="$3"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -c "$here/python/$deps.txt" \
    -r "$here/python/$deps.txt" "$packages"/python/opentact_events-*.whl
  "$venv/bin/python" -c 'from importlib.metadata import version as v; print("   pydantic", v("pydantic"), "jsonschema", v("jsonschema"))'
  (cd "$tests" && OPENTACT_ROOT="$root" OPENTACT_CORPUS="$work/corpus.ndjson" \
    OPENTACT_REPORTS="$work/reports.ndjson" OPENTACT_REPORTS_ALLOW="$work/reports-allow.ndjson" \
    OPENTACT_HOSTILE="$work/hostile" OPENTACT_HOSTILE_REPORT="$work/hostile-report.ndjson" \
    "$venv/bin/python" -m pytest -q -p no:cacheprovider --rootdir . test_opentact_events.py)
}
python_tests requirements "$work/python-venv" "$work/python-tests" > "$work/python-tests.log" 2>&1 &
pinned=$!
python_tests requirements-oldest "$work/python-venv-oldest" "$work/python-tests-oldest" > "$work/python-tests-oldest.log" 2>&1 &
oldest=$!
status=0
wait "$pinned" || status=$?
echo "   pinned dependencies:" && cat "$work/python-tests.log"
wait "$oldest" || status=$((status == 0 ? $? : status))
echo "   oldest dependencies the wheel allows:" && cat "$work/python-tests-oldest.log"
(( status == 0 )) || { echo "opentact-events (Python) tests failed" >&2; exit "$status"; }
py="$work/python-venv/bin/python"
elapsed "$t"

# -------------------------------------------------------------------------------------------
t=$SECONDS
step "@opentact/events (npm): scratch project, npm install the tarball, tsc --strict, node"
mkdir -p "$work/npm"
cp "$here"/npm/{package.json,package-lock.json,tsconfig.json,consumer.ts,check.mjs} "$work/npm/"
(
  cd "$work/npm"
  npm ci --no-audit --no-fund --loglevel=error
  npm install --no-save --no-audit --no-fund --loglevel=error "$packages"/npm/opentact-events-*.tgz
  npx --no-install tsc -p .
  echo "tsc --strict: consumer.ts compiles against the package's declarations"
  node --disallow-code-generation-from-strings check.mjs "$root" "$work/corpus.ndjson" "$work/reports.ndjson" \
    "$work/reports-allow.ndjson" "$work/hostile" "$work/hostile-report.ndjson"
)
elapsed "$t"

# -------------------------------------------------------------------------------------------
t=$SECONDS
step "the README's consumer guide: every code block run or compiled"
"$wheel_py" "$root/tools/packages/readme/check.py" "$root" "$work/readme" "$here/npm" "$py"
elapsed "$t"

# -------------------------------------------------------------------------------------------
t=$SECONDS
step "the speed benchmark, a short run (tools/packages/bench: its full run is for people)"
cp "$root/tools/packages/bench/bench.mjs" "$work/npm/"
"$py" "$root/tools/packages/bench/bench.py" --quick "$root" "$work/npm"
elapsed "$t"

# -------------------------------------------------------------------------------------------
t=$SECONDS
step "what would be published: each registry's dry run; the release workflow against GitHub's schema"
python3 -m venv "$work/release-venv"
"$work/release-venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  -c "$here/requirements-release.txt" -r "$here/requirements-release.txt"
(cd "$work" && npm publish --dry-run --access public --json "$packages"/npm/opentact-events-*.tgz 2>/dev/null) > "$work/npm-publish.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d=d.get("@opentact/events", d); assert d["name"] == "@opentact/events", d; print("   npm publish --dry-run:", d["name"], d["version"], len(d["files"]), "files")' "$work/npm-publish.json"
"$work/release-venv/bin/twine" check --strict "$packages"/python/*.whl "$packages"/python/*.tar.gz
"$work/release-venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows "$root/.github/workflows/release.yml"
# `cargo package` (above) built the packed crate; this checks what crates.io would be sent.
cargo publish --dry-run --locked --no-verify --allow-dirty --package opentact-events 2>&1 | tail -2
elapsed "$t"

# -------------------------------------------------------------------------------------------
t=$SECONDS
step "opentact-events (crate): cargo doc with warnings denied; the NDJSON example"
RUSTDOCFLAGS="-D warnings" cargo doc --package opentact-events --no-deps --locked --quiet
# The example, fed every valid fixture as one NDJSON stream, reads them all.
python3 -c 'import json,sys,glob; [print(json.dumps(json.load(open(p)))) for p in sorted(glob.glob(sys.argv[1] + "/fixtures/valid/*/*.json"))]' "$root" \
  > "$work/valid.ndjson"
# Built as `cargo test --workspace` builds it (same features), so CI compiles nothing here.
cargo build --quiet --locked --workspace --examples
example="$root/target/debug/examples/read_ndjson"
"$example" < "$work/valid.ndjson" > "$work/example.out"
tail -1 "$work/example.out"
valid_count=$(wc -l < "$work/valid.ndjson")
grep -qx "$valid_count events read, 0 refused" "$work/example.out"
# And refuses, naming the line and the pointer, what breaks the contract.
set +e
printf '%s\n' "$(head -1 "$work/valid.ndjson")" '{"type": "call_state"}' | \
  "$example" > /dev/null 2> "$work/example.err"
status=$?
set -e
[[ $status -eq 1 ]] && grep -q 'line 2: not an event: at "/' "$work/example.err"
echo "read_ndjson: $valid_count valid events read; an invalid line refused with its pointer"
elapsed "$t"

t=$SECONDS
step "evschema wheel's Arrow checker (started above): its tests' output"
status=0
wait "$arrow_tests" || status=$?
cat "$work/arrow-tests.log"
echo "   (the tests took $((SECONDS - arrow_started))s beside the steps above; waited $((SECONDS - t))s for them here)"
trap - EXIT
(( status == 0 )) || { echo "the Arrow checker's tests failed" >&2; exit "$status"; }

step "sizes"
(cd "$packages" && ls -l npm/*.tgz python/*.whl python/*.tar.gz crates/*.crate | awk '{printf "   %8.1f KiB  %s\n", $5/1024, $9}')
