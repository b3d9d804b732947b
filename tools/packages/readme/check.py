"""Runs or compiles every code block of the README's consumer guide (from `## Consumer guide` to
the next `## ` heading), so that a snippet cannot rot:

- `ts`: compiled together by tsc under the configuration `tsc --init` writes (TypeScript's
  defaults: `module: nodenext`, `strict`), against the installed @opentact/events and
  `types/index.d.ts`;
- `js`: run by node, with the pinned ajv and ajv-formats installed;
- `python`: run by the Python of a venv where the built opentact-events wheel is installed;
- `sh`: run by bash (`set -euo pipefail`), with pip constrained to `constraints.txt`; the one
  command not run again is `cargo xtask package` itself, which CI ran before this step (the
  artifacts it names must exist);
- `yaml`: read, and each hook it names must be one of `.pre-commit-hooks.yaml`'s;
- `toml`: read, and each dependency's version must be the one in Cargo.lock;
- `rust`: compiled by `cargo test` as a doctest of evcontract (`ReadmeDoctests`): listed here.

Each block runs in a scratch folder holding `event.json` (a valid fixture), `schemas/`, `types/`
and `target/packages` (a link to the built packages).

Usage: python check.py REPO_ROOT WORK_DIR NPM_PROJECT PYTHON
  NPM_PROJECT: the folder of the pinned package.json and package-lock.json (typescript) that the
  scratch folder starts from; the guide's own commands install the packages.
"""

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

root, work, npm_project, python = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
here = Path(__file__).resolve().parent
text = (root / "README.md").read_text()
guide = text[text.index("\n## Consumer guide") :]
guide = guide[: guide.index("\n## ", 5)]
blocks = [(m.group(1), m.group(2)) for m in re.finditer(r"^```(\w+)\n(.*?)^```$", guide, re.M | re.S)]
assert len(blocks) >= 8, f"only {len(blocks)} code blocks in the consumer guide"

if work.exists():
    shutil.rmtree(work)
work.mkdir(parents=True)
for folder in ("schemas", "types"):
    shutil.copytree(root / folder, work / folder)
shutil.copy(root / "fixtures/valid/call_state/platform-call_state_live.json", work / "event.json")
(work / "target").mkdir()
(work / "target" / "packages").symlink_to(root / "target" / "packages")
for entry in ("package.json", "package-lock.json"):
    shutil.copy(npm_project / entry, work / entry)

env = {**os.environ, "PIP_CONSTRAINT": str(here / "constraints.txt"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
env["PATH"] = f"{Path(python).parent}{os.pathsep}{env['PATH']}"
checked: list[str] = []


def run(cmd, what):
    result = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"README block ({what}) failed:\n{result.stdout}{result.stderr}")
    return result.stdout


run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], "npm ci (the pinned typescript)")
ts_files = []
for n, (language, code) in enumerate(blocks):
    name = f"block{n:02d}"
    first = code.splitlines()[0] if code else ""
    if language == "ts":
        (work / f"{name}.ts").write_text(code)
        ts_files.append(f"{name}.ts")
    elif language == "js":
        (work / f"{name}.mjs").write_text(code)
        run(["node", f"{name}.mjs"], f"{name}, js")
        checked.append(f"{name} js: run by node")
    elif language == "python":
        (work / f"{name}.py").write_text(code)
        out = run([python, f"{name}.py"], f"{name}, python")
        checked.append(f"{name} python: run ({out.strip().splitlines()[-1][:60] if out.strip() else 'no output'})")
    elif language == "sh":
        lines = []
        for line in code.splitlines():
            if re.match(r"\s*cargo xtask package\b", line):
                assert list((root / "target/packages").glob("*/*")), "cargo xtask package has not run"
                lines.append(f": {line.split('#')[0].strip()!r} ran before this step")
            else:
                lines.append(line)
        (work / f"{name}.sh").write_text("set -euo pipefail\n" + "\n".join(lines) + "\n")
        run(["bash", f"{name}.sh"], f"{name}, sh")
        checked.append(f"{name} sh: run by bash")
    elif language == "yaml":
        hooks = {h["id"] for h in yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text())}
        for repo in yaml.safe_load(code):
            for hook in repo["hooks"]:
                assert hook["id"] in hooks, hook
        checked.append(f"{name} yaml: read, its hooks exist")
    elif language == "toml":
        lock = tomllib.loads((root / "Cargo.lock").read_text())
        versions = {p["name"]: p["version"] for p in lock["package"]}
        for dep, spec in tomllib.loads(code).items():
            version = spec["version"] if isinstance(spec, dict) else spec
            assert versions[dep].startswith(version + "."), (dep, version, versions[dep])
        checked.append(f"{name} toml: read, versions as in Cargo.lock")
    elif language == "rust":
        checked.append(f"{name} rust: compiled by cargo test (evcontract's ReadmeDoctests)")
    else:
        sys.exit(f"README block {name}: no way to check a `{language}` block")

if ts_files:
    # TypeScript's defaults, as a new project gets them.
    run(["npx", "--no-install", "tsc", "--init"], "tsc --init")
    config = (work / "tsconfig.json").read_text()
    assert re.search(r'"module":\s*"nodenext"', config), config
    run(["npx", "--no-install", "tsc", "-p", ".", "--noEmit"], "tsc under tsc --init's defaults")
    checked += [f"{f[:-3]} ts: compiled by tsc --init's defaults (module nodenext, strict)" for f in ts_files]

for line in sorted(checked):
    print(f"   {line}")
print(f"README consumer guide: {len(blocks)} code blocks checked")
