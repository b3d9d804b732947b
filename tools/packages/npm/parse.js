// Reading a webhook body as the contract reads it (`evschema`, crates/evcontract/src/parse.rs).
//
// `JSON.parse` is looser than the contract: it keeps the last of two equal keys and decodes
// lone surrogate escapes ("\ud800"). `parse(body)` refuses what evschema refuses, with
// evschema's kinds (`parse`, `too_deep`), messages, JSON Pointers, lines and columns:
// a byte-order mark or UTF-16/32 text, an empty body, bytes that are not UTF-8, any syntax error
// of RFC 8259 (`NaN` is "expected value", at the place and in the words of serde_json, which
// evschema uses), a key repeated in one object at any depth, nesting past MAX_DEPTH levels.
// A number outside the range of a double is not a parse error, as in evschema: JSON.parse reads
// it as Infinity, and validate() reports it (`double_range`) where it is.
//
// The scanner is a port of serde_json's reader as far as errors go (the same order of checks,
// and for each error the index serde_json computes its position from); the value is then built
// by JSON.parse. CI compares it with evschema on hostile bodies (tools/packages/test/hostile.py).
// Its twin is the Python package's _parse.py.
//
// Copied unchanged into the npm package by `cargo xtask package`.

import { MAX_DEPTH } from './catalog.js';

/** A body that is not one JSON value under the contract's rules; `error` is the problem as
 * `evschema validate --format json` reports it. */
export class ParseError extends SyntaxError {
  constructor(error) {
    super(`${error.message} at line ${error.line} column ${error.column}`);
    this.name = 'ParseError';
    this.error = error;
  }
}

const EOF_LIST = 'EOF while parsing a list';
const EOF_OBJECT = 'EOF while parsing an object';
const EOF_STRING = 'EOF while parsing a string';
const EOF_VALUE = 'EOF while parsing a value';
const COLON = 'expected `:`';
const LIST_COMMA = 'expected `,` or `]`';
const OBJECT_COMMA = 'expected `,` or `}`';
const IDENT = 'expected ident';
const VALUE = 'expected value';
const ESCAPE = 'invalid escape';
const NUMBER = 'invalid number';
const CODE_POINT = 'invalid unicode code point';
const CONTROL = 'control character (\\u0000-\\u001F) found while parsing a string';
const KEY = 'key must be a string';
const LONE = 'lone leading surrogate in hex escape';
const HEX_END = 'unexpected end of hex escape';
const TRAILING_COMMA = 'trailing comma';
const TRAILING = 'trailing characters';
const RECURSION = 'recursion limit exceeded';

class Stop {
  constructor(message, index, pointer) {
    this.message = message;
    this.index = index;
    this.pointer = pointer;
  }
}

class Duplicate {
  constructor(key) {
    this.key = key;
  }
}

const isWs = (c) => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
const isDigit = (c) => c >= 0x30 && c <= 0x39;
const hexValue = (c) => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1);
const SIMPLE = { 0x22: '"', 0x5c: '\\', 0x2f: '/', 0x62: '\b', 0x66: '\f', 0x6e: '\n', 0x72: '\r', 0x74: '\t' };
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossyUtf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** serde_json's reader driven by evcontract's StrictValue, as far as errors go. */
class Scanner {
  constructor(bytes) {
    this.b = bytes;
    this.n = bytes.length;
    this.i = 0;
    this.remaining = 128;
  }

  error(message) {
    return new Stop(message, this.i);
  }

  peekError(message) {
    return new Stop(message, Math.min(this.n, this.i + 1));
  }

  ws() {
    const { b, n } = this;
    let i = this.i;
    while (i < n && isWs(b[i])) i++;
    this.i = i;
    return i < n ? b[i] : undefined;
  }

  peek() {
    return this.i < this.n ? this.b[this.i] : undefined;
  }

  run() {
    this.value([]);
    if (this.ws() !== undefined) throw this.peekError(TRAILING);
  }

  value(path) {
    const c = this.ws();
    if (c === undefined) throw this.peekError(EOF_VALUE);
    if (c === 0x6e) {
      this.i++;
      this.ident([0x75, 0x6c, 0x6c]);
    } else if (c === 0x74) {
      this.i++;
      this.ident([0x72, 0x75, 0x65]);
    } else if (c === 0x66) {
      this.i++;
      this.ident([0x61, 0x6c, 0x73, 0x65]);
    } else if (c === 0x2d) {
      this.i++;
      this.number();
    } else if (isDigit(c)) {
      this.number();
    } else if (c === 0x22) {
      this.i++;
      this.string();
    } else if (c === 0x5b || c === 0x7b) {
      this.remaining--;
      if (this.remaining === 0) throw new Stop(RECURSION, Math.min(this.n, this.i + 1), [...path]);
      this.i++;
      if (c === 0x5b) {
        this.array(path);
      } else {
        try {
          this.object(path);
        } catch (err) {
          if (!(err instanceof Duplicate)) throw err;
          // A custom error gets its position once the object's reader has given up: after the
          // white space that follows the repeated key.
          this.ws();
          throw this.error(`duplicate key \`${escapeDebug(err.key)}\``);
        }
      }
      this.remaining++;
    } else {
      throw this.peekError(VALUE);
    }
  }

  ident(rest) {
    for (const expected of rest) {
      if (this.i >= this.n) throw this.error(EOF_VALUE);
      const got = this.b[this.i++];
      if (got !== expected) throw this.error(IDENT);
    }
  }

  number() {
    if (this.i >= this.n) throw this.error(EOF_VALUE);
    const c = this.b[this.i++];
    if (c === 0x30) {
      if (isDigit(this.peek())) throw this.peekError(NUMBER);
    } else if (isDigit(c)) {
      while (isDigit(this.peek())) this.i++;
    } else {
      throw this.error(NUMBER);
    }
    if (this.peek() === 0x2e) {
      this.i++;
      let digits = 0;
      while (isDigit(this.peek())) {
        this.i++;
        digits++;
      }
      if (digits === 0) throw this.peekError(this.peek() !== undefined ? NUMBER : EOF_VALUE);
    }
    const e = this.peek();
    if (e === 0x65 || e === 0x45) {
      this.i++;
      const sign = this.peek();
      if (sign === 0x2b || sign === 0x2d) this.i++;
      if (this.i >= this.n) throw this.error(EOF_VALUE);
      if (!isDigit(this.b[this.i++])) throw this.error(NUMBER);
      while (isDigit(this.peek())) this.i++;
    }
  }

  /** After the opening quote: the string's text, up to and past its closing quote. */
  string() {
    const { b, n } = this;
    let out = '';
    let start = this.i;
    for (;;) {
      let i = this.i;
      let ascii = true;
      while (i < n) {
        const c = b[i];
        if (c === 0x22 || c === 0x5c || c < 0x20) break;
        if (c >= 0x80) ascii = false;
        i++;
      }
      this.i = i;
      if (i === n) throw this.error(EOF_STRING);
      const c = b[i];
      if (c === 0x22) {
        this.i = i + 1;
        if (ascii && out === '') return latin1(b, start, i);
        try {
          return out + strictUtf8.decode(b.subarray(start, i));
        } catch {
          // evschema then points at the first byte that is not UTF-8 (`report`).
          throw this.error(CODE_POINT);
        }
      }
      if (c === 0x5c) {
        out += lossyUtf8.decode(b.subarray(start, i));
        this.i = i + 1;
        out += this.escape();
        start = this.i;
        continue;
      }
      this.i = i + 1;
      throw this.error(CONTROL);
    }
  }

  escape() {
    if (this.i >= this.n) throw this.error(EOF_STRING);
    const c = this.b[this.i++];
    const simple = SIMPLE[c];
    if (simple !== undefined) return simple;
    if (c !== 0x75) throw this.error(ESCAPE);
    const first = this.hex4();
    if (first >= 0xdc00 && first <= 0xdfff) throw this.error(LONE);
    if (first < 0xd800 || first > 0xdbff) return String.fromCharCode(first);
    for (const expected of [0x5c, 0x75]) {
      const got = this.peek();
      if (got === undefined) throw this.error(EOF_STRING);
      this.i++;
      if (got !== expected) throw this.error(HEX_END);
    }
    const second = this.hex4();
    if (second < 0xdc00 || second > 0xdfff) throw this.error(LONE);
    return String.fromCharCode(first, second);
  }

  hex4() {
    if (this.n - this.i < 4) {
      this.i = this.n;
      throw this.error(EOF_STRING);
    }
    let value = 0;
    let ok = true;
    for (let k = 0; k < 4; k++) {
      const h = hexValue(this.b[this.i + k]);
      if (h < 0) ok = false;
      value = value * 16 + h;
    }
    this.i += 4;
    if (!ok) throw this.error(ESCAPE);
    return value;
  }

  array(path) {
    let first = true;
    let index = 0;
    for (;;) {
      let c = this.ws();
      if (c === undefined) throw this.peekError(EOF_LIST);
      if (c === 0x5d) {
        this.i++;
        return;
      }
      if (first) {
        first = false;
      } else if (c === 0x2c) {
        this.i++;
        c = this.ws();
        if (c === 0x5d) throw this.peekError(TRAILING_COMMA);
        if (c === undefined) throw this.peekError(EOF_VALUE);
      } else {
        throw this.peekError(LIST_COMMA);
      }
      path.push(index);
      this.value(path);
      path.pop();
      index++;
    }
  }

  object(path) {
    let first = true;
    const keys = new Set();
    for (;;) {
      let c = this.ws();
      if (c === undefined) throw this.peekError(EOF_OBJECT);
      if (c === 0x7d) {
        this.i++;
        return;
      }
      if (first) {
        first = false;
        if (c !== 0x22) throw this.peekError(KEY);
      } else if (c === 0x2c) {
        this.i++;
        c = this.ws();
        if (c === 0x7d) throw this.peekError(TRAILING_COMMA);
        if (c === undefined) throw this.peekError(EOF_VALUE);
        if (c !== 0x22) throw this.peekError(KEY);
      } else {
        throw this.peekError(OBJECT_COMMA);
      }
      this.i++;
      const key = this.string();
      if (keys.has(key)) throw new Duplicate(key);
      keys.add(key);
      c = this.ws();
      if (c === 0x3a) this.i++;
      else if (c === undefined) throw this.peekError(EOF_OBJECT);
      else throw this.peekError(COLON);
      path.push(key);
      this.value(path);
      path.pop();
    }
  }
}

function latin1(b, start, end) {
  let out = '';
  for (let i = start; i < end; i += 4096) out += String.fromCharCode(...b.subarray(i, Math.min(end, i + 4096)));
  return out;
}

/** Rust's `str::escape_debug`, as evschema writes a repeated key in its message. */
function escapeDebug(text) {
  let out = '';
  for (const ch of text) {
    if (ch === '\0') out += '\\0';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\\' || ch === '"' || ch === "'") out += `\\${ch}`;
    else if (/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]|[^\P{Zs} ]/u.test(ch)) out += `\\u{${ch.codePointAt(0).toString(16)}}`;
    else out += ch;
  }
  return out;
}

/** evcontract's `first_invalid_utf8`: the first byte at or before `offset` (or in the sequence
 * that starts there) that is not part of a UTF-8 character. */
function firstInvalidUtf8(b, offset) {
  const end = Math.min(offset + 4, b.length);
  let i = 0;
  while (i < end) {
    const c = b[i];
    let need;
    let lo = 0x80;
    let hi = 0xbf;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i <= offset ? i : undefined;
    for (let k = 1; k <= need; k++) {
      if (i + k >= end) {
        // Cut short by the window: invalid only if the input ends there.
        return end === b.length && i <= offset ? i : undefined;
      }
      const d = b[i + k];
      if (d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i <= offset ? i : undefined;
    }
    i += need + 1;
  }
  return undefined;
}

function escapeAt(b, p) {
  if (p < 0 || p + 6 > b.length || b[p] !== 0x5c || b[p + 1] !== 0x75) return undefined;
  let backslashes = 0;
  for (let k = p; k >= 0 && b[k] === 0x5c; k--) backslashes++;
  if (backslashes % 2 === 0) return undefined;
  let value = 0;
  for (let k = p + 2; k < p + 6; k++) {
    const h = hexValue(b[k]);
    if (h < 0) return undefined;
    value = value * 16 + h;
  }
  return value;
}

const hex4 = (unit) => unit.toString(16).toUpperCase().padStart(4, '0');

/** evcontract's `clearer_surrogate`: serde_json's words on a surrogate escape made exact. */
function clearerSurrogate(message, b, offset) {
  if (message !== LONE && message !== HEX_END) return message;
  let at;
  let unit;
  for (let p = offset; p >= Math.max(offset - 12, 0); p--) {
    unit = escapeAt(b, p);
    if (unit !== undefined) {
      at = p;
      break;
    }
  }
  if (at === undefined) return message;
  const before = at >= 6 ? escapeAt(b, at - 6) : undefined;
  if (unit >= 0xdc00 && unit <= 0xdfff) return `lone trailing surrogate \\u${hex4(unit)}: a trailing surrogate must follow a leading one (\\uD800 to \\uDBFF)`;
  if (unit >= 0xd800 && unit <= 0xdbff) return `lone leading surrogate \\u${hex4(unit)}: it must be followed by a trailing surrogate (\\uDC00 to \\uDFFF)`;
  if (before !== undefined && before >= 0xd800 && before <= 0xdbff) {
    return `lone leading surrogate \\u${hex4(before)}: it is followed by \\u${hex4(unit)}, not by a trailing surrogate (\\uDC00 to \\uDFFF)`;
  }
  return message;
}

const pointerOf = (path) => path.map((t) => `/${String(t).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');

/** evcontract's `from_serde`: serde_json's position made a byte offset, then a line and a column
 * in characters. */
function report(b, stop) {
  const n = b.length;
  let startOfLine = 0;
  let line = 1;
  for (let k = 0; k < stop.index; k++) {
    if (b[k] === 0x0a) {
      startOfLine = k + 1;
      line++;
    }
  }
  const column0 = stop.index - startOfLine;
  let offset = Math.min(startOfLine + Math.max(column0 - 1, 0), n);
  let { message } = stop;
  let kind = 'parse';
  let pointer = '';
  if (message === RECURSION) {
    const what = b[offset] === 0x7b ? 'object' : 'array';
    message = `nested too deep: this ${what} would open level ${MAX_DEPTH + 1} of arrays and objects, past the limit of ${MAX_DEPTH}`;
    kind = 'too_deep';
    pointer = pointerOf(stop.pointer ?? []);
  }
  const invalid = firstInvalidUtf8(b, offset);
  if (invalid !== undefined) {
    offset = invalid;
    message = `invalid UTF-8: byte 0x${b[invalid].toString(16).toUpperCase().padStart(2, '0')} does not start or continue a character`;
  } else {
    message = clearerSurrogate(message, b, offset);
  }
  const column = [...lossyUtf8.decode(b.subarray(Math.min(startOfLine, offset), offset))].length + 1;
  return { pointer, kind, message, line, column };
}

function encodingProblem(b) {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'a UTF-8 byte-order mark starts the input; JSON text must not begin with one';
  if ((b[0] === 0x00 && b[1] === 0x00 && b[2] === 0xfe && b[3] === 0xff) || (b[0] === 0xff && b[1] === 0xfe && b[2] === 0x00 && b[3] === 0x00)) {
    return 'the input is UTF-32, not UTF-8';
  }
  if ((b[0] === 0xfe && b[1] === 0xff) || (b[0] === 0xff && b[1] === 0xfe)) return 'the input is UTF-16, not UTF-8';
  return undefined;
}

const asciiWs = (c) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;

/** Why evschema refuses the bytes `b`, or undefined if it does not. */
function refuse(b) {
  let problem = encodingProblem(b);
  if (problem === undefined && b.every(asciiWs)) problem = 'empty input: expected a JSON value';
  if (problem !== undefined) return { pointer: '', kind: 'parse', message: problem, line: 1, column: 1 };
  try {
    new Scanner(b).run();
  } catch (err) {
    if (err instanceof Stop) return report(b, err);
    throw err;
  }
  return undefined;
}

const encoder = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function bytesOf(body) {
  if (typeof body === 'string') {
    const lone = LONE_SURROGATE.exec(body);
    if (lone !== null) {
      const before = body.slice(0, lone.index);
      const line = before.split('\n').length;
      const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
      const unit = body.charCodeAt(lone.index).toString(16).toUpperCase();
      throw new ParseError({ pointer: '', kind: 'parse', message: `a lone surrogate U+${unit} in the text: it has no UTF-8 form`, line, column });
    }
    return encoder.encode(body);
  }
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('parse: the body must be a string, a Uint8Array (a Buffer), an ArrayBuffer or a typed array');
}

/**
 * Reads one event's body (the raw bytes of a webhook request, or its text) as the contract reads
 * it and returns the parsed JSON value; throws a `ParseError` whose `error` is the problem
 * evschema reports for the same bytes. Text is read as its UTF-8 encoding.
 */
export function parse(body) {
  const b = bytesOf(body);
  const refused = refuse(b);
  if (refused !== undefined) throw new ParseError(refused);
  return JSON.parse(typeof body === 'string' ? body : lossyUtf8.decode(b));
}
