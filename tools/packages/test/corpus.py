"""Writes the corpus the packages' tests judge against evschema: every fixture, then single-fault
mutations of every valid fixture (a key removed, null, a value of another type, a string with a
trailing newline or empty, a number negative, fractional, past 2^53, past 64 bits or past the
range of a double (`1e400`, written as such), an unlisted key added, an array or object nested
past evschema's depth limit), one event per line.

Usage: python corpus.py REPO_ROOT OUT.ndjson
The reports of the installed `evschema validate --format json` on OUT.ndjson are the truth the
npm and Python packages are compared with, line by line.
"""

import copy
import json
import sys
from pathlib import Path

MISSING = object()

# A number JSON can write but Python cannot dump (json.dumps writes `Infinity`): written in the
# line's text in place of this marker.
PAST_DOUBLE = "\u0000past-double\u0000"

# Nested past evschema's limit (127 levels of arrays and objects) wherever it is put.
TOO_DEEP: list = []
for _ in range(130):
    TOO_DEEP = [TOO_DEEP]


def nodes(value, path=()):
    """Every (path, value) of a JSON value, the root first."""
    yield path, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from nodes(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from nodes(child, (*path, index))


def replaced(event, path, new):
    out = copy.deepcopy(event)
    parent = out
    for token in path[:-1]:
        parent = parent[token]
    if new is MISSING:
        del parent[path[-1]]
    else:
        parent[path[-1]] = new
    return out


def mutations(value):
    """(name, new value) for one position; MISSING removes the key."""
    yield "null", None
    if isinstance(value, bool):
        yield "string", "true"
    elif isinstance(value, (int, float)):
        yield "string", str(value)
        yield "negative", -1
        yield "fraction", 1.5
        yield "past_2_53", 9007199254740993
        yield "past_64_bits", 2**64
        yield "past_double", PAST_DOUBLE
    elif isinstance(value, str):
        yield "number", 7
        yield "empty", ""
        yield "trailing_newline", value + "\n"
        yield "upper_case", value.upper()
    elif isinstance(value, dict):
        yield "array", []
        yield "unlisted_key", {**value, "unlisted_key": 1}
        yield "too_deep", TOO_DEEP
    elif isinstance(value, list):
        yield "object", {}
        yield "one_null_item", [None]
        yield "too_deep", TOO_DEEP


def pattern(path):
    return "/".join("[]" if isinstance(p, int) else p for p in path)


def main():
    root, out = Path(sys.argv[1]), Path(sys.argv[2])
    lines = []
    for group in ("valid", "invalid"):
        for path in sorted((root / "fixtures" / group).glob("*/*.json")):
            lines.append(json.dumps(json.loads(path.read_text()), separators=(",", ":")))
    fixtures = len(lines)
    # Each fault once per event type, call state and position (array items alike): the same
    # fault in the same place of another fixture of the same shape says nothing new.
    seen = set()
    for path in sorted((root / "fixtures" / "valid").glob("*/*.json")):
        event = json.loads(path.read_text())
        state = (event.get("call") or {}).get("state") if isinstance(event, dict) else None
        for where, value in nodes(event):
            changes = list(mutations(value)) if where else []
            if where and isinstance(where[-1], str):
                changes.append(("absent", MISSING))
            for name, new in changes:
                key = (path.parent.name, state, pattern(where), name)
                if key in seen:
                    continue
                seen.add(key)
                line = json.dumps(replaced(event, where, new), separators=(",", ":"))
                lines.append(line.replace(json.dumps(PAST_DOUBLE), "1e400"))
    out.write_text("".join(line + "\n" for line in lines))
    print(f"corpus: {len(lines)} events ({fixtures} fixtures, {len(lines) - fixtures} mutations)")


if __name__ == "__main__":
    main()
