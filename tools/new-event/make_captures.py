#!/usr/bin/env python3
"""Writes the synthetic captures of the end-to-end test of `cargo xtask new-event`
(tools/new-event/run.sh): 40 events of a made-up type, `sample_event`, mixed with the
repository's own call_state and auth fixtures, an unparsable line and a blank one, across an
NDJSON file, a gzip-compressed JSON-lines file and a folder of one-event files.

These are not platform data: `sample_event` exists only in this test. The output is
deterministic (a fixed seed, a fixed gzip mtime); run it again after changing it and commit both.
"""
import gzip
import io
import json
import random
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
OUT = HERE / "captures"

rng = random.Random(20261206)
account = json.loads((ROOT / "fixtures/valid/call_state/platform-call_state_live.json").read_text())["account"]


def uuid():
    return "%08x-%04x-4%03x-8%03x-%012x" % tuple(rng.getrandbits(b) for b in (32, 16, 12, 12, 48))


def ts(day, second):
    return "2026-11-%02dT%02d:%02d:%02d.%03dZ" % (day, second // 3600 % 24, second // 60 % 60, second % 60, rng.randrange(1000))


def event(i):
    day = 1 + i % 28
    state = ["queued", "sent", "delivered", "failed"][i % 4]
    payload = {
        "state": state,
        "attempts": i % 6,
        "cost": [0.0075, 1, 0.015, 2.5][i % 4],
        "recipient": {"phone": "+1555%07d" % rng.randrange(10**7), "name": rng.choice(["Ana", "Bo", "Cy", "Di"])},
        "parts": [{"index": k, "text": "part %d of message %d" % (k, i)} for k in range(i % 3)],
        "meta": None,
        "error": "carrier rejected" if state == "failed" else None,
    }
    if i % 5:
        payload["note"] = "note %d" % i
    return {
        "uuid": uuid(),
        "created_on": ts(day, i * 97),
        "type": "sample_event",
        "message": "sample %d %s" % (i, state),
        "payload": payload,
        "call": None,
        "ref_id": None,
        "account": account,
        "modified_on": ts(day, i * 97 + 5),
        "delivery_report": [],
    }


events = [event(i) for i in range(40)]
others = [
    json.loads(p.read_text())
    for p in sorted((ROOT / "fixtures/valid/call_state").glob("platform-*.json"))
] + [json.loads(p.read_text()) for p in sorted((ROOT / "fixtures/valid/auth").glob("*.json"))[:2]]

OUT.mkdir(exist_ok=True)
(OUT / "single").mkdir(exist_ok=True)
lines = [json.dumps(e) for e in events[:20]] + [json.dumps(o) for o in others]
lines.insert(7, '{"type": "sample_event", "payload": ')  # cut short: reported, skipped, counted
lines.insert(12, "")
(OUT / "part-1.ndjson").write_text("\n".join(lines) + "\n")
buf = io.BytesIO()
with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as gz:
    gz.write(("\n".join(json.dumps(e) for e in events[20:36]) + "\n").encode())
(OUT / "part-2.jsonl.gz").write_bytes(buf.getvalue())
for n, e in enumerate(events[36:]):
    (OUT / "single" / ("event-%d.json" % n)).write_text(json.dumps(e, indent=2) + "\n")
(OUT / "single" / "README.txt").write_text("Passed over by new-event: not .json, .ndjson or .jsonl.\n")
