// Re-checks the breaking-change check's random schema pairs with ajv (see random_pairs.py):
// no pool value is accepted by a compatible direction's producer and refused by its reader,
// and every witness is accepted by its producer and refused by its reader. Draft 2020-12
// pairs only: ajv needs another package for draft-04, and JavaScript numbers cannot tell
// 1 from 1.0, which is what the draft-04 pairs are about.
//
// Usage: node tools/portability/random_pairs.mjs target/tmp/compat-random-pairs.json

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020');
const addFormats = require('ajv-formats');

const path = process.argv[2];
let data;
try {
  data = JSON.parse(readFileSync(path, 'utf8'));
} catch (err) {
  console.error(`${path}: ${err.message}; \`cargo test --workspace\` writes it`);
  process.exit(1);
}

// ajv 8.20.0 does not apply `contains` to an empty array when the same schema has
// `prefixItems` ({"contains": true, "prefixItems": [{}]} accepts []; the JSON Schema Test Suite,
// python-jsonschema and jsonschema-rs refuse it): a schema with both is skipped here.
function containsBesidePrefixItems(node) {
  if (Array.isArray(node)) return node.some(containsBesidePrefixItems);
  if (node === null || typeof node !== 'object') return false;
  if ('contains' in node && 'prefixItems' in node) return true;
  return Object.entries(node).some(([k, v]) => !['enum', 'const'].includes(k) && containsBesidePrefixItems(v));
}

const cache = new Map();
function validator(schema) {
  const key = JSON.stringify(schema);
  if (!cache.has(key)) {
    let v = null;
    const draft04 = schema !== null && typeof schema === 'object' && '$schema' in schema;
    if (!draft04 && !containsBesidePrefixItems(schema)) {
      try {
        const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true, unicodeRegExp: true });
        addFormats(ajv);
        v = ajv.compile(schema);
      } catch {
        v = null; // a schema ajv refuses to compile: skipped
      }
    }
    cache.set(key, v);
  }
  return cache.get(key);
}

// ajv's generated code can throw on a schema it compiled (seen with `dependentRequired` beside
// `unevaluatedProperties`): such a pair says nothing either way and is skipped.
function accepts(validate, value) {
  try {
    return validate(value);
  } catch {
    return undefined;
  }
}

const failures = [];
let skipped = 0;
for (const pair of data.compatible) {
  const p = validator(pair.producer);
  const r = validator(pair.reader);
  if (!p || !r) { skipped++; continue; }
  for (const value of data.pool) {
    const [byP, byR] = [accepts(p, value), accepts(r, value)];
    if (byP === undefined || byR === undefined) { skipped++; break; }
    if (byP && !byR) {
      failures.push(`${pair.direction} called compatible, but ${JSON.stringify(value)} breaks it: ${JSON.stringify(pair.producer)} -> ${JSON.stringify(pair.reader)}`);
      break;
    }
  }
}
for (const w of data.witnesses) {
  const p = validator(w.producer);
  const r = validator(w.reader);
  if (!p || !r) { skipped++; continue; }
  const [byP, byR] = [accepts(p, w.witness), accepts(r, w.witness)];
  if (byP === undefined || byR === undefined) { skipped++; continue; }
  if (!(byP && !byR)) {
    failures.push(`the witness ${JSON.stringify(w.witness)} of ${w.rule} does not hold: ${JSON.stringify(w.producer)} -> ${JSON.stringify(w.reader)}`);
  }
}
// The format verdicts witnesses may rest on (`agreed_format_verdicts`).
const formatAjv = new Ajv2020({ strict: false });
addFormats(formatAjv);
for (const f of data.formats) {
  let check;
  try { check = formatAjv.compile({ format: f.format }); } catch { continue; }
  if (check(f.text) !== f.valid) failures.push(`format ${f.format}: ${JSON.stringify(f.text)} is taken as agreed, but ajv says ${!f.valid}`);
}
for (const line of failures) console.log(`ajv disagrees: ${line}`);
console.log(`compat random pairs: ${data.compatible.length} compatible directions and ${data.witnesses.length} witnesses, ${skipped} skipped (draft-04, contains beside prefixItems, or not compiled by ajv), checked by ajv; ${failures.length} disagreements`);
process.exit(failures.length ? 1 : 0);
