"""Validation of Opentact events with python-jsonschema, configured as the contract needs.

Draft 2020-12, formats checked as the contract checks them (`date-time` by `is_date_time`, and
patterns with ECMA-262's `$`), the published schemas shipped in this package; reports with the JSON
Pointers and kinds that ``evschema validate --format json`` gives (crates/evcontract/src/
validate.rs is the reference, and CI compares both on every fixture and on thousands of
single-fault mutations of them).

Copied unchanged into the Python package by ``cargo xtask package``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import re
from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError

from ._catalog import EVENT_TYPES, KINDS

_DATE_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?"
    r"(?:([Zz])|([+-])([0-9]{2}):([0-9]{2}))\Z"
)


def is_date_time(value: object) -> bool:
    """RFC 3339 `date-time` as the contract checks it (the Rust `jsonschema` crate, and
    ajv-formats): a real calendar date, a leap second only at 23:59:60 UTC, nothing after the
    offset. rfc3339-validator, which python-jsonschema uses by default, refuses every leap second
    and accepts a trailing newline, so its kinds would differ from evschema's."""
    if not isinstance(value, str):
        return True
    m = _DATE_TIME.match(value)
    if m is None:
        return False
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    if not 1 <= month <= 12 or day == 0:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    if day > days or hour > 23 or minute > 59 or second > 60:
        return False
    if m.group(7):
        return second != 60 or (hour == 23 and minute == 59)
    offset_h, offset_m = int(m.group(9)), int(m.group(10))
    if offset_h > 23 or offset_m > 59:
        return False
    if second != 60:
        return True
    sign = -1 if m.group(8) == "+" else 1
    total = (hour * 60 + minute + sign * (offset_h * 60 + offset_m)) % (24 * 60)
    return total == 23 * 60 + 59


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")


def is_uuid(value: object) -> bool:
    """`uuid` as the contract checks it: the hyphenated form only (python-jsonschema's check
    also lets `uuid.UUID` read other spellings with hyphens in the same places)."""
    return not isinstance(value, str) or _UUID.match(value) is not None


FORMAT_CHECKER = FormatChecker()
"""python-jsonschema's format checker, with `date-time` and `uuid` checked as the contract checks
them; `ipv4` and `ipv6` are python-jsonschema's own."""
for _name, _check in Draft202012Validator.FORMAT_CHECKER.checkers.items():
    FORMAT_CHECKER.checkers[_name] = _check
FORMAT_CHECKER.checks("date-time")(is_date_time)
FORMAT_CHECKER.checks("uuid")(is_uuid)


def _ecma(pattern: str) -> str:
    """A pattern with ECMA-262's (and Rust's) `$`: the end of the string. In Python's `re` a `$`
    also matches before a final newline."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if c == "[":
            in_class = True
        elif c == "]":
            in_class = False
        out.append("\\Z" if c == "$" and not in_class else c)
        i += 1
    return "".join(out)


def _pattern(validator, pattern, instance, schema):
    if isinstance(instance, str) and not re.search(_ecma(pattern), instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})

UnknownFields = Literal["deny", "allow"]


@dataclass(frozen=True)
class Error:
    """One thing wrong with an event."""

    pointer: str
    """JSON Pointer into the event; for a missing, unknown or forbidden key it names the key."""
    kind: str
    """A stable name: one of ``KINDS`` (``required``, ``unknown_field``, ``format``, ...)."""
    message: str
    """What was expected and what was found."""


def schema(file: str) -> dict[str, Any]:
    """A published schema of this package's catalog, by file name (``call_state.json``)."""
    return json.loads(resources.files(__package__).joinpath("schemas", file).read_text("utf-8"))


def _close(node: Any) -> Any:
    """The contract's form of a published schema: every object schema that lists its properties
    and says nothing about others gets ``"additionalProperties": false``."""
    if isinstance(node, list):
        return [_close(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in ("const", "enum", "examples"):
            out[key] = value  # data, not schemas
        elif key in ("properties", "$defs"):  # names to schemas: a key named "enum" is a schema
            out[key] = {name: _close(sub) for name, sub in value.items()}
        else:
            out[key] = _close(value)
    if out.get("type") == "object" and "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


@lru_cache(maxsize=None)
def _validators(unknown_fields: UnknownFields) -> dict[str, Draft202012Validator]:
    if unknown_fields not in ("deny", "allow"):
        raise ValueError(f'unknown_fields must be "deny" or "allow", not {unknown_fields!r}')
    index = schema("index.json")
    files = {e["type"]: e["schema"] for e in index["events"]}
    files[None] = index["any_event"]["schema"]
    out = {}
    for name, file in files.items():
        published = schema(file)
        closed = _close(published) if unknown_fields == "deny" else published
        out[name] = _Validator(closed, format_checker=FORMAT_CHECKER)
    return out


def _pointer(path: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text if len(text) <= 60 else text[:57] + "..."


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {_show(value)}"
    if isinstance(value, int):
        return f"integer {_show(value)}"
    if isinstance(value, float):
        return f"number {_show(value)}"
    if isinstance(value, str):
        return f"string {_show(value)}"
    return "array" if isinstance(value, list) else "object"


_MISSING = object()


def _value_at(error: ValidationError, path: list[Any]) -> Any:
    """The value at `path` in the event the error is about."""
    root = error
    while root.parent is not None:
        root = root.parent
    value = getattr(root, "_event", _MISSING)
    for token in path:
        try:
            value = value[token]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return value


def _issues(error: ValidationError, out: list[Error]) -> None:
    pointer = _pointer(error.absolute_path)
    value = error.instance
    keyword = error.validator
    limit = error.validator_value

    def push(ptr: str, kind: str, message: str) -> None:
        out.append(Error(ptr, kind, message))

    if keyword == "required":
        # python-jsonschema reports each missing key in its own error, with no field naming it:
        # every missing key is listed here, and the duplicates are merged below.
        for key in limit:
            if isinstance(value, dict) and key not in value:
                push(_pointer([*error.absolute_path, key]), "required", f"missing required key `{key}`")
    elif keyword in ("additionalProperties", "unevaluatedProperties"):
        listed = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        for key in value:
            if key not in listed:
                push(
                    _pointer([*error.absolute_path, key]),
                    "unknown_field",
                    f"unknown key `{key}`: the contract does not list it",
                )
    elif keyword is None and error.schema is False:
        # python-jsonschema (4.26) adds neither the key to the path of a `false` property schema
        # nor the property to its schema path: the key is the one holding this very value.
        where = list(error.absolute_path)
        keys = [None]
        if list(error.absolute_schema_path)[-1:] == ["properties"]:
            parent = _value_at(error, where)
            if isinstance(parent, dict):
                keys = [k for k, v in parent.items() if v is value] or [None]
        for key in keys:
            push(_pointer(where if key is None else [*where, key]), "forbidden", "this key must be absent here")
    elif keyword == "type":
        expected = " or ".join(limit) if isinstance(limit, list) else limit
        push(pointer, "type", f"expected {expected}, found {_describe(value)}")
    elif keyword == "enum":
        allowed = ", ".join(json.dumps(v) for v in limit)
        push(pointer, "enum", f"expected one of {allowed}, found {_show(value)}")
    elif keyword == "const":
        push(pointer, "const", f"expected {json.dumps(limit)}, found {_show(value)}")
    elif keyword == "format":
        push(pointer, "format", f"expected a valid `{limit}`, found {_show(value)}")
    elif keyword == "pattern":
        push(pointer, "pattern", f"expected a string matching `{limit}`, found {_show(value)}")
    elif keyword in ("minLength", "maxLength"):
        least = "at least" if keyword == "minLength" else "at most"
        push(pointer, "length", f"expected {least} {limit} characters, found {_show(value)}")
    elif keyword in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        bound = "no less than" if keyword.endswith("inimum") else "no greater than"
        push(pointer, "range", f"expected a number {bound} {limit}, found {_show(value)}")
    elif keyword in ("anyOf", "oneOf"):
        # Branches the value is not even the type of (`null` for a nullable field) say nothing
        # useful; when one branch is left, its errors are the real ones.
        branches: dict[int, list[ValidationError]] = {}
        for sub in error.context or []:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        relevant = [
            b
            for b in branches.values()
            if not all(e.validator == "type" and _pointer(e.absolute_path) == pointer for e in b)
        ]
        if len(relevant) == 1:
            for sub in relevant[0]:
                _issues(sub, out)
            return
        wanted: list[str] = []
        for _, branch in sorted(branches.items()):
            found: list[Error] = []
            for sub in branch:
                _issues(sub, found)
            text = " and ".join(
                i.message.removeprefix("expected ").split(", found ")[0] for i in found
            )
            if text and text not in wanted:
                wanted.append(text)
        push(pointer, "any_of", f"expected {' or '.join(wanted)}, found {_show(value)}")
    else:
        push(pointer, "other", error.message)


def validate(event: Any, *, unknown_fields: UnknownFields = "deny") -> list[Error]:
    """Validates one event (a parsed JSON value) against the catalog; ``[]`` means valid.

    When ``type`` names a known event type the errors come from that type's schema alone,
    otherwise from the any-event schema, which says what is wrong with ``type``.
    ``unknown_fields="deny"`` (the default) is the contract check, as ``evschema validate``;
    ``"allow"`` accepts keys the schemas do not list, as the published schemas do (a tolerant
    reader). The errors are sorted by pointer and kind, as evschema reports them.
    """
    validators = _validators(unknown_fields)
    event_type = event.get("type") if isinstance(event, dict) else None
    validator = validators.get(event_type) if isinstance(event_type, str) else None
    validator = validator or validators[None]
    issues: list[Error] = []
    for error in validator.iter_errors(event):
        error._event = event  # for `_value_at`
        _issues(error, issues)
    # A value of the wrong type is also, necessarily, not one of an enum's strings.
    typed = {i.pointer for i in issues if i.kind == "type"}
    issues = [i for i in issues if not (i.kind in ("enum", "const") and i.pointer in typed)]
    rank = {k: n for n, k in enumerate(KINDS)}
    issues.sort(key=lambda i: (i.pointer.encode("utf-8"), rank[i.kind], i.message))
    return [i for n, i in enumerate(issues) if n == 0 or i != issues[n - 1]]


def is_valid(event: Any, *, unknown_fields: UnknownFields = "deny") -> bool:
    """Whether ``event`` keeps the contract (see ``validate``)."""
    return not validate(event, unknown_fields=unknown_fields)


__all__ = ["EVENT_TYPES", "KINDS", "Error", "is_valid", "schema", "validate"]
