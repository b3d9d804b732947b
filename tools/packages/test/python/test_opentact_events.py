"""Tests of the `opentact-events` wheel as its users get it: installed into a fresh venv, imported
from site-packages, never from the source tree.

Environment: OPENTACT_ROOT (the repository, for fixtures/ and schemas/), OPENTACT_CORPUS (one
event per line), OPENTACT_REPORTS and OPENTACT_REPORTS_ALLOW (the installed `evschema validate
--format json` report of that corpus, with unknown fields denied and allowed: the truth),
OPENTACT_HOSTILE (a folder of hostile bodies, tools/packages/test/hostile.py) and
OPENTACT_HOSTILE_REPORT (evschema's report of that folder).
"""

import json
import os
from pathlib import Path

import pydantic
import pytest
from pydantic import TypeAdapter, ValidationError

import opentact_events
from opentact_events import Error, ParseError, parse, validate, validate_body
from opentact_events._validate import _explain
from opentact_events.models import MODELS, Event
from opentact_events.strict_models import MODELS as STRICT_MODELS
from opentact_events.strict_models import Event as StrictEvent

ROOT = Path(os.environ["OPENTACT_ROOT"])
FIXTURES = ROOT / "fixtures"
VALID = sorted((FIXTURES / "valid").glob("*/*.json"))
INVALID = sorted((FIXTURES / "invalid").glob("*/*.json"))
EVENT = TypeAdapter(Event)
STRICT_EVENT = TypeAdapter(StrictEvent)


def expected(path):
    """The (pointer, kind) pairs of a fixture's .expect file."""
    pairs = []
    for line in path.with_suffix(".expect").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            pointer, kind = line.rsplit(" ", 1)
            pairs.append((json.loads(pointer), kind))
    return sorted(set(pairs))


def pairs(errors):
    return sorted({(e.pointer, e.kind) for e in errors})


def name(path):
    return f"{path.parent.name}/{path.name}"


def test_installed_from_the_wheel_not_the_source_tree():
    where = Path(opentact_events.__file__).resolve()
    assert "site-packages" in where.parts, where
    for source in (ROOT / "tools", ROOT / "target" / "packages" / ".stage"):
        assert not where.is_relative_to(source.resolve()), where


def test_catalog_is_the_repositorys():
    index = json.loads((ROOT / "schemas" / "index.json").read_text())
    assert opentact_events.VERSION == index["version"] == opentact_events.__version__
    assert opentact_events.EVENT_TYPES == tuple(e["type"] for e in index["events"])
    for file in ["index.json", "event.json", *(e["schema"] for e in index["events"])]:
        assert opentact_events.schema(file) == json.loads((ROOT / "schemas" / file).read_text())
    assert set(MODELS) == set(opentact_events.EVENT_TYPES)


@pytest.mark.parametrize("path", VALID, ids=name)
def test_valid_fixture_is_valid(path):
    assert validate(json.loads(path.read_text())) == []


@pytest.mark.parametrize("path", INVALID, ids=name)
def test_invalid_fixture_has_the_contracts_errors(path):
    errors = validate(json.loads(path.read_text()), unknown_fields="deny")
    assert all(isinstance(e, Error) and e.message for e in errors)
    assert pairs(errors) == expected(path)
    # The tolerant default reports the same faults, but for keys the contract does not list.
    tolerant = validate(json.loads(path.read_text()))
    assert pairs(tolerant) == [p for p in expected(path) if p[1] != "unknown_field"]


@pytest.mark.parametrize("path", VALID, ids=name)
def test_models_read_and_dump_back_every_valid_fixture(path):
    event = json.loads(path.read_text())
    model = EVENT.validate_python(event)
    assert type(model) is MODELS[event["type"]]
    assert model.model_dump(mode="json", exclude_unset=True) == event
    # From the JSON text as well, as a webhook handler reads it.
    again = EVENT.validate_json(path.read_bytes())
    assert again.model_dump(mode="json", exclude_unset=True) == event


# Invalid fixtures whose fault the models cannot express. None: formats are checked as
# `validate` checks them, and the rules across keys are a model validator.
NOT_EXPRESSIBLE = set()


@pytest.mark.parametrize("path", INVALID, ids=name)
def test_models_refuse_every_invalid_fixture(path):
    if name(path) in NOT_EXPRESSIBLE:
        pytest.skip("the models cannot express this fault")
    with pytest.raises(ValidationError):
        STRICT_EVENT.validate_python(json.loads(path.read_text()))
    # The tolerant models refuse it too, unless its only faults are keys the contract does not
    # list.
    if all(kind == "unknown_field" for _, kind in expected(path)):
        EVENT.validate_python(json.loads(path.read_text()))
    else:
        with pytest.raises(ValidationError):
            EVENT.validate_python(json.loads(path.read_text()))


def corpus_and_reports(variable):
    events = Path(os.environ["OPENTACT_CORPUS"]).read_text().splitlines()
    reports = [json.loads(line) for line in Path(os.environ[variable]).read_text().splitlines()]
    reports = [r for r in reports if "line" in r]
    assert len(events) == len(reports) > 1000
    return [(json.loads(line), report) for line, report in zip(events, reports)]


def accepts(adapter, event):
    try:
        adapter.validate_python(event)
        return True
    except ValidationError:
        return False


@pytest.mark.parametrize(
    "policy, variable, adapter",
    [("deny", "OPENTACT_REPORTS", STRICT_EVENT), ("allow", "OPENTACT_REPORTS_ALLOW", EVENT)],
)
def test_verdicts_pointers_and_kinds_equal_evschemas_on_the_corpus(policy, variable, adapter):
    corpus = corpus_and_reports(variable)
    differ, explained_differ, models_differ = [], [], []
    for event, report in corpus:
        truth = sorted({(e["pointer"], e["kind"]) for e in report["errors"]})
        got = pairs(validate(event, unknown_fields=policy))
        if got != truth:
            differ.append((report["line"], truth, got))
        # The schema path alone (validate() without the models' fast path) agrees as well.
        if pairs(_explain(event, policy)) != truth:
            explained_differ.append((report["line"], truth, pairs(_explain(event, policy))))
        if accepts(adapter, event) != report["valid"]:
            models_differ.append((report["line"], report["valid"], truth))
    valid = sum(r["valid"] for _, r in corpus)
    print(f"corpus ({policy}): {len(corpus)} events, {valid} valid")
    assert 0 < valid < len(corpus)
    assert differ == [], differ[:10]
    assert explained_differ == [], explained_differ[:10]
    # The models accept exactly what the contract accepts, on every mutation: what lets
    # validate() trust them for a valid event.
    assert models_differ == [], models_differ[:10]


def hostile_reports():
    folder = Path(os.environ["OPENTACT_HOSTILE"])
    lines = Path(os.environ["OPENTACT_HOSTILE_REPORT"]).read_text().splitlines()
    reports = [json.loads(line) for line in lines]
    reports = [r for r in reports if "source" in r]
    assert len(reports) == len(list(folder.iterdir())) > 1000
    return [(Path(r["source"]).read_bytes(), r) for r in reports]


def test_bodies_are_read_as_evschema_reads_them():
    """Hostile bodies: the kind, message, pointer, line and column of every refusal, and the
    verdict, pointers and kinds of every body that parses, equal evschema's."""
    differ = []
    refused = 0
    for body, report in hostile_reports():
        result = validate_body(body, unknown_fields="deny")
        if report["verdict"] in ("parse_error", "too_deep"):
            refused += 1
            want = [{k: e[k] for k in ("pointer", "kind", "message", "line", "column")} for e in report["errors"]]
            got = json.loads(json.dumps(result.errors))
            if got != want or result.event is not None:
                differ.append((report["source"], want, got))
            with pytest.raises(ParseError) as caught:
                parse(body)
            assert caught.value.error == result.errors[0]
        else:
            truth = sorted({(e["pointer"], e["kind"]) for e in report["errors"]})
            if pairs(result.errors) != truth or result.valid != report["valid"]:
                differ.append((report["source"], truth, pairs(result.errors)))
            # Text reads as its bytes do.
            text = body.decode("utf-8")
            assert validate_body(text, unknown_fields="deny").errors == result.errors
    print(f"hostile bodies: {len(hostile_reports())}, {refused} refused")
    assert refused > 1000
    assert differ == [], differ[:5]


def test_json_loads_is_looser_than_the_body_reader():
    body = b'{"type": "auth", "type": "call_state", "n": NaN}'
    assert json.loads(body)["type"] == "call_state"  # what a handler on json.loads would see
    result = validate_body(body)
    assert not result.valid and result.event is None
    [error] = result.errors
    assert (error.kind, error.line, error.column, error.pointer) == ("parse", 1, 23, "")
    assert error.message == "duplicate key `type`"
    with pytest.raises(ParseError, match="expected value at line 1 column 35"):
        parse(b'{"type": "auth", "m": 1, "n":     NaN}')
    with pytest.raises(ParseError, match="byte-order mark"):
        parse("\ufeff{}")
    with pytest.raises(ParseError) as caught:
        parse(b'{"a": "caf\xc3"}')
    assert caught.value.error["message"] == "invalid UTF-8: byte 0xC3 does not start or continue a character"
    assert isinstance(caught.value, ValueError)


def test_errors_go_into_json_as_they_are():
    event = json.loads((FIXTURES / "valid" / "call_state" / "platform-call_state_live.json").read_text())
    event["ref_id"] = event["ref_id"][:-1]
    del event["call"]["answer_on"]
    errors = validate(event)
    back = json.loads(json.dumps(errors))
    assert back == [
        {"pointer": "/call/answer_on", "kind": "required", "message": errors[0].message, "keywords": ["required"]},
        {"pointer": "/ref_id", "kind": "format", "message": errors[1].message, "keywords": ["format", "pattern", "minLength"]},
    ]
    assert [e.pointer for e in errors] == ["/call/answer_on", "/ref_id"]
    assert json.loads(json.dumps(validate_body(b"[1,]").errors)) == [
        {"pointer": "", "kind": "parse", "message": "trailing comma", "line": 1, "column": 4}
    ]


def test_one_error_per_fault_in_the_words_of_its_shape():
    event = json.loads((FIXTURES / "valid" / "call_state" / "platform-call_state_live.json").read_text())
    event["ref_id"] = event["ref_id"][:-1]
    errors = validate(event)
    assert [(e.pointer, e.kind, e.keywords) for e in errors] == [
        ("/ref_id", "format", ("format", "pattern", "minLength"))
    ]
    assert errors[0].message.startswith("expected a UUID in 8-4-4-4-12 hexadecimal form, like ")
    event["ref_id"] = "2024-02-20T16:41:36.253Z"
    event["created_on"] = "2024-02-30T16:41:36.253Z"
    [created_on, _] = validate(event)
    assert created_on.message == (
        "expected a UTC timestamp with milliseconds, like 2024-02-19T16:06:00.210Z, found"
        ' "2024-02-30T16:41:36.253Z", which is not a valid `date-time`'
    )


def test_rules_across_keys_say_when_they_apply():
    event = json.loads((FIXTURES / "valid" / "call_state" / "platform-call_state_live.json").read_text())
    del event["call"]["answer_on"]
    assert [e.message for e in validate(event)] == [
        'missing required key `answer_on`, required when `state` is "live"'
    ]
    event["call"]["state"] = "init"
    event["call"]["init_on"] = event["created_on"]
    event["call"]["ring_on"] = event["created_on"]
    assert [e.message for e in validate(event)] == ['`ring_on` must be absent when `state` is "init"']


def test_the_limits_of_reading_an_event():
    line = (FIXTURES / "valid" / "auth" / "platform-auth_success.json").read_text()
    event = json.loads(line)
    event["payload"]["ip"] = json.loads("1e400")
    errors = validate(event)
    assert [(e.pointer, e.kind) for e in errors] == [("/payload/ip", "double_range")]
    assert "found inf," in errors[0].message
    with pytest.raises(ValidationError):
        EVENT.validate_python(event)
    deep: list = []
    for _ in range(opentact_events.MAX_DEPTH):
        deep = [deep]
    event = json.loads(line)
    event["payload"]["extra"] = deep
    # The event is level 1, `payload` level 2, the first array level 3: the 126th opens level 128.
    assert [(e.pointer, e.kind) for e in validate(event)] == [
        ("/payload/extra" + "/0" * 125, "too_deep")
    ]
    with pytest.raises(ValidationError, match="nested too deep"):
        EVENT.validate_python(event)


def newer(event):
    """`event` as a newer compatible release could send it: a key added at the top level and in
    every nested object (`PROPERTY_ADDED`, compatible for a tolerant reader)."""
    if isinstance(event, dict):
        return {**{k: newer(v) for k, v in event.items()}, "added_in_a_later_release": {"x": [1, None]}}
    if isinstance(event, list):
        return [newer(v) for v in event]
    return event


@pytest.mark.parametrize("path", VALID, ids=name)
def test_a_newer_compatible_event_passes_every_default(path):
    event = json.loads(path.read_text())
    later = newer(event)
    added = sum(1 for line in json.dumps(later).split('"added_in_a_later_release"')) - 1
    assert added >= 3
    # The consumers' defaults: validate, is_valid, validate_body, the pydantic models.
    assert validate(later) == []
    assert opentact_events.is_valid(later)
    assert validate_body(json.dumps(later).encode()).valid
    model = EVENT.validate_python(later)
    assert type(model) is MODELS[event["type"]]
    # The added keys are dropped where the contract lists the keys (slots of unspecified shape
    # keep what they hold): the dump keeps the contract.
    dumped = model.model_dump(mode="json", exclude_unset=True)
    assert validate(dumped, unknown_fields="deny") == []
    assert EVENT.validate_json(json.dumps(later)).model_dump(mode="json", exclude_unset=True) == dumped
    if dumped != event:
        assert path.name == "live_unspecified_shapes_filled.json", "only free-form slots keep keys"
    # Producers' checks refuse each added key the contract could list, as evschema does.
    denied = validate(later, unknown_fields="deny")
    assert len(denied) >= 2 and {e.kind for e in denied} == {"unknown_field"}
    assert all(e.pointer.endswith("/added_in_a_later_release") for e in denied)
    with pytest.raises(ValidationError):
        STRICT_EVENT.validate_python(later)


def test_unknown_fields_allow_by_default_deny_on_request():
    event = json.loads((FIXTURES / "valid" / "auth" / "platform-auth_success.json").read_text())
    event["added_by_the_platform_later"] = {"x": 1}
    assert validate(event) == []
    assert validate(event, unknown_fields="allow") == []
    assert pairs(validate(event, unknown_fields="deny")) == [("/added_by_the_platform_later", "unknown_field")]
    with pytest.raises(ValueError):
        validate(event, unknown_fields="ignore")
    EVENT.validate_python(event)
    with pytest.raises(ValidationError):
        STRICT_EVENT.validate_python(event)
    assert set(STRICT_MODELS) == set(MODELS)


def test_keywords_are_fields_with_an_alias_and_dump_as_keys():
    event = json.loads((FIXTURES / "valid" / "call_state" / "platform-call_state_live.json").read_text())
    model = EVENT.validate_python(event)
    assert model.call.from_ == event["call"]["from"]
    assert "from" in model.model_dump(mode="json", exclude_unset=True)["call"]


def test_optional_keys_may_be_absent_never_null():
    event = json.loads((FIXTURES / "valid" / "call_state" / "platform-call_state_live.json").read_text())
    assert "answer_on" in event["call"]
    event["call"]["answer_on"] = None
    with pytest.raises(ValidationError):
        EVENT.validate_python(event)
    assert ("/call/answer_on", "type") in pairs(validate(event))


def test_pydantic_is_in_the_supported_range():
    major, minor = (int(p) for p in pydantic.VERSION.split(".")[:2])
    assert major == 2 and minor >= 11, pydantic.VERSION
