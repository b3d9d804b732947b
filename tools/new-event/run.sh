#!/usr/bin/env bash
# End to end: `cargo xtask new-event` on the synthetic captures in tools/new-event/captures
# (mixed types, gzip, a folder, an unparsable line: see make_captures.py) drafts a type that
# passes, with no hand edit, the contract check, rustfmt, clippy with warnings denied, and the
# catalog's tests of fixtures and properties (the new type among every other). The checkout is
# restored afterwards, whatever happens. CI runs it last: it rebuilds the catalog's crates.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ -n "$(git status --porcelain)" ]; then
  echo "tools/new-event/run.sh: run it on a clean checkout (it restores the tree with git)" >&2
  exit 1
fi
restore() {
  git checkout -q -- .
  git clean -fdq -- crates fixtures schemas docs types releases
}
trap restore EXIT

type=sample_event
out=$(mktemp)
cargo xtask new-event "$type" --from tools/new-event/captures | tee "$out"

fail() { echo "tools/new-event/run.sh: $*" >&2; exit 1; }
# What it read, decided and wrote.
grep -q "^read 40 \`$type\` event(s)" "$out" || fail "not every capture was read"
grep -q "other types, not used: 2 auth, 3 call_state" "$out" || fail "other types not counted"
grep -q "part-1.ndjson:8:36: unparsable, skipped" "$out" || fail "the unparsable line is not reported"
grep -q "files passed over (not .json, .ndjson or .jsonl): 1" "$out" || fail "the passed-over file is not counted"
grep -q "enum \`SampleEventPayloadState\`: 4 values" "$out" || fail "no enum drafted"
grep -q "/account: \`CallAccount\` (the catalog's)" "$out" || fail "the account is not reused"
grep -q "the drafted contract accepts all 40 captures" "$out" || fail "captures refused"
test -f "crates/opentact-events/src/events/$type.rs" || fail "no model module"
grep -q "SampleEvent = \"$type\"" crates/opentact-events/src/events.rs || fail "not registered"
test -f "schemas/$type.json" || fail "no schema generated"
test -f "docs/events/$type.md" || fail "no reference page generated"
ls fixtures/valid/$type/captured-*.json > /dev/null || fail "no valid fixtures"
ls fixtures/invalid/$type/*.expect > /dev/null || fail "no invalid fixtures"
grep -q "\"event_type\": \"$type\"" releases/approvals.json || fail "no draft approval"

# No hand edit: formatting, lints, the contract check and the catalog's own tests pass.
cargo fmt --all --check
cargo clippy --package opentact-events --all-targets --all-features -- -D warnings
cargo xtask check
cargo test --package opentact-events --package evcontract --test it -- \
  fixtures:: freshness:: proptests::model_values proptests::mutated
echo "new-event end to end: ok"
