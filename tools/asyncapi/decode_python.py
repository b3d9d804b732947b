"""Imports every module of the Python models Modelina generated (the pydantic preset) and decodes
every valid fixture with its event type's model: `model_validate`, then `model_dump(mode="json",
by_alias=True, exclude_unset=True)` must give the fixture back.

Usage: python decode_python.py REPO_ROOT MODELS_DIR   (MODELS_DIR holds events/ and payloads.json,
written by models.mjs). Prints one ok/FAIL line; exits 1 on any failure.
"""

import importlib
import json
import pkgutil
import sys
from pathlib import Path

import pydantic

root, models = Path(sys.argv[1]), Path(sys.argv[2])
sys.path.insert(0, str(models))
problems = []

import events  # noqa: E402  (the generated package, on the path just above)

modules = 0
for info in sorted(pkgutil.iter_modules(events.__path__), key=lambda m: m.name):
    try:
        importlib.import_module(f"events.{info.name}")
        modules += 1
    except Exception as err:  # a generated module that does not import is the finding
        problems.append(f"events.{info.name} does not import: {type(err).__name__}: {err}")

payloads = {}
for event_type, (module, name) in json.loads((models / "payloads.json").read_text()).items():
    payloads[event_type] = getattr(importlib.import_module(module), name)

fixtures = sorted((root / "fixtures" / "valid").glob("*/*.json"))
decoded = 0
for path in fixtures:
    shown = path.relative_to(root)
    value = json.loads(path.read_text())
    model = payloads.get(path.parent.name)
    if model is None:
        problems.append(f"{shown}: no model for folder {path.parent.name}")
        continue
    try:
        back = model.model_validate(value).model_dump(mode="json", by_alias=True, exclude_unset=True)
    except Exception as err:
        problems.append(f"{shown}: {model.__name__}.model_validate: {str(err)[:500]}")
        continue
    if back != value:
        keys = sorted(k for k in set(value) | set(back) if value.get(k, "<absent>") != back.get(k, "<absent>"))
        problems.append(f"{shown}: {model.__name__} round trip differs at {keys}")
        continue
    decoded += 1

if not fixtures:
    problems.append("no valid fixtures")
status = "ok   " if not problems else "FAIL "
print(
    f"{status} Modelina Python (pydantic {pydantic.VERSION}): {modules} modules import; "
    f"{decoded}/{len(fixtures)} valid fixtures decoded by their payload's model and dumped back equal"
)
for p in problems:
    print(f"  {p}")
sys.exit(1 if problems else 0)
