"""Writes hostile webhook bodies, one file each, that the packages' body readers
(`opentact_events.validate_body`, `validateBody` of @opentact/events) must judge as evschema does:
the same kind, message, JSON Pointer, line and column for every body evschema cannot read, and
the same verdict, pointers and kinds for every body it can.

Every kind of problem evschema's reader refuses, at many places of real events (compact,
pretty-printed, with CRLF, with text that is not ASCII before the fault, so that columns count
characters): a byte-order mark, UTF-16 and UTF-32, empty bodies, bytes that are not UTF-8
(a stray byte, a cut sequence, an encoded surrogate, an overlong form) inside and outside strings,
`NaN` and `Infinity`, a key repeated in each object (with white space and new lines around it,
and spelled with escapes), nesting at and past the limit, truncation at every few bytes, and
single-byte edits (deletions, structural characters inserted); plus bodies that parse: numbers
past a double, unknown keys.

Usage: python hostile.py REPO_ROOT OUT_DIR
The installed `evschema validate --format json OUT_DIR` report is the truth.
"""

import json
import random
import sys
from pathlib import Path

root, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
bodies: dict[str, bytes] = {}


def add(name: str, body: bytes) -> None:
    bodies[f"{len(bodies):05d}-{name}.json"] = body


sources = {
    "live": root / "fixtures/valid/call_state/platform-call_state_live.json",
    "auth": root / "fixtures/valid/auth/platform-auth_success.json",
}
events = {name: json.loads(path.read_text()) for name, path in sources.items()}
texts: dict[str, bytes] = {}
for name, event in events.items():
    texts[f"{name}-compact"] = json.dumps(event, separators=(",", ":")).encode()
    texts[f"{name}-pretty"] = json.dumps(event, indent=2, ensure_ascii=False).encode()
# Text that is not ASCII before most places, and CRLF line ends.
accented = dict(events["auth"])
accented = {"note": "réseau — 電話 📞", **accented}
texts["auth-accented-crlf"] = json.dumps(accented, indent=1, ensure_ascii=False).replace("\n", "\r\n").encode()

# Bodies that parse (the schema decides).
for name, text in texts.items():
    add(f"{name}-as-is", text)
live = dict(events["live"])
add("unknown-key", json.dumps({**live, "added_later": {"nested": [1, 2]}}).encode())
add("past-double", json.dumps(live).replace('"payload": {', '"payload": {"big": 1e400, ', 1).encode())
add("past-double-integer", json.dumps(live).replace('"payload": {', '"payload": {"big": 1' + "0" * 400 + ", ", 1).encode())
add("surrogate-pair", json.dumps({**live, "x": "\\ud83d\\udcde"}).replace("\\\\", "\\").encode())
add("nested-127", b'{"type": "auth", "x": ' + b"[" * 126 + b"]" * 126 + b"}")

# The reader's own refusals.
compact = texts["live-compact"]
add("bom", b"\xef\xbb\xbf" + compact)
add("utf16-le", json.dumps(live).encode("utf-16-le"))
add("utf16-bom", b"\xff\xfe" + json.dumps(live).encode("utf-16-le"))
add("utf32", b"\x00\x00\xfe\xff" + json.dumps(live).encode("utf-32-be"))
for blank in (b"", b" ", b"\n\n", b"\r\n\t ", b"\x0c"):
    add("blank", blank)
for name, text in texts.items():
    # Truncated every few bytes.
    for cut in range(0, len(text), 11):
        add(f"{name}-cut{cut}", text[:cut])
    # A repeated key in each object: right after the key, with white space, with a new line, and
    # spelled with an escape.
    starts = [i for i, c in enumerate(text) if c == ord("{")]
    for n, start in enumerate(starts):
        body = text[start + 1 :].lstrip()
        if not body.startswith(b'"'):
            continue
        key = body[: body.index(b'"', 1) + 1]
        for sep, spelled in ((b"", key), (b" ", key), (b"\n  ", key), (b"", key[:2] + b"\\u00" + key[2:3].hex().encode() + key[3:])):
            add(f"{name}-dup{n}", text[: start + 1] + spelled + sep + b": 1, " + text[start + 1 :])
    # NaN and Infinity in place of values, and bytes that are not UTF-8.
    colons = [i for i, c in enumerate(text) if c == ord(":")]
    for n, at in enumerate(colons[::3]):
        for word in (b"NaN", b"Infinity", b"-Infinity", b"nan", b"tru", b"nul", b"01", b"1.", b"-", b"1e", b".5", b"+1", b"'x'"):
            add(f"{name}-value{n}", text[: at + 1] + word + b"," + text[at + 1 :])
    quotes = [i for i, c in enumerate(text) if c == ord('"')]
    for n, at in enumerate(quotes[1::7]):
        for bad in (b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xc0\xaf", b"\xe2\x82", b"\\x", b"\\ud800", b"\\udc00", b"\\ud800\\u0041", b"\\ud800x", b"\x01", b"\n", b"\\u12"):
            add(f"{name}-string{n}", text[:at] + bad + text[at:])
    for at in (0, len(text) // 2, len(text) - 1):
        add(f"{name}-stray", text[:at] + b"\xff" + text[at:])
    add(f"{name}-trailing", text + b" x")
    add(f"{name}-trailing-comma", text[:-1].rstrip() + b",}")
    # Single-byte edits at random places (a fixed seed: the same bodies on every run).
    rng = random.Random(f"{name}-15")
    for n in range(60):
        at = rng.randrange(len(text))
        if n % 2:
            add(f"{name}-delete{at}", text[:at] + text[at + 1 :])
        else:
            add(f"{name}-insert{at}", text[:at] + rng.choice([b"{", b"}", b"[", b"]", b",", b":", b'"', b"\\"]) + text[at:])

# Nesting: at the limit, past it with arrays, objects and both, inside a known key.
for depth in (127, 128, 129, 1000):
    add(f"deep-arrays-{depth}", b'{"type": "auth", "payload": ' + b"[" * (depth - 1) + b"]" * (depth - 1) + b"}")
    add(f"deep-objects-{depth}", b'{"x": ' + b'{"a/b~": ' * (depth - 1) + b"1" + b"}" * (depth - 1) + b"}")
    add(f"deep-mixed-{depth}", b"[" + b'{"k": [' * ((depth - 1) // 2) + b"]}" * ((depth - 1) // 2) + b"]")

for name, body in bodies.items():
    (out / name).write_bytes(body)
print(f"hostile bodies: {len(bodies)} in {out}")
