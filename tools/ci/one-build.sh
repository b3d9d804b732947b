#!/usr/bin/env bash
# After `cargo test --workspace`, the commands that build part of the workspace on their own
# (`cargo xtask`, `cargo test -p evcontract`, which `cargo xtask new-event` runs, and the wheel's
# binary in `cargo xtask package --dev`) must reuse that build and compile only their own crate. When a dependency update turns a feature on in one
# build and not in the other, they compile the whole graph again (about 100 s each on 2 cores);
# this fails then, naming the crates, so that crates/workspace-hack/Cargo.toml gets the feature.
set -euo pipefail
cd "$(dirname "$0")/../.."

# The units a cargo command compiled (not fresh), but for the packages it is meant to compile.
compiled() {
  local allowed="$1"
  shift
  cargo "$@" --locked --quiet --message-format json |
    python3 -c '
import json, sys
allowed = set(sys.argv[1].split(","))
for line in sys.stdin:
    try:
        message = json.loads(line)
    except ValueError:
        continue
    if message.get("reason") != "compiler-artifact" or message.get("fresh"):
        continue
    name = message["target"]["name"]
    package = message["package_id"]
    if not any(("/" + a + "#") in package or package.startswith(a + "@") or ("#" + a + "@") in package for a in allowed):
        print(f"{name} ({package})")
' "$allowed"
}

status=0
# Each command, and the workspace's packages it may compile (its own; the wheel's binary is the
# one the tests built).
for check in "xtask,evcontract:build -p xtask" "xtask,evcontract:test -p evcontract --test it --no-run" \
  "none:build -p evschema -p evschema-python --features evschema-python/one-build --bin evschema"; do
  command="${check#*:}"
  # shellcheck disable=SC2086 # the command's words
  rebuilt=$(compiled "${check%%:*}" $command)
  if [[ -n "$rebuilt" ]]; then
    echo "FAIL  one build: \`cargo $command\` after \`cargo test --workspace\` compiled again:" >&2
    echo "$rebuilt" | sed 's/^/  /' >&2
    echo "  turn the features the test build has on in crates/workspace-hack/Cargo.toml" >&2
    echo "  (\`cargo tree --workspace -e features,normal,build,dev -i <crate>\` shows who turns them on)" >&2
    status=1
  else
    echo "ok    one build: \`cargo $command\` reused the test build"
  fi
done
exit $status
