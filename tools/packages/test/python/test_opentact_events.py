"""Tests of the `opentact-events` wheel as its users get it: installed into a fresh venv, imported
from site-packages, never from the source tree.

Environment: OPENTACT_ROOT (the repository, for fixtures/ and schemas/), OPENTACT_CORPUS (one
event per line) and OPENTACT_REPORTS (the installed `evschema validate --format json` report of
that corpus: the truth).
"""

import json
import os
from pathlib import Path

import pydantic
import pytest
from pydantic import TypeAdapter, ValidationError

import opentact_events
from opentact_events import Error, validate
from opentact_events.models import MODELS, Event

ROOT = Path(os.environ["OPENTACT_ROOT"])
FIXTURES = ROOT / "fixtures"
VALID = sorted((FIXTURES / "valid").glob("*/*.json"))
INVALID = sorted((FIXTURES / "invalid").glob("*/*.json"))
EVENT = TypeAdapter(Event)


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
    errors = validate(json.loads(path.read_text()))
    assert all(isinstance(e, Error) and e.message for e in errors)
    assert pairs(errors) == expected(path)


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
        EVENT.validate_python(json.loads(path.read_text()))


def test_verdicts_pointers_and_kinds_equal_evschemas_on_the_corpus():
    events = Path(os.environ["OPENTACT_CORPUS"]).read_text().splitlines()
    reports = [json.loads(line) for line in Path(os.environ["OPENTACT_REPORTS"]).read_text().splitlines()]
    reports = [r for r in reports if "line" in r]
    assert len(events) == len(reports) > 1000
    differ = []
    models_differ = []
    for line, report in zip(events, reports):
        event = json.loads(line)
        truth = sorted({(e["pointer"], e["kind"]) for e in report["errors"]})
        if pairs(validate(event)) != truth:
            differ.append((report["line"], truth, pairs(validate(event))))
        try:
            EVENT.validate_python(event)
            accepted = True
        except ValidationError:
            accepted = False
        if accepted != report["valid"]:
            models_differ.append((report["line"], report["valid"], truth))
    print(f"corpus: {len(events)} events, {sum(r['valid'] for r in reports)} valid")
    assert differ == [], differ[:10]
    # The models accept exactly what the contract accepts, on every mutation.
    assert models_differ == [], models_differ[:10]


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


def test_unknown_fields_deny_by_default_allow_on_request():
    event = json.loads((FIXTURES / "valid" / "auth" / "platform-auth_success.json").read_text())
    event["added_by_the_platform_later"] = {"x": 1}
    assert pairs(validate(event)) == [("/added_by_the_platform_later", "unknown_field")]
    assert validate(event, unknown_fields="allow") == []
    with pytest.raises(ValueError):
        validate(event, unknown_fields="ignore")
    with pytest.raises(ValidationError):
        EVENT.validate_python(event)


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


def test_pydantic_is_version_2():
    assert pydantic.VERSION.startswith("2.")
