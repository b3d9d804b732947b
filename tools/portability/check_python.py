"""Checks that python-jsonschema accepts every generated event schema in deny mode
and gives every fixture the verdict its folder promises.

Usage: python tools/portability/check_python.py [REPO_ROOT]   (default: the current directory)
"""

import json
import sys
from pathlib import Path

# python-jsonschema skips "date-time" checks without a word when rfc3339-validator is
# missing, which would let bad timestamps pass; so its absence stops the run.
try:
    import rfc3339_validator  # noqa: F401
except ImportError:
    sys.exit("check_python.py: rfc3339_validator is not importable; install tools/portability/requirements.txt")

from jsonschema import Draft7Validator, Draft202012Validator
from jsonschema.exceptions import SchemaError

FORMAT_CHECKER = Draft202012Validator.FORMAT_CHECKER
# The same guard from the other side: the installed jsonschema must really check date-time.
if "date-time" not in FORMAT_CHECKER.checkers:
    sys.exit("check_python.py: this jsonschema's format checker does not check date-time")


def deny(node):
    """Returns the schema in deny mode: every object schema that lists its properties and
    says nothing about others gets "additionalProperties": false. Values of examples,
    const and enum are data, not schemas, so they are copied untouched."""
    if isinstance(node, list):
        return [deny(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: v if k in ("examples", "const", "enum") else deny(v) for k, v in node.items()}
    if out.get("type") == "object" and "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


def pointer(path):
    """Returns a JSON pointer, as the .expect files write them, for an error's path."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    schema_dir, fixture_dir = root / "schemas", root / "fixtures"
    index = json.loads((schema_dir / "index.json").read_text())
    any_file = index["any_event"]["schema"]
    schema_of_type = {"any": any_file, **{e["type"]: e["schema"] for e in index["events"]}}

    compile_failures = []
    validators = {}
    for file in dict.fromkeys([any_file, *(e["schema"] for e in index["events"])]):
        schema = deny(json.loads((schema_dir / file).read_text()))
        try:
            Draft202012Validator.check_schema(schema)
            validators[file] = Draft202012Validator(schema, format_checker=FORMAT_CHECKER)
        except SchemaError as err:
            # A schema that breaks the meta-schema cannot judge anything: its fixtures fail.
            compile_failures.append(f"SCHEMA schemas/{file}: {err.message} at {pointer(err.path)}")
            validators[file] = None

    # Fixtures are discovered at run time because new ones keep being added.
    passed = failed = 0
    for verdict in ("valid", "invalid"):
        for path in sorted((fixture_dir / verdict).glob("*/*.json")):
            type_ = path.parent.name
            shown = path.relative_to(root)
            problems = []
            if type_ not in schema_of_type:
                problems.append(f'folder "{type_}" names no event type listed in schemas/index.json')
            else:
                try:
                    instance = json.loads(path.read_text())
                    files = dict.fromkeys([schema_of_type[type_], any_file])
                except ValueError as err:
                    problems.append(f"not valid JSON: {err}")
                    files = {}
                # Both the type's own schema and the any-event schema must agree; for "any"
                # fixtures they are the same file, so it is checked once.
                for file in files:
                    if validators[file] is None:
                        problems.append(f"[{file}] schema did not pass check_schema")
                        continue
                    errors = sorted(validators[file].iter_errors(instance), key=lambda e: pointer(e.path))
                    if (not errors) == (verdict == "valid"):
                        continue
                    # Messages quote the offending value, which can be a whole call: cut them short.
                    listed = "; ".join(f'"{pointer(e.path)}" {e.validator}: {e.message[:160]}' for e in errors)
                    got = f"invalid: {listed}" if errors else "valid"
                    problems.append(f"[{file}] expected {verdict}, python-jsonschema says {got}")
            for problem in problems:
                print(f"FAIL {shown} {problem}")
            passed += not problems
            failed += bool(problems)

    for failure in compile_failures:
        print(failure)
    print(f"python-jsonschema: {passed} passed, {failed} failed")
    draft7_failed = check_draft7(root, index)
    return 1 if failed or compile_failures or draft7_failed else 0


def rebase(node, old, new):
    """Returns the node with every $ref that starts with `old` starting with `new` instead."""
    if isinstance(node, list):
        return [rebase(item, old, new) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        k: (new + v[len(old):] if k == "$ref" and isinstance(v, str) and v.startswith(old) else rebase(v, old, new))
        for k, v in node.items()
    }


def check_draft7(root, index):
    """The AsyncAPI document's draft-07 payloads, read by python-jsonschema's draft-07 validator
    (which, unlike 2020-12's, does not check a `uuid` format: the pattern beside it must do it,
    as the breaking-change prover's proof of equality assumes), give every fixture of an event
    type the verdict of its folder, in deny mode. An outside check of what `cargo xtask check`
    proves with our own prover. Returns how many fixtures failed."""
    document = json.loads((root / "schemas" / "asyncapi.json").read_text())
    definitions = rebase(document["components"]["schemas"], "#/components/schemas/", "#/definitions/")
    passed = failed = 0
    for entry in index["events"]:
        name = entry["type"]
        payload = document["components"]["messages"][name]["payload"]["$ref"]
        schema = deny({
            "$schema": "http://json-schema.org/draft-07/schema#",
            "definitions": definitions,
            "allOf": [{"$ref": payload.replace("#/components/schemas/", "#/definitions/")}],
        })
        Draft7Validator.check_schema(schema)
        validator = Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)
        for verdict in ("valid", "invalid"):
            for path in sorted((root / "fixtures" / verdict / name).glob("*.json")):
                valid = validator.is_valid(json.loads(path.read_text()))
                if valid == (verdict == "valid"):
                    passed += 1
                else:
                    failed += 1
                    print(f"FAIL {path.relative_to(root)} expected {verdict}, draft-07 payload of asyncapi.json says {'valid' if valid else 'invalid'}")
    print(f"python-jsonschema draft-07, asyncapi.json payloads: {passed} passed, {failed} failed")
    return failed


if __name__ == "__main__":
    sys.exit(main())
