"""Validation of Opentact events with python-jsonschema, configured as the contract needs.

Draft 2020-12, formats checked as the contract checks them (`date-time` by `is_date_time`, and
patterns with ECMA-262's `$`), the published schemas shipped in this package; reports with the JSON
Pointers and kinds that ``evschema validate --format json`` gives (crates/evcontract/src/
explain.rs is the reference, and CI compares both on every fixture and on thousands of
single-fault mutations of them): one error per fault (a short uuid is one ``format`` error that
lists every keyword it failed), in the words of the field's shape and of the condition of a rule
across keys (``SHAPES`` and ``CONDITIONS``, generated from the same code); and evschema's limits
of reading an event: nesting past ``MAX_DEPTH`` levels is a ``too_deep`` error, a number outside
the range of a double (read by ``json.loads`` as infinity) a ``double_range`` error.

Copied unchanged into the Python package by ``cargo xtask package``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import math
import re
from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError
from pydantic import ValidationError as PydanticValidationError

from ._catalog import CONDITIONS, EVENT_TYPES, KINDS, MAX_DEPTH, SHAPES

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


@lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern[str]:
    """A schema's pattern, rewritten (ECMA `$`) and compiled once for the process."""
    return re.compile(_ecma(pattern))


def _pattern(validator, pattern, instance, schema):
    if isinstance(instance, str) and not _compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})

UnknownFields = Literal["deny", "allow"]


class Error(dict):
    """One thing wrong with an event: a ``dict`` with the keys of ``evschema validate --format
    json``'s errors, so ``json.dumps(errors)`` (or a web framework's JSON response) takes a list
    of them as it is, as ``JSON.stringify`` takes the npm package's; also read as attributes.

    - ``pointer``: JSON Pointer into the event; for a missing, unknown or forbidden key it names
      the key (empty for a body that does not parse).
    - ``kind``: a stable name, one of ``KINDS`` (``required``, ``unknown_field``, ``format``, ...,
      and ``parse`` for a body that is not one JSON value).
    - ``message``: what was expected and what was found.
    - ``keywords`` (only when some): every keyword of the schema that failed for this fault (a
      short uuid: ``format``, ``pattern``, ``minLength``).
    - ``line``, ``column`` (only for a body that does not parse, or nests too deep): where, 1-based,
      the column in characters.
    """

    __slots__ = ()

    def __init__(self, pointer: str, kind: str, message: str, keywords: tuple[str, ...] | list[str] = (), line: int | None = None, column: int | None = None):
        super().__init__(pointer=pointer, kind=kind, message=message)
        if keywords:
            self["keywords"] = list(keywords)
        if line is not None:
            self["line"] = line
            self["column"] = column

    pointer = property(lambda self: self["pointer"], doc="JSON Pointer into the event.")
    kind = property(lambda self: self["kind"], doc="One of ``KINDS``.")
    message = property(lambda self: self["message"], doc="What was expected and what was found.")
    keywords = property(lambda self: tuple(self.get("keywords", ())), doc="The keywords that failed.")
    line = property(lambda self: self.get("line"), doc="1-based line, for a body that does not parse.")
    column = property(lambda self: self.get("column"), doc="1-based column in characters, with ``line``.")

    def __repr__(self) -> str:
        return f"Error({dict.__repr__(self)})"


def schema(file: str) -> dict[str, Any]:
    """A published file of this package's catalog, by file name: an event type's JSON Schema
    (``call_state.json``, draft 2020-12), ``event.json``, ``index.json``, or the AsyncAPI 3.0 and
    OpenAPI 3.1 documents of the catalog (``asyncapi.json``, ``openapi.json``)."""
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


def _escape(token: Any) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def _location(root: Any, path: Any) -> str:
    """The canonical location (``#/$defs/Uuid/format``) of the keyword at `path`, a path through
    the schema `root`. python-jsonschema leaves ``$ref`` out of its paths: where the next step
    is not in a schema that has a local ``$ref``, the step is taken in the schema it refers to."""
    node, where = root, ""
    for token in path:
        while (
            isinstance(node, dict)
            and token not in node
            and isinstance(node.get("$ref"), str)
            and node["$ref"].startswith("#")
        ):
            where = node["$ref"][1:]
            node = _resolve(root, where)
        try:
            node = node[token]
        except (KeyError, IndexError, TypeError):
            node = None
        where += "/" + _escape(token)
    return "#" + where


def _resolve(root: Any, pointer: str) -> Any:
    node = root
    for part in pointer.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        try:
            node = node[int(part)] if isinstance(node, list) else node[part]
        except (KeyError, IndexError, ValueError, TypeError):
            return None
    return node


def _parent(location: str) -> str:
    return location.rsplit("/", 1)[0]


def _condition(validator: str, location: str) -> str | None:
    """When the rule at `location` of `validator`'s schema applies, in words (``CONDITIONS``), for
    a rule under an ``if``/``then`` or ``else``."""
    conditions = CONDITIONS.get(validator, {})
    tokens = location.split("/")
    for at in range(len(tokens) - 1, 0, -1):
        not_a_keyword = tokens[at - 1] in (
            "properties", "patternProperties", "$defs", "definitions", "dependentSchemas"
        )
        if tokens[at] in ("then", "else") and not not_a_keyword:
            base = "/".join(tokens[:at])
            if base in conditions:
                return conditions[base][0 if tokens[at] == "then" else 1]
    return None


@dataclass
class _Draft:
    """An error on its way: what was expected and what was found kept apart, so that the errors
    of one fault can be merged."""

    error: Error
    where: str
    want: str
    found: str


_SHAPE = ("format", "pattern", "length")


def _issues(error: ValidationError, out: list[_Draft]) -> None:
    pointer = _pointer(error.absolute_path)
    value = error.instance
    keyword = error.validator
    limit = error.validator_value
    root = error
    while root.parent is not None:
        root = root.parent
    where = _location(getattr(root, "_root", {}), error.absolute_schema_path)
    name = getattr(root, "_validator", "any")
    schema_keyword = "false" if keyword is None and error.schema is False else str(keyword)

    def push(ptr: str, kind: str, message: str, want: str | None = None, found: str = "") -> None:
        out.append(_Draft(Error(ptr, kind, message, (schema_keyword,)), where, want or message, found))

    def expected(kind: str, want: str, found: str, hint: str = "") -> None:
        push(pointer, kind, f"expected {want}, found {found}{hint}", want, found)

    if keyword == "required":
        # python-jsonschema reports each missing key in its own error, with no field naming it:
        # every missing key is listed here, and the duplicates are merged below.
        when = _condition(name, where)
        why = f", required when {when}" if when else ""
        for key in limit:
            if isinstance(value, dict) and key not in value:
                push(_pointer([*error.absolute_path, key]), "required", f"missing required key `{key}`{why}")
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
        # nor the property to its schema path: the keys are those of the object that the
        # `properties` it names give a `false` schema (one error each; the repeats are merged).
        path = list(error.absolute_path)
        keys = [None]
        if list(error.absolute_schema_path)[-1:] == ["properties"]:
            parent = _value_at(error, path)
            properties = _resolve(getattr(root, "_root", {}), where[1:])
            if isinstance(parent, dict) and isinstance(properties, dict):
                keys = [k for k, sub in properties.items() if sub is False and k in parent] or [None]
        when = _condition(name, where)
        for key in keys:
            if key is None:
                message = "no value is allowed here"
            elif when:
                message = f"`{key}` must be absent when {when}"
            else:
                message = f"`{key}` must be absent here"
            push(_pointer(path if key is None else [*path, key]), "forbidden", message)
    elif keyword == "type":
        want = " or ".join(limit) if isinstance(limit, list) else limit
        expected("type", want, _describe(value))
    elif keyword == "enum":
        allowed = ", ".join(json.dumps(v) for v in limit)
        expected("enum", f"one of {allowed}", _show(value))
    elif keyword == "const":
        expected("const", json.dumps(limit), _show(value))
    elif keyword == "format":
        expected("format", f"a valid `{limit}`", _show(value))
    elif keyword == "pattern":
        expected("pattern", f"a string matching `{limit}`", _show(value))
    elif keyword in ("minLength", "maxLength"):
        least = "at least" if keyword == "minLength" else "at most"
        expected("length", f"{least} {limit} characters", _show(value))
    elif keyword in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        bound = {
            "minimum": "no less than",
            "exclusiveMinimum": "greater than",
            "maximum": "no greater than",
            "exclusiveMaximum": "less than",
        }[keyword]
        expected("range", f"a number {bound} {limit}", _show(value))
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
        want = SHAPES.get(_parent(where))
        if want is None:
            wanted: list[str] = []
            for _, branch in sorted(branches.items()):
                found: list[_Draft] = []
                for sub in branch:
                    _issues(sub, found)
                text = " and ".join(d.want for d in found)
                if text and text not in wanted:
                    wanted.append(text)
            want = " or ".join(wanted)
        expected("any_of", want, _show(value))
    else:
        push(pointer, "other", error.message)


def _merge(drafts: list[_Draft]) -> list[Error]:
    """One error per fault: the shape errors of one subschema at one pointer become one, of the
    first of their kinds, in the words of the shape (``SHAPES``) when it has them."""
    rank = {k: n for n, k in enumerate(KINDS)}
    drafts.sort(key=lambda d: (d.error.pointer.encode("utf-8"), rank[d.error.kind], d.error.message))
    slots: list[list[_Draft]] = []
    groups: dict[tuple[str, str], list[_Draft]] = {}
    for draft in drafts:
        if draft.error.kind not in _SHAPE:
            slots.append([draft])
            continue
        key = (draft.error.pointer, _parent(draft.where))
        if key not in groups:
            groups[key] = []
            slots.append(groups[key])
        groups[key].append(draft)
    out: list[Error] = []
    for group in slots:
        first = group[0]
        if first.error.kind not in _SHAPE:
            out.append(first.error)
            continue
        keywords: list[str] = []
        wants: list[str] = []
        for draft in group:
            for keyword in draft.error.keywords:
                if keyword not in keywords:
                    keywords.append(keyword)
            if draft.want not in wants:
                wants.append(draft.want)
        words = SHAPES.get(_parent(first.where))
        if words is not None:
            only_format = all(d.error.kind == "format" for d in group)
            fmt = first.want[len("a valid `") : -1]
            real = f", which is not a valid `{fmt}`" if only_format else ""
            message = f"expected {words}, found {first.found}{real}"
        else:
            message = f"expected {' and '.join(wants)}, found {first.found}"
        out.append(Error(first.error.pointer, first.error.kind, message, tuple(keywords)))
    return out


def _limits(value: Any, path: list[Any], depth: int, numbers: list[list[Any]]) -> list[Any] | None:
    """The path of the first array or object (in document order) that opens a level past
    ``MAX_DEPTH``, if any; every number that is not finite (``1e400`` read by ``json.loads``) is
    added to `numbers`."""
    if isinstance(value, float) and not math.isfinite(value):
        numbers.append(list(path))
        return None
    if not isinstance(value, (dict, list)):
        return None
    if depth > MAX_DEPTH:
        return list(path)
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, child in items:
        path.append(key)
        deep = _limits(child, path, depth + 1, numbers)
        path.pop()
        if deep is not None:
            return deep
    return None


def _replaced(value: Any, paths: list[list[Any]]) -> Any:
    """`value` with ``None`` at each of `paths` (a copy along them only)."""
    for path in paths:
        value = _set(value, path, None)
    return value


def _set(value: Any, path: list[Any], new: Any) -> Any:
    if not path:
        return new
    head, *rest = path
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[head] = _set(value[head], rest, new)
    return copy


def limits_problem(event: Any) -> str | None:
    """What breaks evschema's limits of reading an event, if anything: the message of its
    ``too_deep`` or first ``double_range`` error (the pydantic models refuse such an event
    with it)."""
    numbers: list[list[Any]] = []
    deep = _limits(event, [], 1, numbers)
    if deep is not None:
        return _too_deep(event, deep).message
    if numbers:
        return f"at {_pointer(numbers[0])}: {_double_range(event, numbers[0]).message}"
    return None


def _too_deep(event: Any, path: list[Any]) -> Error:
    what = "object" if isinstance(_at(event, path), dict) else "array"
    return Error(
        _pointer(path),
        "too_deep",
        f"nested too deep: this {what} would open level {MAX_DEPTH + 1} of arrays and objects,"
        f" past the limit of {MAX_DEPTH}",
    )


def _double_range(event: Any, path: list[Any]) -> Error:
    return Error(
        _pointer(path),
        "double_range",
        "expected a number within the range of a double (at most 1.7976931348623157e308 in"
        f" magnitude), found {_at(event, path)}, which JavaScript and Python read as infinity",
    )


@lru_cache(maxsize=None)
def _models(unknown_fields: UnknownFields) -> dict[str, Any]:
    """The pydantic model of each event type: the tolerant ones for ``"allow"``, the strict ones
    for ``"deny"``."""
    if unknown_fields == "allow":
        from .models import MODELS
    else:
        from .strict_models import MODELS
    return {name: model.model_validate for name, model in MODELS.items()}


def validate(event: Any, *, unknown_fields: UnknownFields = "allow") -> list[Error]:
    """Validates one event (a parsed JSON value) against the catalog; ``[]`` means valid.

    ``unknown_fields="allow"`` (the default) accepts keys the schemas do not list, as the
    published schemas do: the tolerant reader a compatible release never breaks. ``"deny"``
    refuses them, as the contract check and ``evschema validate`` do: for producers' own tests.

    When ``type`` names a known event type the errors come from that type's schema alone,
    otherwise from the any-event schema, which says what is wrong with ``type``. The errors are
    sorted by pointer and kind, as evschema reports them.

    evschema's limits apply as they do to the text: an event nested deeper than ``MAX_DEPTH``
    levels has one ``too_deep`` error (at the array or object that opens the level past it) and
    is not validated; a number that is not finite (``json.loads`` reads ``1e400`` as infinity) is
    a ``double_range`` error where it is, and the rest of the event is validated with ``None``
    there.

    A valid event is recognised by the generated pydantic models (compiled once, in Rust), which
    accept exactly what the schemas accept (CI checks both against evschema on thousands of
    events); anything they refuse is explained by python-jsonschema, so every error and every
    message comes from the schemas.
    """
    if unknown_fields not in ("deny", "allow"):
        raise ValueError(f'unknown_fields must be "deny" or "allow", not {unknown_fields!r}')
    event_type = event.get("type") if isinstance(event, dict) else None
    model = _models(unknown_fields).get(event_type) if isinstance(event_type, str) else None
    if model is not None:
        try:
            model(event)
            return []
        except PydanticValidationError:
            pass
    return _explain(event, unknown_fields)


def _explain(event: Any, unknown_fields: UnknownFields) -> list[Error]:
    """The errors of one event as python-jsonschema finds them (``validate`` without its fast
    path).

    When ``type`` names a known event type the errors come from that type's schema alone,
    otherwise from the any-event schema, which says what is wrong with ``type``.
    ``unknown_fields="deny"`` (the default) is the contract check, as ``evschema validate``;
    ``"allow"`` accepts keys the schemas do not list, as the published schemas do (a tolerant
    reader). The errors are sorted by pointer and kind, as evschema reports them.

    evschema's limits apply as they do to the text: an event nested deeper than ``MAX_DEPTH``
    levels has one ``too_deep`` error (at the array or object that opens the level past it) and
    is not validated; a number that is not finite (``json.loads`` reads ``1e400`` as infinity) is
    a ``double_range`` error where it is, and the rest of the event is validated with ``None``
    there.
    """
    validators = _validators(unknown_fields)
    numbers: list[list[Any]] = []
    deep = _limits(event, [], 1, numbers)
    if deep is not None:
        return [_too_deep(event, deep)]
    refused = {_pointer(p) for p in numbers}
    checked = _replaced(event, numbers) if numbers else event
    event_type = checked.get("type") if isinstance(checked, dict) else None
    name = event_type if isinstance(event_type, str) and event_type in validators else "any"
    validator = validators[None if name == "any" else name]
    drafts: list[_Draft] = []
    for error in validator.iter_errors(checked):
        error._event = checked  # for `_value_at`
        error._root = validator.schema  # for `_location`
        error._validator = name  # for `_condition`
        _issues(error, drafts)
    # A value of the wrong type is also, necessarily, not one of an enum's strings.
    typed = {d.error.pointer for d in drafts if d.error.kind == "type"}
    drafts = [d for d in drafts if not (d.error.kind in ("enum", "const") and d.error.pointer in typed)]
    issues = [i for i in _merge(drafts) if i.pointer not in refused]
    issues += [_double_range(event, p) for p in numbers]
    rank = {k: n for n, k in enumerate(KINDS)}
    issues.sort(key=lambda i: (i.pointer.encode("utf-8"), rank[i.kind], i.message))
    return [i for n, i in enumerate(issues) if n == 0 or i != issues[n - 1]]


def _at(value: Any, path: list[Any]) -> Any:
    for token in path:
        value = value[token]
    return value


def is_valid(event: Any, *, unknown_fields: UnknownFields = "allow") -> bool:
    """Whether ``event`` keeps the contract (see ``validate``)."""
    return not validate(event, unknown_fields=unknown_fields)


@dataclass(frozen=True)
class BodyReport:
    """The verdict on one body (``validate_body``)."""

    event: Any
    """The parsed event; ``None`` when the body does not parse."""
    errors: list[Error]
    """``[]`` when valid; for a body that does not parse, its one ``parse`` or ``too_deep`` error,
    with ``line`` and ``column``."""

    @property
    def valid(self) -> bool:
        return not self.errors


def validate_body(body: bytes | bytearray | memoryview | str, *, unknown_fields: UnknownFields = "allow") -> BodyReport:
    """Reads a webhook body (its raw bytes, or its text) as the contract reads it (``parse``:
    no repeated key, no ``NaN``, no byte-order mark, UTF-8, at most ``MAX_DEPTH`` levels), then
    validates the event (``validate``). The way to read a body: ``json.loads`` accepts what
    evschema refuses. A body that does not parse has one error, of kind ``parse`` or
    ``too_deep``, with the message, pointer, line and column ``evschema validate --format json``
    reports for the same bytes."""
    from ._parse import ParseError, parse

    try:
        event = parse(body)
    except ParseError as refused:
        return BodyReport(None, [refused.error])
    return BodyReport(event, validate(event, unknown_fields=unknown_fields))


__all__ = [
    "BodyReport",
    "EVENT_TYPES",
    "KINDS",
    "MAX_DEPTH",
    "Error",
    "is_valid",
    "limits_problem",
    "schema",
    "validate",
    "validate_body",
]
