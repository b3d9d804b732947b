// Checks that ajv, in strict mode, compiles every generated event schema in
// deny mode and gives every fixture the verdict its folder promises.
//
// Usage: node tools/portability/check_ajv.mjs [REPO_ROOT]   (default: the current directory)

import { createRequire } from 'node:module';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

// ajv ships its draft 2020-12 class as CommonJS only, so it is loaded through require.
const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020');
const addFormats = require('ajv-formats');

const root = process.argv[2] ?? process.cwd();
const schemaDir = join(root, 'schemas');
const fixtureDir = join(root, 'fixtures');
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

// The published schemas accept unknown keys, but the contract is judged in deny mode:
// every object schema that lists its properties and says nothing about others gets
// "additionalProperties": false. Values of examples, const and enum are data, not
// schemas, so they are copied untouched.
function deny(node) {
  if (Array.isArray(node)) return node.map(deny);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = ['examples', 'const', 'enum'].includes(key) ? value : deny(value);
  }
  if (out.type === 'object' && 'properties' in out && !('additionalProperties' in out)) {
    out.additionalProperties = false;
  }
  return out;
}

// Each schema gets its own ajv instance so that one file's compile failure cannot hide
// or cause another's. The verdict comes from strict: true, unchanged.
const failures = [];
function makeAjv(strict, warnings) {
  const note = (...a) => warnings.push(a.join(' '));
  const ajv = new Ajv2020({ strict, allErrors: true, logger: { log() {}, warn: note, error: note } });
  addFormats(ajv);
  return ajv;
}
function compile(file) {
  const schema = deny(readJson(join(schemaDir, file)));
  const warnings = [];
  try {
    const validate = makeAjv(true, warnings).compile(schema);
    for (const w of warnings) console.log(`ajv warning in schemas/${file}: ${w}`);
    return validate;
  } catch (err) {
    // Strict mode throws at its first complaint only. To report every complaint, and
    // still check the fixtures, the schema is compiled once more with each strict rule
    // downgraded to a logged warning. The run fails all the same.
    failures.push(`COMPILE schemas/${file} (strict: true): ${err.message}`);
    const all = [];
    try {
      const validate = makeAjv('log', all).compile(schema);
      for (const w of new Set(all)) {
        if (w !== err.message) failures.push(`  further strict complaint in schemas/${file}: ${w}`);
      }
      failures.push(`  (fixtures were checked against schemas/${file} compiled with strict: "log")`);
      return validate;
    } catch {
      // The schema is broken beyond strict mode; its fixtures are reported as failed.
      return null;
    }
  }
}

const index = readJson(join(schemaDir, 'index.json'));
const anyFile = index.any_event.schema;
const validators = { [anyFile]: compile(anyFile) };
const schemaOfType = { any: anyFile };
for (const event of index.events) {
  validators[event.schema] = compile(event.schema);
  schemaOfType[event.type] = event.schema;
}

// Fixtures are discovered at run time because new ones keep being added.
let passed = 0;
let failed = 0;
for (const verdict of ['valid', 'invalid']) {
  const verdictDir = join(fixtureDir, verdict);
  if (!existsSync(verdictDir)) continue;
  const types = readdirSync(verdictDir, { withFileTypes: true }).filter((d) => d.isDirectory());
  for (const type of types.map((d) => d.name).sort()) {
    const files = readdirSync(join(verdictDir, type)).filter((f) => f.endsWith('.json')).sort();
    for (const name of files) {
      const path = join(verdictDir, type, name);
      const shown = relative(root, path);
      const problems = [];
      if (!(type in schemaOfType)) {
        problems.push(`folder "${type}" names no event type listed in schemas/index.json`);
      } else {
        let instance;
        try {
          instance = readJson(path);
        } catch (err) {
          problems.push(`not valid JSON: ${err.message}`);
        }
        // Both the type's own schema and the any-event schema must agree; for "any"
        // fixtures they are the same file, so it is checked once.
        for (const file of new Set([schemaOfType[type], anyFile])) {
          const validate = validators[file];
          if (instance === undefined) continue;
          if (validate === null) {
            problems.push(`[${file}] schema did not compile`);
            continue;
          }
          const accepted = validate(instance);
          if (accepted === (verdict === 'valid')) continue;
          const errors = (validate.errors ?? [])
            .map((e) => `"${e.instancePath}" ${e.keyword}: ${e.message}${e.keyword === 'additionalProperties' ? ` (${e.params.additionalProperty})` : ''}`)
            .join('; ');
          problems.push(`[${file}] expected ${verdict}, ajv says ${accepted ? 'valid' : `invalid: ${errors}`}`);
        }
      }
      for (const p of problems) console.log(`FAIL ${shown} ${p}`);
      if (problems.length === 0) passed += 1;
      else failed += 1;
    }
  }
}

for (const f of failures) console.log(f);
console.log(`ajv: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || failures.length > 0 ? 1 : 0);
