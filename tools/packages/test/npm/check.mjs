// Runs the installed @opentact/events over every fixture and the corpus, as a team's code would,
// under `node --disallow-code-generation-from-strings` (no eval, no new Function: the
// validators are precompiled). Verdicts, pointers and kinds must equal the contract's: the
// fixtures' .expect files, and the installed evschema's report of the corpus.
//
// Usage: node --disallow-code-generation-from-strings check.mjs REPO_ROOT CORPUS REPORTS
//        REPORTS_ALLOW HOSTILE_DIR HOSTILE_REPORT
// (the reports: evschema's of the corpus with unknown fields denied and allowed, and of the
// hostile bodies of tools/packages/test/hostile.py)

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as events from '@opentact/events';
import eventSchema from '@opentact/events/schemas/event.json' with { type: 'json' };

const [root, corpusPath, reportsPath, reportsAllowPath, hostileDir, hostileReportPath] = process.argv.slice(2);
const deny = { unknownFields: 'deny' };
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed += 1;
  else {
    failed += 1;
    console.log(`FAIL ${name}${detail ? `: ${detail}` : ''}`);
  }
}
const pairs = (errors) => [...new Set(errors.map((e) => JSON.stringify([e.pointer, e.kind])))].sort();

// The run is under the flag: code generation from strings must be refused.
let evalRefused = false;
try {
  new Function('return 1')();
} catch (err) {
  evalRefused = err instanceof EvalError;
}
check('code generation from strings is disabled in this process', evalRefused);

// Installed from the tarball, not the source tree.
const installed = fileURLToPath(import.meta.resolve('@opentact/events'));
check('installed in node_modules', installed.includes('/node_modules/@opentact/events/'), installed);

const index = readJson(join(root, 'schemas', 'index.json'));
check('VERSION is the catalog version', events.VERSION === index.version, events.VERSION);
check('EVENT_TYPES', JSON.stringify(events.EVENT_TYPES) === JSON.stringify(index.events.map((e) => e.type)));
check('schemas are exported', JSON.stringify(eventSchema) === JSON.stringify(readJson(join(root, 'schemas', 'event.json'))));
check('validate and isEvent are exported', typeof events.validate === 'function' && typeof events.isEvent === 'function');
const guards = Object.fromEntries(index.events.map((e) => [e.type, events[`is${e.rust_type}`]]));
check('a type guard per event type', Object.values(guards).every((g) => typeof g === 'function'));

// Every fixture: the folder's verdict, the .expect file's pointers and kinds, the guards.
for (const verdict of ['valid', 'invalid']) {
  const dir = join(root, 'fixtures', verdict);
  for (const type of readdirSync(dir).sort()) {
    for (const file of readdirSync(join(dir, type)).filter((f) => f.endsWith('.json')).sort()) {
      const name = `${verdict}/${type}/${file}`;
      const event = readJson(join(dir, type, file));
      const result = events.validate(event, deny);
      check(`${name}: verdict`, result.valid === (verdict === 'valid'));
      check(`${name}: isEvent`, events.isEvent(event, deny) === (verdict === 'valid'));
      for (const [guardType, guard] of Object.entries(guards)) {
        check(`${name}: guard of ${guardType}`, guard(event, deny) === (verdict === 'valid' && guardType === type));
      }
      if (verdict === 'invalid') {
        const expected = readFileSync(join(dir, type, file.replace(/\.json$/, '.expect')), 'utf8')
          .split('\n')
          .filter((l) => l.trim() && !l.startsWith('#'))
          .map((l) => {
            const at = l.lastIndexOf(' ');
            return { pointer: JSON.parse(l.slice(0, at)), kind: l.slice(at + 1) };
          });
        const got = pairs(result.errors);
        check(`${name}: pointers and kinds`, JSON.stringify(got) === JSON.stringify(pairs(expected)), `${got} vs ${pairs(expected)}`);
        check(`${name}: messages`, result.errors.every((e) => typeof e.message === 'string' && e.message.length > 0));
      }
    }
  }
}

// The corpus: every line against the installed evschema's report of it, with unknown fields
// denied (the contract check) and allowed (the default).
const corpus = readFileSync(corpusPath, 'utf8').split('\n').filter(Boolean);
for (const [policy, path] of [['deny', reportsPath], ['allow', reportsAllowPath]]) {
  const reports = readFileSync(path, 'utf8').split('\n').filter(Boolean).map(JSON.parse).filter((r) => 'line' in r);
  check(`the corpus and its report (${policy}) line up`, corpus.length === reports.length && corpus.length > 1000);
  let differ = 0;
  for (const [n, line] of corpus.entries()) {
    const report = reports[n];
    const result = events.validate(JSON.parse(line), { unknownFields: policy });
    const same = result.valid === report.valid && JSON.stringify(pairs(result.errors)) === JSON.stringify(pairs(report.errors));
    if (!same) {
      differ += 1;
      if (differ <= 10) {
        console.log(`corpus line ${report.line} (${policy}): evschema ${pairs(report.errors)}; package ${pairs(result.errors)}`);
      }
    }
  }
  check(`corpus (${policy}): ${corpus.length} events, verdicts, pointers and kinds equal evschema's`, differ === 0, `${differ} differ`);
}

// Hostile bodies: every refusal with evschema's kind, message, pointer, line and column; every
// body that parses with its verdict, pointers and kinds.
{
  const reports = readFileSync(hostileReportPath, 'utf8').split('\n').filter(Boolean).map(JSON.parse).filter((r) => 'source' in r);
  check('the hostile bodies and their report line up', reports.length === readdirSync(hostileDir).length && reports.length > 1000);
  let differ = 0;
  let refused = 0;
  const fields = (e) => ({ pointer: e.pointer, kind: e.kind, message: e.message, line: e.line, column: e.column });
  for (const report of reports) {
    const body = readFileSync(report.source);
    const result = events.validateBody(body, deny);
    let same;
    if (report.verdict === 'parse_error' || report.verdict === 'too_deep') {
      refused += 1;
      let thrown;
      try {
        events.parse(body);
      } catch (err) {
        thrown = err;
      }
      same =
        JSON.stringify(result.errors.map(fields)) === JSON.stringify(report.errors.map(fields)) &&
        result.event === undefined &&
        thrown instanceof events.ParseError &&
        thrown instanceof SyntaxError &&
        JSON.stringify(thrown.error) === JSON.stringify(result.errors[0]);
    } else {
      same =
        result.valid === report.valid &&
        JSON.stringify(pairs(result.errors)) === JSON.stringify(pairs(report.errors)) &&
        // Text reads as its bytes do.
        JSON.stringify(events.validateBody(body.toString('utf8'), deny).errors) === JSON.stringify(result.errors);
    }
    if (!same) {
      differ += 1;
      if (differ <= 5) console.log(`${report.source}: evschema ${JSON.stringify(report.errors)}; package ${JSON.stringify(result.errors)}`);
    }
  }
  check(`hostile bodies: ${reports.length}, ${refused} refused, all read as evschema reads them`, differ === 0 && refused > 1000, `${differ} differ`);
}

// JSON.parse is looser: it keeps the last of two equal keys.
{
  const body = '{"type": "auth", "type": "call_state"}';
  check('JSON.parse keeps the last of two equal keys', JSON.parse(body).type === 'call_state');
  const result = events.validateBody(body);
  check(
    'validateBody refuses a repeated key where evschema does',
    !result.valid && result.event === undefined && JSON.stringify(result.errors) === JSON.stringify([{ pointer: '', kind: 'parse', message: 'duplicate key `type`', line: 1, column: 23 }]),
    JSON.stringify(result.errors),
  );
}

// A newer compatible release: a key added at the top level and in every nested object passes
// every default, and is refused (each key) by the contract check.
const newer = (value) => {
  if (Array.isArray(value)) return value.map(newer);
  if (value !== null && typeof value === 'object') {
    return { ...Object.fromEntries(Object.entries(value).map(([k, v]) => [k, newer(v)])), added_in_a_later_release: { x: [1, null] } };
  }
  return value;
};
for (const type of readdirSync(join(root, 'fixtures', 'valid')).sort()) {
  for (const file of readdirSync(join(root, 'fixtures', 'valid', type)).filter((f) => f.endsWith('.json')).sort()) {
    const later = newer(readJson(join(root, 'fixtures', 'valid', type, file)));
    const added = JSON.stringify(later).split('"added_in_a_later_release"').length - 1;
    const denied = events.validate(later, deny).errors;
    check(
      `valid/${type}/${file}, newer: accepted by default, each added key refused with "deny"`,
      added >= 3 &&
        events.validate(later).valid &&
        events.isEvent(later) &&
        guards[type](later) &&
        events.validateBody(JSON.stringify(later)).valid &&
        denied.length >= 2 &&
        denied.every((e) => e.kind === 'unknown_field' && e.pointer.endsWith('/added_in_a_later_release')),
    );
  }
}

// One error per fault, in the words of its shape and of the condition of a rule across keys.
const live = () => readJson(join(root, 'fixtures', 'valid', 'call_state', 'platform-call_state_live.json'));
const shortUuid = live();
shortUuid.ref_id = shortUuid.ref_id.slice(0, -1);
const [uuidError, ...more] = events.validate(shortUuid).errors;
check(
  'a short uuid is one error of kind format listing its keywords',
  more.length === 0 && uuidError.kind === 'format' && JSON.stringify(uuidError.keywords) === JSON.stringify(['format', 'pattern', 'minLength']),
  JSON.stringify(events.validate(shortUuid).errors),
);
check('in the words of its shape', uuidError.message.startsWith('expected a UUID in 8-4-4-4-12 hexadecimal form, like '), uuidError.message);
const noAnswer = live();
delete noAnswer.call.answer_on;
const [required] = events.validate(noAnswer).errors;
check('a required key says when', required.message === 'missing required key `answer_on`, required when `state` is "live"', required.message);
const initCall = live();
delete initCall.call.answer_on;
Object.assign(initCall.call, { state: 'init', init_on: initCall.created_on, ring_on: initCall.created_on });
const [forbidden] = events.validate(initCall).errors;
check('a forbidden key says why', forbidden.message === '`ring_on` must be absent when `state` is "init"', forbidden.message);

// evschema's limits of reading an event: a number past a double, nesting past the limit.
const infinite = live();
infinite.call_record = { n: JSON.parse('1e400') };
check(
  'a number past a double is refused where it is',
  JSON.stringify(pairs(events.validate(infinite).errors)) === JSON.stringify([JSON.stringify(['/call_record/n', 'double_range'])]),
  JSON.stringify(events.validate(infinite).errors),
);
const deep = live();
let nested = [];
for (let i = 0; i < events.MAX_DEPTH; i++) nested = [nested];
deep.call_record = { n: nested };
check(
  'nesting past the limit is too_deep at the array that opens level 128',
  JSON.stringify(pairs(events.validate(deep).errors)) === JSON.stringify([JSON.stringify([`/call_record/n${'/0'.repeat(125)}`, 'too_deep'])]),
  JSON.stringify(events.validate(deep).errors),
);

// Unknown keys: accepted by default (a tolerant reader), refused on request (the contract check).
const extra = readJson(join(root, 'fixtures', 'valid', 'auth', 'platform-auth_success.json'));
extra.added_by_the_platform_later = 1;
check('unknown key accepted by default', events.validate(extra).valid && events.isEvent(extra));
check('unknown key refused with unknownFields: "deny"', JSON.stringify(pairs(events.validate(extra, deny).errors)) === JSON.stringify([JSON.stringify(['/added_by_the_platform_later', 'unknown_field'])]));
let refused = false;
try {
  events.validate(extra, { unknownFields: 'ignore' });
} catch (err) {
  refused = err instanceof TypeError;
}
check('a bad unknownFields option throws', refused);
check('not an object', !events.validate([]).valid && !events.isEvent(null) && !events.isEvent('call_state'));

console.log(`npm: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
