"""How fast the packages validate one event, as ratios to the pydantic models' parse measured in
the same run (machines are shared and noisy: only ratios are compared).

Rows, each the median over rounds of the time per event over the same events:
  valid events (every valid fixture)
    (a) pydantic: TypeAdapter(Event).validate_python(event)           the baseline
    (b) validate(event)                      the default, unknown keys allowed
    (c) validate(event, unknown_fields="deny")
    (d) the schema path alone (python-jsonschema: what validate() did for every event before
        the models' fast path; it still explains every refused event)
    (e) validate_body(body): parse as the contract does, then validate (bytes in)
    (f) json.loads(body), then validate(event)
    (g) npm validate(event)                  (node, in a child process driven round by round)
    (h) npm validateBody(body)
  events with one fault (each valid fixture with its `ref_id` cut short, or an impossible date)
    (i) pydantic, refusing
    (j) validate(event): the models refuse, python-jsonschema explains
    (k) npm validate(event)

Usage: python bench.py [--rounds N] [--quick] REPO_ROOT NPM_PROJECT
  run in a venv where the built opentact-events wheel is installed; NPM_PROJECT is a folder where
  the built @opentact/events tarball and bench.mjs are (tools/packages/bench/run.sh sets both up).
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from pydantic import TypeAdapter

import opentact_events
from opentact_events import validate, validate_body
from opentact_events.models import Event

try:
    from opentact_events._validate import _explain
except ImportError:  # a package from before the fast path
    _explain = None

parser = argparse.ArgumentParser()
parser.add_argument("--rounds", type=int, default=15)
parser.add_argument("--quick", action="store_true", help="3 rounds of few repeats: a smoke test")
parser.add_argument("root", type=Path)
parser.add_argument("npm_project", type=Path)
args = parser.parse_args()
rounds = 3 if args.quick else args.rounds
repeat = 2 if args.quick else 20

valid = [json.loads(p.read_text()) for p in sorted((args.root / "fixtures" / "valid").glob("*/*.json"))]
faulty = []
for event in valid:
    one = json.loads(json.dumps(event))
    if isinstance(one.get("ref_id"), str):
        one["ref_id"] = one["ref_id"][:-1]
    else:
        one["created_on"] = "2024-02-30T16:41:36.253Z"
    faulty.append(one)
bodies = [json.dumps(e).encode() for e in valid]
for event in faulty:
    assert validate(event), "every faulty event is refused"
for event in valid:
    assert validate(event) == [] and validate(event, unknown_fields="deny") == []

adapter = TypeAdapter(Event)


def refusing(event):
    try:
        adapter.validate_python(event)
    except Exception:
        pass


python_rows = {
    "a": ("pydantic parse", lambda: [adapter.validate_python(e) for e in valid], len(valid)),
    "b": ("validate(event), default", lambda: [validate(e) for e in valid], len(valid)),
    "c": ('validate(event, unknown_fields="deny")', lambda: [validate(e, unknown_fields="deny") for e in valid], len(valid)),
    "e": ("validate_body(bytes)", lambda: [validate_body(b) for b in bodies], len(valid)),
    "f": ("json.loads + validate(event)", lambda: [validate(json.loads(b)) for b in bodies], len(valid)),
    "i": ("pydantic parse, refusing", lambda: [refusing(e) for e in faulty], len(faulty)),
    "j": ("validate(event), refusing", lambda: [validate(e) for e in faulty], len(faulty)),
}
if _explain is not None:
    python_rows["d"] = ("schema path alone (python-jsonschema)", lambda: [_explain(e, "allow") for e in valid], len(valid))

node = subprocess.Popen(
    ["node", "bench.mjs", str(args.root.resolve())],
    cwd=args.npm_project,
    stdin=subprocess.PIPE,
    stdout=subprocess.PIPE,
    text=True,
)
node_names = {"g": "npm validate(event)", "h": "npm validateBody(bytes)", "k": "npm validate(event), refusing"}


def node_round(count: int) -> dict[str, float]:
    node.stdin.write(f"{count}\n")
    node.stdin.flush()
    return json.loads(node.stdout.readline())


samples: dict[str, list[float]] = {k: [] for k in [*python_rows, *node_names]}
for _ in range(rounds):
    for key, (_, run, events) in python_rows.items():
        start = time.perf_counter()
        for _ in range(repeat):
            run()
        samples[key].append((time.perf_counter() - start) / (repeat * events))
    for key, seconds in node_round(repeat).items():
        samples[key].append(seconds)
node.stdin.close()
node.wait()

median = {k: statistics.median(v) for k, v in samples.items()}
names = {**{k: v[0] for k, v in python_rows.items()}, **node_names}
base = median["a"]
print(f"opentact-events {opentact_events.VERSION}; {len(valid)} valid events, {len(faulty)} with one fault;"
      f" {rounds} rounds, median time per event; ratio = time / (a)")
print(f"| row | {'what':<42} | µs/event | ratio to (a) |")
print(f"|---|{'-' * 44}|---:|---:|")
for key in sorted(median):
    print(f"| ({key}) | {names[key]:<42} | {median[key] * 1e6:8.1f} | {median[key] / base:6.2f}x |")
ratio = median["b"] / base
print(f"validate() / pydantic parse: {ratio:.2f}x (goal: within 3x)")
