"""Reading a webhook body as the contract reads it (``evschema``, crates/evcontract/src/parse.rs).

``json.loads`` is looser than the contract: it accepts ``NaN`` and ``Infinity``, keeps the last of
two equal keys, decodes lone surrogate escapes (``"\\ud800"``) and reads a 400-digit integer
exactly. ``parse(body)`` refuses what evschema refuses, with evschema's kinds (``parse``,
``too_deep``), messages, JSON Pointers, lines and columns:

- a byte-order mark or UTF-16/32 text, an empty body;
- bytes that are not UTF-8 (at the first such byte);
- any syntax error of RFC 8259, at the place and in the words of serde_json, which evschema uses
  (``NaN`` is "expected value"; a trailing comma is "trailing comma");
- a key repeated in one object, at any depth (``duplicate key `id```);
- nesting past ``MAX_DEPTH`` levels of arrays and objects (``too_deep``, at the bracket that
  would open the next level, with its pointer).

A number outside the range of a double is not a parse error, as in evschema: it is read as
infinity, and ``validate`` reports it (``double_range``) where it is.

Valid bodies are read by ``json.loads`` (C code) with hooks that see every object and constant;
only a refused body is read again by ``_Scanner``, a port of serde_json's reader that finds where
and why, byte for byte as evschema reports it. CI compares both on hostile bodies, each kind of
error at many places (tools/packages/test/parse_parity.py).

Copied unchanged into the Python package by ``cargo xtask package``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ._catalog import MAX_DEPTH


class ParseError(ValueError):
    """A body that is not one JSON value under the contract's rules.

    ``error`` is the problem as ``evschema validate --format json`` reports it: a dict (an
    ``Error``) with ``pointer`` (empty, except for ``too_deep``), ``kind`` (``parse`` or
    ``too_deep``), ``message``, ``line`` and ``column`` (1-based, the column in characters)."""

    def __init__(self, error: Any):
        super().__init__(f"{error['message']} at line {error['line']} column {error['column']}")
        self.error = error


# serde_json's messages (serde_json::error::ErrorCode's Display).
_EOF_LIST = "EOF while parsing a list"
_EOF_OBJECT = "EOF while parsing an object"
_EOF_STRING = "EOF while parsing a string"
_EOF_VALUE = "EOF while parsing a value"
_COLON = "expected `:`"
_LIST_COMMA = "expected `,` or `]`"
_OBJECT_COMMA = "expected `,` or `}`"
_IDENT = "expected ident"
_VALUE = "expected value"
_ESCAPE = "invalid escape"
_NUMBER = "invalid number"
_CODE_POINT = "invalid unicode code point"
_CONTROL = "control character (\\u0000-\\u001F) found while parsing a string"
_KEY = "key must be a string"
_LONE = "lone leading surrogate in hex escape"
_HEX_END = "unexpected end of hex escape"
_TRAILING_COMMA = "trailing comma"
_TRAILING = "trailing characters"
_RECURSION = "recursion limit exceeded"

_WS = frozenset(b" \n\t\r")
_DIGITS = frozenset(b"0123456789")
_HEX = frozenset(b"0123456789abcdefABCDEF")
_SIMPLE_ESCAPES = {ord('"'): '"', ord("\\"): "\\", ord("/"): "/", ord("b"): "\b", ord("f"): "\f",
                   ord("n"): "\n", ord("r"): "\r", ord("t"): "\t"}


class _Stop(Exception):
    """serde_json's error: its message and the index its position is computed from."""

    def __init__(self, message: str, index: int, pointer: list[Any] | None = None):
        super().__init__(message)
        self.message = message
        self.index = index
        self.pointer = pointer


class _Duplicate(Exception):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


class _Scanner:
    """serde_json's `Deserializer<SliceRead>` driven by evcontract's `StrictValue`, as far as
    errors go: the same order of checks, and for each error the index serde_json computes its
    position from (``error``: the index after the byte just read; ``peek_error``: the one after
    the byte looked at)."""

    def __init__(self, data: bytes):
        self.b = data
        self.n = len(data)
        self.i = 0
        self.remaining = 128  # serde_json's recursion limit

    def error(self, message: str) -> _Stop:
        return _Stop(message, self.i)

    def peek_error(self, message: str) -> _Stop:
        return _Stop(message, min(self.n, self.i + 1))

    def ws(self) -> int | None:
        b, n, i = self.b, self.n, self.i
        while i < n and b[i] in _WS:
            i += 1
        self.i = i
        return b[i] if i < n else None

    def run(self) -> None:
        self.value([])
        if self.ws() is not None:
            raise self.peek_error(_TRAILING)

    def value(self, path: list[Any]) -> None:
        c = self.ws()
        if c is None:
            raise self.peek_error(_EOF_VALUE)
        if c == 0x6E:  # n
            self.i += 1
            self.ident(b"ull")
        elif c == 0x74:  # t
            self.i += 1
            self.ident(b"rue")
        elif c == 0x66:  # f
            self.i += 1
            self.ident(b"alse")
        elif c == 0x2D:  # -
            self.i += 1
            self.number()
        elif c in _DIGITS:
            self.number()
        elif c == 0x22:  # "
            self.i += 1
            self.string()
        elif c == 0x5B:  # [
            self.remaining -= 1
            if self.remaining == 0:
                raise _Stop(_RECURSION, min(self.n, self.i + 1), list(path))
            self.i += 1
            self.array(path)
            self.remaining += 1
        elif c == 0x7B:  # {
            self.remaining -= 1
            if self.remaining == 0:
                raise _Stop(_RECURSION, min(self.n, self.i + 1), list(path))
            self.i += 1
            try:
                self.object(path)
            except _Duplicate as repeated:
                # A custom error gets its position once the object's reader has given up: after
                # the white space that follows the repeated key.
                self.ws()
                raise self.error(f"duplicate key `{_escape_debug(repeated.key)}`") from None
            self.remaining += 1
        else:
            raise self.peek_error(_VALUE)

    def ident(self, rest: bytes) -> None:
        for expected in rest:
            if self.i >= self.n:
                raise self.error(_EOF_VALUE)
            got = self.b[self.i]
            self.i += 1
            if got != expected:
                raise self.error(_IDENT)

    def next_byte(self) -> int | None:
        if self.i >= self.n:
            return None
        self.i += 1
        return self.b[self.i - 1]

    def peek(self) -> int | None:
        return self.b[self.i] if self.i < self.n else None

    def number(self) -> None:
        c = self.next_byte()
        if c is None:
            raise self.error(_EOF_VALUE)
        if c == 0x30:  # 0: only one leading zero
            if self.peek() in _DIGITS:
                raise self.peek_error(_NUMBER)
        elif c in _DIGITS:
            while self.peek() in _DIGITS:
                self.i += 1
        else:
            raise self.error(_NUMBER)
        if self.peek() == 0x2E:  # .
            self.i += 1
            digits = 0
            while self.peek() in _DIGITS:
                self.i += 1
                digits += 1
            if digits == 0:
                raise self.peek_error(_NUMBER if self.peek() is not None else _EOF_VALUE)
        if self.peek() in (0x65, 0x45):  # e E
            self.i += 1
            if self.peek() in (0x2B, 0x2D):
                self.i += 1
            c = self.next_byte()
            if c is None:
                raise self.error(_EOF_VALUE)
            if c not in _DIGITS:
                raise self.error(_NUMBER)
            while self.peek() in _DIGITS:
                self.i += 1

    def string(self) -> str:
        """After the opening quote: the string's text, up to and past its closing quote."""
        b, n = self.b, self.n
        out: list[str] = []
        start = self.i
        while True:
            i = self.i
            while i < n and b[i] != 0x22 and b[i] != 0x5C and b[i] >= 0x20:
                i += 1
            self.i = i
            if i == n:
                raise self.error(_EOF_STRING)
            c = b[i]
            if c == 0x22:
                piece = b[start:i]
                self.i = i + 1
                try:
                    out.append(piece.decode("utf-8"))
                except UnicodeDecodeError:
                    # evschema then points at the first byte that is not UTF-8 (`_report`).
                    raise self.error(_CODE_POINT) from None
                return "".join(out)
            if c == 0x5C:
                try:
                    out.append(b[start:i].decode("utf-8"))
                except UnicodeDecodeError:
                    out.append("")
                self.i = i + 1
                out.append(self.escape())
                start = self.i
                continue
            self.i = i + 1
            raise self.error(_CONTROL)

    def escape(self) -> str:
        c = self.next_byte()
        if c is None:
            raise self.error(_EOF_STRING)
        simple = _SIMPLE_ESCAPES.get(c)
        if simple is not None:
            return simple
        if c != 0x75:  # u
            raise self.error(_ESCAPE)
        first = self.hex4()
        if 0xDC00 <= first <= 0xDFFF:
            raise self.error(_LONE)
        if not 0xD800 <= first <= 0xDBFF:
            return chr(first)
        for expected in (0x5C, 0x75):  # \ u
            got = self.peek()
            if got is None:
                raise self.error(_EOF_STRING)
            self.i += 1
            if got != expected:
                raise self.error(_HEX_END)
        second = self.hex4()
        if not 0xDC00 <= second <= 0xDFFF:
            raise self.error(_LONE)
        return chr(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))

    def hex4(self) -> int:
        if self.n - self.i < 4:
            self.i = self.n
            raise self.error(_EOF_STRING)
        digits = self.b[self.i : self.i + 4]
        self.i += 4
        if not all(d in _HEX for d in digits):
            raise self.error(_ESCAPE)
        return int(digits, 16)

    def array(self, path: list[Any]) -> None:
        first = True
        index = 0
        while True:
            c = self.ws()
            if c is None:
                raise self.peek_error(_EOF_LIST)
            if c == 0x5D:  # ]
                self.i += 1
                return
            if first:
                first = False
            elif c == 0x2C:  # ,
                self.i += 1
                c = self.ws()
                if c == 0x5D:
                    raise self.peek_error(_TRAILING_COMMA)
                if c is None:
                    raise self.peek_error(_EOF_VALUE)
            else:
                raise self.peek_error(_LIST_COMMA)
            path.append(index)
            self.value(path)
            path.pop()
            index += 1

    def object(self, path: list[Any]) -> None:
        first = True
        keys: set[str] = set()
        while True:
            c = self.ws()
            if c is None:
                raise self.peek_error(_EOF_OBJECT)
            if c == 0x7D:  # }
                self.i += 1
                return
            if first:
                first = False
                if c != 0x22:
                    raise self.peek_error(_KEY)
            elif c == 0x2C:  # ,
                self.i += 1
                c = self.ws()
                if c == 0x7D:
                    raise self.peek_error(_TRAILING_COMMA)
                if c is None:
                    raise self.peek_error(_EOF_VALUE)
                if c != 0x22:
                    raise self.peek_error(_KEY)
            else:
                raise self.peek_error(_OBJECT_COMMA)
            self.i += 1
            key = self.string()
            if key in keys:
                raise _Duplicate(key)
            keys.add(key)
            c = self.ws()
            if c == 0x3A:  # :
                self.i += 1
            elif c is None:
                raise self.peek_error(_EOF_OBJECT)
            else:
                raise self.peek_error(_COLON)
            path.append(key)
            self.value(path)
            path.pop()


def _escape_debug(text: str) -> str:
    """Rust's `str::escape_debug`, as evschema writes a repeated key in its message."""
    out = []
    for ch in text:
        if ch == "\0":
            out.append("\\0")
        elif ch in "\t\r\n\\\"'":
            out.append({"\t": "\\t", "\r": "\\r", "\n": "\\n"}.get(ch, "\\" + ch))
        elif ch.isprintable():
            out.append(ch)
        else:
            out.append(f"\\u{{{ord(ch):x}}}")
    return "".join(out)


def _first_invalid_utf8(data: bytes, offset: int) -> int | None:
    """evcontract's `first_invalid_utf8`: the first byte at or before `offset` (or in the
    sequence that starts there) that is not part of a UTF-8 character."""
    end = min(offset + 4, len(data))
    try:
        data[:end].decode("utf-8")
    except UnicodeDecodeError as e:
        cut_short = e.reason == "unexpected end of data"
        if e.start <= offset and (not cut_short or end == len(data)):
            return e.start
    return None


def _escape_at(data: bytes, p: int) -> int | None:
    if p < 0 or data[p : p + 2] != b"\\u" or len(data) < p + 6:
        return None
    backslashes = len(data[: p + 1]) - len(data[: p + 1].rstrip(b"\\"))
    if backslashes % 2 == 0:
        return None
    hex_digits = data[p + 2 : p + 6]
    if not all(d in _HEX for d in hex_digits):
        return None
    return int(hex_digits, 16)


def _clearer_surrogate(message: str, data: bytes, offset: int) -> str:
    """evcontract's `clearer_surrogate`: serde_json's words on a surrogate escape made exact."""
    if message not in (_LONE, _HEX_END):
        return message
    found = None
    for p in range(offset, max(offset - 12, 0) - 1, -1):
        unit = _escape_at(data, p)
        if unit is not None:
            found = (p, unit)
            break
    if found is None:
        return message
    at, unit = found
    before = _escape_at(data, at - 6) if at >= 6 else None
    if 0xDC00 <= unit <= 0xDFFF:
        return (
            f"lone trailing surrogate \\u{unit:04X}: a trailing surrogate must follow a leading"
            " one (\\uD800 to \\uDBFF)"
        )
    if 0xD800 <= unit <= 0xDBFF:
        return (
            f"lone leading surrogate \\u{unit:04X}: it must be followed by a trailing surrogate"
            " (\\uDC00 to \\uDFFF)"
        )
    if before is not None and 0xD800 <= before <= 0xDBFF:
        return (
            f"lone leading surrogate \\u{before:04X}: it is followed by \\u{unit:04X}, not by a"
            " trailing surrogate (\\uDC00 to \\uDFFF)"
        )
    return message


def _pointer(path: list[Any]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _report(data: bytes, stop: _Stop) -> dict[str, Any]:
    """evcontract's `from_serde`: serde_json's position made a byte offset, then a line and a
    column in characters; nesting past the limit and bytes that are not UTF-8 said as such."""
    n = len(data)
    start_of_line = data.rfind(b"\n", 0, stop.index) + 1
    line = 1 + data.count(b"\n", 0, start_of_line)
    column0 = stop.index - start_of_line
    offset = min(start_of_line + max(column0 - 1, 0), n)
    message = stop.message
    kind = "parse"
    pointer = ""
    if stop.message == _RECURSION:
        what = "object" if data[offset : offset + 1] == b"{" else "array"
        message = (
            f"nested too deep: this {what} would open level {MAX_DEPTH + 1} of arrays and objects,"
            f" past the limit of {MAX_DEPTH}"
        )
        kind = "too_deep"
        pointer = _pointer(stop.pointer or [])
    invalid = _first_invalid_utf8(data, offset)
    if invalid is not None:
        offset = invalid
        message = f"invalid UTF-8: byte 0x{data[invalid]:02X} does not start or continue a character"
    else:
        message = _clearer_surrogate(message, data, offset)
    column = len(data[min(start_of_line, offset) : offset].decode("utf-8", "replace")) + 1
    return {"pointer": pointer, "kind": kind, "message": message, "line": line, "column": column}


def _encoding_problem(data: bytes) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):
        return "a UTF-8 byte-order mark starts the input; JSON text must not begin with one"
    if data.startswith(b"\x00\x00\xfe\xff") or data.startswith(b"\xff\xfe\x00\x00"):
        return "the input is UTF-32, not UTF-8"
    if data.startswith(b"\xfe\xff") or data.startswith(b"\xff\xfe"):
        return "the input is UTF-16, not UTF-8"
    return None


_ASCII_WHITESPACE = b" \t\n\x0c\r"


def _refuse(data: bytes) -> dict[str, Any] | None:
    """Why evschema refuses `data`, or None if it does not."""
    problem = _encoding_problem(data)
    if problem is None and not data.strip(_ASCII_WHITESPACE):
        problem = "empty input: expected a JSON value"
    if problem is not None:
        return {"pointer": "", "kind": "parse", "message": problem, "line": 1, "column": 1}
    try:
        _Scanner(data).run()
    except _Stop as stop:
        return _report(data, stop)
    except RecursionError:  # not reached: the scanner stops at 128 levels
        return None
    return None


class _Refused(Exception):
    pass


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _Refused
    return out


def _constant(name: str) -> Any:
    raise _Refused  # NaN, Infinity, -Infinity


def _integer(text: str) -> int | float:
    # serde_json reads an integer past 64 bits as a double (past its range: infinity, which
    # `validate` refuses as `double_range`); Python would read it exactly, or refuse one of more
    # than 4,300 digits.
    if len(text) <= 19:
        return int(text)
    value = int(text) if len(text) < 4000 else float(text)
    return value if abs(value) < 2**64 else float(text)


_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_constant=_constant, parse_int=_integer)

# A `\u` escape of a surrogate: json.loads decodes a lone one, serde_json refuses it.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _too_deep(value: Any) -> bool:
    """Whether `value` nests arrays and objects past MAX_DEPTH levels."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > MAX_DEPTH:
            return True
        for child in children:
            if isinstance(child, (dict, list)):
                stack.append((child, depth + 1))
    return False


def parse(body: bytes | bytearray | memoryview | str) -> Any:
    """Reads one event's body (the raw bytes of a webhook request, or its text) as the contract
    reads it, and returns the parsed JSON value; raises ``ParseError`` (a ``ValueError``) with
    the problem evschema reports for the same bytes. Text is read as its UTF-8 encoding."""
    if isinstance(body, str):
        try:
            data = body.encode("utf-8")
        except UnicodeEncodeError as e:
            line = body.count("\n", 0, e.start) + 1
            column = e.start - (body.rfind("\n", 0, e.start) + 1) + 1
            raise ParseError({
                "pointer": "", "kind": "parse", "line": line, "column": column,
                "message": f"a lone surrogate U+{ord(body[e.start]):04X} in the text: it has no UTF-8 form",
            }) from None
    else:
        data = bytes(body)
    refused = None
    value: Any = None
    if data[:1] in (b"\xef", b"\xfe", b"\xff", b"\x00") or not data.strip(_ASCII_WHITESPACE):
        refused = _refuse(data)
    else:
        try:
            text = data.decode("utf-8")
            # A surrogate escape is refused unless it is half of a pair: the scanner decides.
            if _SURROGATE_ESCAPE.search(text) and _refuse(data) is not None:
                raise _Refused
            value = _DECODER.decode(text)
            if _too_deep(value):
                raise _Refused
        except (_Refused, UnicodeDecodeError, ValueError, RecursionError):
            refused = _refuse(data)
            if refused is None:
                raise AssertionError(
                    "opentact_events.parse: json.loads refused a body the contract's reader accepts;"
                    " please report it with the body"
                ) from None
    if refused is not None:
        from ._validate import Error

        raise ParseError(Error(**refused))
    return value


__all__ = ["ParseError", "parse"]
