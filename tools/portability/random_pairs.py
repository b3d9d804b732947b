"""Re-checks the breaking-change check's random schema pairs with python-jsonschema.

`cargo test` (crates/evcompat/tests/it/compat_props.rs) writes target/tmp/compat-random-pairs.json:
a pool of values (with keys and strings where regular-expression dialects differ, and integers
beside their float twins), every direction it called compatible (the producer's and the
reader's schema), and every witness it showed. Here another implementation, with Python's `re`
and Python's int/float, must agree: no pool value is accepted by a compatible direction's
producer and refused by its reader, and every witness is accepted by its producer and refused
by its reader. Each schema is read with the validator of its own `$schema` draft and its
format checker.
"""

import json
import sys

from jsonschema import validators


def validator(schema, cache):
    key = json.dumps(schema, sort_keys=True)
    if key not in cache:
        cls = validators.validator_for(schema)
        try:
            cls.check_schema(schema)
            cache[key] = cls(schema, format_checker=cls.FORMAT_CHECKER)
        except Exception:  # a schema python cannot compile (an ECMA-only pattern): skipped
            cache[key] = None
    return cache[key]


def accepts(v, value):
    try:
        return v.is_valid(value)
    except Exception:  # a pattern python's `re` cannot compile at validation time
        return None


def main(path):
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        print(f"{path}: missing; `cargo test --workspace` writes it", file=sys.stderr)
        return 1
    cache = {}
    failures = []
    skipped = 0
    for pair in data["compatible"]:
        p, r = validator(pair["producer"], cache), validator(pair["reader"], cache)
        if p is None or r is None:
            skipped += 1
            continue
        for value in data["pool"]:
            if accepts(p, value) and accepts(r, value) is False:
                failures.append(
                    f'{pair["direction"]} called compatible, but {json.dumps(value)} breaks it: '
                    f'{json.dumps(pair["producer"])} -> {json.dumps(pair["reader"])}'
                )
                break
    for w in data["witnesses"]:
        p, r = validator(w["producer"], cache), validator(w["reader"], cache)
        if p is None or r is None:
            skipped += 1
            continue
        if not (accepts(p, w["witness"]) and accepts(r, w["witness"]) is False):
            failures.append(
                f'the witness {json.dumps(w["witness"])} of {w["rule"]} does not hold: '
                f'{json.dumps(w["producer"])} -> {json.dumps(w["reader"])}'
            )
    # The format verdicts witnesses may rest on (`agreed_format_verdicts`).
    checker = validators.validator_for({}).FORMAT_CHECKER
    for f in data["formats"]:
        if checker.conforms(f["text"], f["format"]) != f["valid"]:
            failures.append(f'format {f["format"]}: {json.dumps(f["text"])} is taken as agreed, but python says {not f["valid"]}')
    for line in failures:
        print(f"python-jsonschema disagrees: {line}")
    print(
        f'compat random pairs: {len(data["compatible"])} compatible directions and '
        f'{len(data["witnesses"])} witnesses checked by python-jsonschema over '
        f'{len(data["pool"])} values and {len(data["formats"])} format verdicts, '
        f'{skipped} schemas python cannot compile, '
        f"{len(failures)} disagreements"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
