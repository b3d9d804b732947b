// Compiles the validators of the npm package, at package time, with the pinned ajv and
// ajv-formats (tools/packages/package.json): ajv's standalone code, as ES modules, so the
// package compiles no schema and evaluates no string at run time.
//
// Usage: node tools/packages/npm/compile.mjs STAGE_DIR
//   reads  STAGE_DIR/schemas/index.json and the schemas it lists (the published catalog)
//   writes STAGE_DIR/validators/deny.js and STAGE_DIR/validators/allow.js
//
// `deny` is the contract (keys the schemas do not list are refused, as `evschema validate`
// does by default); `allow` is the published schemas as they are (a tolerant reader). Each file
// exports one validator per event type, named by the type, and `any` for the any-event schema.

import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020');
const { _ } = require('ajv/dist/compile/codegen');
const standaloneCode = require('ajv/dist/standalone').default;
// The contract's formats (formats.js, shipped in the package beside validators/).
const { default: formats } = await import('./formats.js');

const stage = process.argv[2];
if (!stage) {
  console.error('usage: node compile.mjs STAGE_DIR');
  process.exit(2);
}
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

// Keys that only annotate (they never change a verdict), dropped to keep the code small. Values
// of `const` and `enum` are data, never walked.
const ANNOTATIONS = new Set(['description', 'examples', '$comment', 'title']);

// The contract's form of a published schema: every object schema that lists its properties and
// says nothing about others gets "additionalProperties": false (as `close_objects` in the Rust
// crate, and tools/portability/check_ajv.mjs).
function prepare(node, deny) {
  if (Array.isArray(node)) return node.map((n) => prepare(n, deny));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (ANNOTATIONS.has(key)) continue;
    if (key === 'const' || key === 'enum') out[key] = value;
    else if (key === 'properties' || key === '$defs') out[key] = mapValues(value, (s) => prepare(s, deny));
    else out[key] = prepare(value, deny);
  }
  if (deny && out.type === 'object' && 'properties' in out && !('additionalProperties' in out)) {
    out.additionalProperties = false;
  }
  return out;
}

// `properties` and `$defs` map names to schemas: a property named "description" is a schema, not
// an annotation.
const mapValues = (object, f) => Object.fromEntries(Object.entries(object).map(([k, v]) => [k, f(v)]));

// validate() (report.js) sends an event whose `type` names a known event type to that type's
// validator, exactly as evschema does; the any-event schema only ever judges the others. For them
// each `if` of the form {"properties": {"type": {"const": K}}, "required": ["type"]}, with K a
// known type, is false, so its `then` never applies: it is replaced by `true`, and the
// definitions only those branches used are dropped (half the package's size). report.js never
// calls this validator on an event of a known type.
function unknownTypeOnly(schema) {
  const known = new Set(Object.keys(files).filter((k) => k !== 'any'));
  const isTypeTest = (rule) =>
    rule?.if &&
    JSON.stringify(Object.keys(rule.if).sort()) === '["properties","required"]' &&
    JSON.stringify(rule.if.required) === '["type"]' &&
    JSON.stringify(Object.keys(rule.if.properties)) === '["type"]' &&
    JSON.stringify(Object.keys(rule.if.properties.type)) === '["const"]' &&
    known.has(rule.if.properties.type.const);
  const out = { ...schema };
  out.allOf = (schema.allOf ?? []).map((rule) => (isTypeTest(rule) ? { ...rule, then: true } : rule));
  if (!JSON.stringify({ ...out, $defs: undefined }).includes('"$ref"')) delete out.$defs;
  return out;
}

const index = readJson(join(stage, 'schemas', 'index.json'));
const files = { any: index.any_event.schema };
for (const event of index.events) files[event.type] = event.schema;

mkdirSync(join(stage, 'validators'), { recursive: true });
for (const policy of ['deny', 'allow']) {
  const ajv = new Ajv2020({
    strict: true,
    allErrors: true,
    // Messages are written by report.js from each error's keyword and params.
    messages: false,
    code: { source: true, esm: true, lines: false, formats: _`require("../formats.js")` },
    formats,
  });
  const exports = {};
  for (const [name, file] of Object.entries(files)) {
    let schema = prepare(readJson(join(stage, 'schemas', file)), policy === 'deny');
    if (name === 'any') schema = unknownTypeOnly(schema);
    ajv.addSchema(schema);
    exports[name] = schema.$id;
  }
  let code = standaloneCode(ajv, exports);
  // ajv's ES module output still reaches its run-time helpers (a string length in code points,
  // the date-time check of ajv-formats) with `require`, which an ES module does not have: each is
  // imported instead, from the same pinned packages, which are the package's dependencies.
  const specifiers = [];
  code = code.replace(/require\("([^"]+)"\)/g, (_, specifier) => {
    let i = specifiers.indexOf(specifier);
    if (i < 0) i = specifiers.push(specifier) - 1;
    return `__dependency${i}`;
  });
  const imports = specifiers
    .map((s, i) => `import __dependency${i} from ${JSON.stringify(s.endsWith('.js') ? s : `${s}.js`)};`)
    .join('\n');
  for (const forbidden of ['require(', 'new Function', 'eval(']) {
    if (code.includes(forbidden)) {
      console.error(`compile.mjs: the ${policy} validators still contain \`${forbidden}\``);
      process.exit(1);
    }
  }
  const header = `// Generated by \`cargo xtask package\` with ajv ${require('ajv/package.json').version} and ajv-formats ${require('ajv-formats/package.json').version} (standalone code, the formats of formats.js); do not edit.\n`;
  writeFileSync(join(stage, 'validators', `${policy}.js`), `${header}${imports}\n${code}\n`);
}
