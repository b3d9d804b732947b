"""Tests of the `evschema` platform wheel as its users get it: installed into a fresh venv, the
binary on the venv's PATH, no Rust toolchain involved; and the repository's pre-commit hook, run
by pre-commit itself.

Environment: OPENTACT_ROOT (the repository), OPENTACT_WHEELS (the folder of the built wheels).
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(os.environ["OPENTACT_ROOT"])
FIXTURES = ROOT / "fixtures"
BIN = Path(sys.executable).parent
EVSCHEMA = BIN / "evschema"


def run(*args, **kwargs):
    return subprocess.run([str(EVSCHEMA), *args], capture_output=True, text=True, **kwargs)


def expected(path):
    pairs = set()
    for line in path.with_suffix(".expect").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            pointer, kind = line.rsplit(" ", 1)
            pairs.add((json.loads(pointer), kind))
    return sorted(pairs)


def test_the_binary_comes_from_the_wheel():
    assert EVSCHEMA.is_file() and os.access(EVSCHEMA, os.X_OK)
    assert shutil.which("evschema", path=str(BIN)) == str(EVSCHEMA)
    cargo = (ROOT / "crates" / "evschema" / "Cargo.toml").read_text()
    version = re.search(r'^version = "([^"]+)"', cargo, re.M).group(1)
    assert run("--version").stdout.strip() == f"evschema {version}"


def test_valid_fixtures_pass():
    result = run("validate", "--quiet", str(FIXTURES / "valid"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_invalid_fixtures_fail_with_the_contracts_errors():
    result = run("validate", "--format", "json", str(FIXTURES / "invalid"))
    assert result.returncode == 1, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    summary = records.pop()
    files = sorted((FIXTURES / "invalid").glob("*/*.json"))
    assert summary["verdicts"]["invalid"] == len(files) == len(records)
    for record in records:
        got = sorted({(e["pointer"], e["kind"]) for e in record["errors"]})
        assert got == expected(Path(record["source"])), record["source"]


def test_ndjson_on_standard_input():
    lines = [json.dumps(json.loads(p.read_text())) for p in sorted((FIXTURES / "valid").glob("*/*.json"))]
    result = run("validate", "--format", "json", input="\n".join(lines) + "\n")
    assert result.returncode == 0
    assert json.loads(result.stdout.splitlines()[-1])["verdicts"]["valid"] == len(lines)


def test_usage_error_exits_2():
    assert run("validate", "--format", "yaml").returncode == 2


def test_pre_commit_shim_pins_this_evschema():
    shim = (ROOT / "pyproject.toml").read_text()
    version = run("--version").stdout.split()[1]
    assert f'"evschema=={version}"' in shim


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory):
    """A repository of event files, as a team using the hook has; pre-commit's own cache."""
    repo = tmp_path_factory.mktemp("events-repo")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "events").mkdir()
    for path in sorted((FIXTURES / "valid" / "call_state").glob("*.json"))[:3]:
        shutil.copy(path, repo / "events" / path.name)
    shutil.copy(FIXTURES / "invalid" / "call_state" / "thread_upper_case.json", repo / "bad.json")
    (repo / "README.md").write_text("not an event\n")
    return repo


def pre_commit(repo, *files):
    env = dict(os.environ)
    env["PRE_COMMIT_HOME"] = str(repo.parent / "pre-commit-home")
    # The hook's venv installs the shim, whose dependency `evschema` is the wheel built here.
    env["PIP_FIND_LINKS"] = os.environ["OPENTACT_WHEELS"]
    return subprocess.run(
        [str(BIN / "pre-commit"), "try-repo", str(ROOT), "evschema-validate", "--files", *files],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
    )


def test_pre_commit_hook_passes_valid_events(hook_repo):
    files = sorted(str(p.relative_to(hook_repo)) for p in (hook_repo / "events").glob("*.json"))
    result = pre_commit(hook_repo, *files, "README.md")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "evschema validate" in result.stdout and "Passed" in result.stdout


def test_pre_commit_hook_fails_an_invalid_event_and_names_it(hook_repo):
    result = pre_commit(hook_repo, "bad.json")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Failed" in result.stdout
    assert "bad.json" in result.stdout and "/call/thread" in result.stdout
