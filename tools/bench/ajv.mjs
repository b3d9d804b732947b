// The ajv rows of evbench's `peers` benchmark: validates every line of an NDJSON file with the
// validators of the installed @opentact/events package, as a consumer's program would, and prints
// one JSON line: {"events": N, "invalid": M, "invalid_lines": [1-based line numbers]}.
//
// Usage: node ajv.mjs --package DIR --unknown-fields deny|allow [--api validators|validate] FILE
//
//   --package         the installed package's folder (node_modules/@opentact/events)
//   --unknown-fields  `deny`: the contract (validators/deny.js); `allow`: the published schemas as
//                     they are, the tolerant reader (validators/allow.js)
//   --api             `validators` (the default): ajv's standalone validators alone, one per event
//                     type, chosen by `type` as the package does (report.js): the type's own
//                     validator when `type` names a known event type, the any-event one otherwise;
//                     a yes/no verdict. `validate`: the package's public `validate(event,
//                     { unknownFields })`, which also checks evschema's limits (depth, numbers out
//                     of a double's range) and builds the error report of a refused event.
//
// A line that `JSON.parse` refuses counts as invalid; blank lines are not events. Exit codes: 0
// when every event is valid, 1 when one is not, 2 for bad usage or a file that cannot be read.
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

function usage(message) {
  console.error(`ajv.mjs: ${message}\nusage: node ajv.mjs --package DIR --unknown-fields deny|allow [--api validators|validate] FILE`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      package: { type: 'string' },
      'unknown-fields': { type: 'string' },
      api: { type: 'string', default: 'validators' },
    },
    allowPositionals: true,
  });
} catch (err) {
  usage(err.message);
}
const { values, positionals } = parsed;
const policy = values['unknown-fields'];
if (!values.package) usage('--package is required');
if (policy !== 'deny' && policy !== 'allow') usage('--unknown-fields must be deny or allow');
if (values.api !== 'validators' && values.api !== 'validate') usage('--api must be validators or validate');
if (positionals.length !== 1) usage('one NDJSON file is required');

const load = (file) => import(pathToFileURL(join(values.package, file)).href);

/** The verdict of one parsed event: true when it keeps the schemas. */
let isValid;
if (values.api === 'validators') {
  // A plain object of the module's exports: one validator per event type, and `any`.
  const validators = { ...(await load(join('validators', `${policy}.js`))) };
  const any = validators.any;
  if (typeof any !== 'function') usage(`${values.package}: validators/${policy}.js exports no \`any\` validator`);
  isValid = (event) => {
    const type = event !== null && typeof event === 'object' && !Array.isArray(event) ? event.type : undefined;
    const validate = typeof type === 'string' && type !== 'any' && Object.hasOwn(validators, type) ? validators[type] : any;
    return validate(event);
  };
} else {
  const { validate } = await load('index.js');
  const options = { unknownFields: policy };
  isValid = (event) => validate(event, options).valid;
}

let events = 0;
const invalidLines = [];
let lineNumber = 0;

function line(buffer, start, end) {
  lineNumber += 1;
  if (end > start && buffer[end - 1] === 0x0d) end -= 1; // CRLF
  let blank = true;
  for (let i = start; i < end && blank; i++) {
    const b = buffer[i];
    blank = b === 0x20 || b === 0x09 || b === 0x0d;
  }
  if (blank) return;
  events += 1;
  let event;
  try {
    event = JSON.parse(buffer.toString('utf8', start, end));
  } catch {
    invalidLines.push(lineNumber);
    return;
  }
  if (!isValid(event)) invalidLines.push(lineNumber);
}

// The file is read in 1 MiB chunks and split on newlines, so that memory stays flat whatever its
// size; a line longer than a chunk grows the buffer.
let fd;
try {
  fd = openSync(positionals[0], 'r');
} catch (err) {
  usage(err.message);
}
let buffer = Buffer.allocUnsafe(1 << 20);
let filled = 0;
for (;;) {
  if (filled === buffer.length) {
    const bigger = Buffer.allocUnsafe(buffer.length * 2);
    buffer.copy(bigger, 0, 0, filled);
    buffer = bigger;
  }
  const read = readSync(fd, buffer, filled, buffer.length - filled, null);
  if (read === 0) break;
  const end = filled + read;
  let start = 0;
  for (let nl = buffer.indexOf(0x0a, filled); nl !== -1 && nl < end; nl = buffer.indexOf(0x0a, start)) {
    line(buffer, start, nl);
    start = nl + 1;
  }
  buffer.copy(buffer, 0, start, end);
  filled = end - start;
}
if (filled > 0) line(buffer, 0, filled);
closeSync(fd);

process.stdout.write(`${JSON.stringify({ events, invalid: invalidLines.length, invalid_lines: invalidLines })}\n`);
process.exitCode = invalidLines.length > 0 ? 1 : 0;
