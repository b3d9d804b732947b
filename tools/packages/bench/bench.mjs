// The npm rows of bench.py: reads a repeat count per line on stdin, times one round of each row,
// and writes the seconds per event as one JSON line. Run in a project where the built
// @opentact/events tarball is installed.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { validate, validateBody } from '@opentact/events';

const root = process.argv[2];
const valid = [];
for (const type of readdirSync(join(root, 'fixtures', 'valid')).sort()) {
  for (const file of readdirSync(join(root, 'fixtures', 'valid', type)).filter((f) => f.endsWith('.json')).sort()) {
    valid.push(JSON.parse(readFileSync(join(root, 'fixtures', 'valid', type, file), 'utf8')));
  }
}
// The same faults as bench.py's.
const faulty = valid.map((event) => {
  const one = structuredClone(event);
  if (typeof one.ref_id === 'string') one.ref_id = one.ref_id.slice(0, -1);
  else one.created_on = '2024-02-30T16:41:36.253Z';
  return one;
});
const encoder = new TextEncoder();
const bodies = valid.map((e) => encoder.encode(JSON.stringify(e)));
if (!valid.every((e) => validate(e).valid) || faulty.some((e) => validate(e).valid)) throw new Error('bench.mjs: unexpected verdicts');

function time(repeat, run, events) {
  const start = process.hrtime.bigint();
  for (let r = 0; r < repeat; r++) run();
  return Number(process.hrtime.bigint() - start) / 1e9 / (repeat * events);
}

for await (const line of createInterface({ input: process.stdin })) {
  const repeat = Number(line);
  const out = {
    g: time(repeat, () => valid.forEach((e) => validate(e)), valid.length),
    h: time(repeat, () => bodies.forEach((b) => validateBody(b)), bodies.length),
    k: time(repeat, () => faulty.forEach((e) => validate(e)), faulty.length),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
