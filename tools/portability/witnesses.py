"""Re-checks the breaking-change check's witnesses with python-jsonschema.

`cargo test` writes every witness of the evolution corpus (crates/evcompat/tests/data/compat)
to target/tmp/compat-witnesses.json: the producing side's schema, the reading side's schema, and
a value the first accepts and the second refuses by the Rust `jsonschema` crate. Here another
implementation must agree: each value is valid under the producer and invalid under the reader,
read with the validator of the schema's own `$schema` draft and its format checker.
"""

import json
import sys

from jsonschema import validators


def validator(schema):
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def main(path):
    try:
        with open(path, encoding="utf-8") as f:
            witnesses = json.load(f)
    except FileNotFoundError:
        print(f"{path}: missing; `cargo test --workspace` writes it", file=sys.stderr)
        return 1
    failures = []
    for w in witnesses:
        producer, reader = validator(w["producer"]), validator(w["reader"])
        accepted = producer.is_valid(w["witness"])
        refused = not reader.is_valid(w["witness"])
        if not (accepted and refused):
            failures.append(
                f'{w["case"]}, {w["direction"]} {w["rule"]}: {json.dumps(w["witness"])} is '
                + ("" if accepted else "refused by the producer")
                + (" and " if not accepted and not refused else "")
                + ("" if refused else "accepted by the reader")
            )
    for line in failures:
        print(f"python-jsonschema disagrees: {line}")
    print(f"compat witnesses: {len(witnesses) - len(failures)} of {len(witnesses)} confirmed by python-jsonschema")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
