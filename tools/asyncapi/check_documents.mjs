// Checks schemas/asyncapi.json and schemas/openapi.json with the ecosystem's own readers:
//
//   1. @asyncapi/parser reads the AsyncAPI document with no error; it holds one message per
//      event type of schemas/index.json, each with its title, summary, description and payload,
//      a correlationId exactly where the event type has a call (`slot: call`) and only where it
//      points at a string in every example; every operation is `receive`.
//   2. ajv (the draft-07 class, strict, ajv-formats) gives every fixture the contract's verdict
//      through the messages' payloads: each valid fixture accepted by its own type's message and
//      refused by every other, each invalid one refused by all. The contract is judged with
//      unlisted keys refused, so every object schema that lists its properties gets
//      `additionalProperties: false` first, as tools/portability does (and the README tells
//      consumers); as published (unlisted keys accepted), each valid fixture is accepted by its
//      own message too. The payloads are compiled twice: from the document's own
//      `components.schemas` (each under its JSON Pointer, so every `$ref` resolves as in the
//      document), and as the parser hands them to tools (dereferenced; its `x-parser-*`
//      annotations removed): both must give the same verdicts. Every message example is accepted
//      by its own payload.
//   3. The same with ajv's draft 2020-12 class on the OpenAPI document's webhook bodies, and
//      every webhook example.
//
// Usage: node tools/asyncapi/check_documents.mjs [REPO_ROOT]
// Prints one ok/FAIL line per check, then the failures; exits 1 on any.

import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const Ajv07 = require('ajv');
const Ajv2020 = require('ajv/dist/2020');
const addFormats = require('ajv-formats');
const { Parser, DiagnosticSeverity } = require('@asyncapi/parser');

const root = process.argv[2] ?? process.cwd();
const readJson = (path) => JSON.parse(readFileSync(join(root, path), 'utf8'));
const COMPONENTS = '#/components/schemas/';
const failures = [];
const lines = [];
const report = (ok, line, problems = []) => {
  lines.push(`${ok && problems.length === 0 ? 'ok   ' : 'FAIL '} ${line}`);
  failures.push(...problems);
};

// The contract's reading: unlisted keys refused (see the header). Values of examples, const
// and enum are data, not schemas.
function deny(node) {
  if (Array.isArray(node)) return node.map(deny);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = ['examples', 'const', 'enum', 'default'].includes(key) ? value : deny(value);
  }
  if (out.type === 'object' && 'properties' in out && !('additionalProperties' in out)) {
    out.additionalProperties = false;
  }
  return out;
}

// The parser's annotations (`x-parser-schema-id`, ...) are not JSON Schema keywords.
function withoutParserAnnotations(node, seen = new Map()) {
  if (Array.isArray(node)) return node.map((n) => withoutParserAnnotations(n, seen));
  if (node === null || typeof node !== 'object') return node;
  if (seen.has(node)) return seen.get(node);
  const out = {};
  seen.set(node, out);
  for (const [key, value] of Object.entries(node)) {
    if (!key.startsWith('x-parser-')) out[key] = withoutParserAnnotations(value, seen);
  }
  return out;
}

function newAjv(Class) {
  const warnings = [];
  const note = (...a) => warnings.push(a.join(' '));
  const ajv = new Class({ strict: true, allErrors: true, logger: { log() {}, warn: note, error: note } });
  addFormats(ajv);
  return { ajv, warnings };
}

// Validators of each event type's payload, compiled from the document's components: every
// component added under `<file>#/components/schemas/<name>`, so that the document's own
// references resolve; `transform` is applied to each component first.
function payloadValidators(Class, file, document, payloadRefs, transform) {
  const { ajv, warnings } = newAjv(Class);
  for (const [name, schema] of Object.entries(document.components.schemas)) {
    ajv.addSchema(transform(schema), `${file}${COMPONENTS}${name.replaceAll('~', '~0').replaceAll('/', '~1')}`);
  }
  const validators = {};
  for (const [type, ref] of Object.entries(payloadRefs)) {
    validators[type] = ajv.getSchema(`${file}${ref}`);
    if (!validators[type]) throw new Error(`${file}: the ${type} payload ${ref} does not resolve`);
  }
  return { validators, warnings };
}

const errorsText = (validate) => (validate.errors ?? []).slice(0, 3)
  .map((e) => `${e.instancePath || '/'} ${e.keyword}: ${e.message}${e.keyword === 'additionalProperties' ? ` (${e.params.additionalProperty})` : ''}`).join('; ');

// Every fixture, as { path, verdict, folder, value }.
function fixtures() {
  const out = [];
  for (const verdict of ['valid', 'invalid']) {
    const dir = join(root, 'fixtures', verdict);
    if (!existsSync(dir)) continue;
    for (const folder of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
      for (const name of readdirSync(join(dir, folder)).filter((f) => f.endsWith('.json')).sort()) {
        const path = `fixtures/${verdict}/${folder}/${name}`;
        out.push({ path, verdict, folder, value: readJson(path) });
      }
    }
  }
  return out;
}

// The contract's verdicts through `validators` (type -> validate): each valid fixture accepted
// by its own type's only, each invalid one refused by all. Returns counts and problems.
function verdicts(label, validators, all) {
  const problems = [];
  const counts = { valid: 0, invalid: 0, judgements: 0 };
  for (const { path, verdict, folder, value } of all) {
    if (verdict === 'valid' && !(folder in validators)) {
      problems.push(`${label}: ${path}: folder ${folder} names no event type of the document`);
      continue;
    }
    let right = true;
    for (const [type, validate] of Object.entries(validators)) {
      const expected = verdict === 'valid' && type === folder;
      const accepted = validate(value);
      counts.judgements += 1;
      if (accepted !== expected) {
        right = false;
        problems.push(`${label}: ${path}: the ${type} payload ${accepted ? 'accepts it' : `refuses it (${errorsText(validate)})`}; the contract: ${expected ? 'accepted' : 'refused'}`);
      }
    }
    if (right) counts[verdict] += 1;
  }
  return { counts, problems };
}

const index = readJson('schemas/index.json');
const eventTypes = index.events.map((e) => e.type).sort();
const slotOf = Object.fromEntries(index.events.map((e) => [e.type, e.slot]));
const all = fixtures();
const validCount = all.filter((f) => f.verdict === 'valid').length;
const invalidCount = all.length - validCount;
const pointerGet = (value, pointer) => pointer.split('/').slice(1)
  .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'))
  .reduce((v, t) => (v !== null && typeof v === 'object' && t in v ? v[t] : undefined), value);

// ---------------------------------------------------------------------------------------------
// 1. The AsyncAPI parser.
const asyncapiText = readFileSync(join(root, 'schemas/asyncapi.json'), 'utf8');
const asyncapi = JSON.parse(asyncapiText);
const { document, diagnostics } = await new Parser().parse(asyncapiText, { source: join(root, 'schemas/asyncapi.json') });
const bySeverity = {};
for (const d of diagnostics) bySeverity[DiagnosticSeverity[d.severity]] = (bySeverity[DiagnosticSeverity[d.severity]] ?? 0) + 1;
const parserProblems = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error)
  .map((d) => `@asyncapi/parser: ${d.code} at /${d.path.join('/')}: ${d.message}`);
let parsedPayloads = {};
if (document) {
  const messages = document.allMessages().all();
  const names = messages.map((m) => m.name()).sort();
  if (JSON.stringify(names) !== JSON.stringify(eventTypes)) {
    parserProblems.push(`@asyncapi/parser: the messages are [${names}], the event types of index.json [${eventTypes}]`);
  }
  for (const m of messages) {
    const name = m.name();
    for (const [what, value] of [['title', m.title()], ['summary', m.summary()], ['description', m.description()], ['contentType', m.contentType()]]) {
      if (!value) parserProblems.push(`@asyncapi/parser: message ${name} has no ${what}`);
    }
    if (!m.hasPayload()) {
      parserProblems.push(`@asyncapi/parser: message ${name} has no payload`);
      continue;
    }
    parsedPayloads[name] = withoutParserAnnotations(m.payload().json());
    // A correlationId where the event type has a call, pointing at a string in every example.
    const location = m.correlationId()?.location();
    if ((slotOf[name] === 'call') !== Boolean(location)) {
      parserProblems.push(`@asyncapi/parser: message ${name} (slot ${slotOf[name]}) has ${location ? `a correlationId (${location})` : 'no correlationId'}`);
    }
    if (location) {
      const pointer = location.replace(/^\$message\.payload#/, '');
      if (pointer === location) parserProblems.push(`@asyncapi/parser: message ${name}: correlationId ${location} is not in the payload`);
      const examples = [...m.examples().all().map((e) => e.payload()), ...all.filter((f) => f.verdict === 'valid' && f.folder === name).map((f) => f.value)];
      for (const value of examples) {
        if (typeof pointerGet(value, pointer) !== 'string') parserProblems.push(`@asyncapi/parser: message ${name}: correlationId ${location} is no string in an example or valid fixture`);
      }
    }
  }
  const operations = document.operations().all();
  const notReceive = operations.filter((o) => o.action() !== 'receive').map((o) => o.id());
  if (notReceive.length > 0) parserProblems.push(`@asyncapi/parser: operations that are not receive: ${notReceive}`);
  report(parserProblems.length === 0, `@asyncapi/parser ${require('@asyncapi/parser/package.json').version}: AsyncAPI ${document.version()} read (${Object.entries(bySeverity).map(([s, n]) => `${n} ${s.toLowerCase()}`).join(', ') || 'no diagnostics'}); ${messages.length} messages for the ${eventTypes.length} event types of index.json, ${operations.length} receive operations, ${document.channels().length} channels, ${document.servers().length} servers; correlationId on ${messages.filter((m) => m.correlationId()).map((m) => m.name()).join(', ') || 'none'}`, parserProblems);
} else {
  // Nothing to check the payloads as the parser hands them to tools: the line above fails.
  parsedPayloads = null;
  report(false, '@asyncapi/parser: the document was not read', parserProblems);
}

// ---------------------------------------------------------------------------------------------
// 2. ajv, draft-07, on the AsyncAPI payloads; 3. ajv, draft 2020-12, on the OpenAPI bodies.
function checkDocument({ label, file, Class, document, payloadRefs, examples, parsed }) {
  const problems = [];
  let line;
  try {
    const denied = payloadValidators(Class, file, document, payloadRefs, deny);
    const published = payloadValidators(Class, file, document, payloadRefs, (s) => s);
    for (const w of new Set([...denied.warnings, ...published.warnings])) problems.push(`${label}: ajv strict: ${w}`);
    const contract = verdicts(`${label} (unlisted keys refused)`, denied.validators, all);
    problems.push(...contract.problems);
    const asPublished = verdicts(`${label} (as published)`, published.validators, all.filter((f) => f.verdict === 'valid'));
    problems.push(...asPublished.problems);
    let exampleCount = 0;
    for (const [type, list] of Object.entries(examples)) {
      for (const [name, value] of list) {
        exampleCount += 1;
        for (const [which, validate] of [['as published', published.validators[type]], ['unlisted keys refused', denied.validators[type]]]) {
          if (!validate(value)) problems.push(`${label}: example ${name} refused by its own ${type} payload (${which}): ${errorsText(validate)}`);
        }
      }
    }
    line = `ajv ${require('ajv/package.json').version} ${label}: ${contract.counts.valid}/${validCount} valid fixtures accepted by their own type's payload only, ${contract.counts.invalid}/${invalidCount} invalid refused by all ${Object.keys(payloadRefs).length} (${contract.counts.judgements} verdicts, unlisted keys refused); as published ${asPublished.counts.valid}/${validCount} valid accepted; ${exampleCount} examples accepted`;
    if (parsed) {
      const { ajv, warnings } = newAjv(Class);
      const validators = Object.fromEntries(Object.entries(parsed).map(([type, schema]) => [type, ajv.compile(deny(schema))]));
      for (const w of new Set(warnings)) problems.push(`${label} (parsed): ajv strict: ${w}`);
      const again = verdicts(`${label} (the parser's payloads)`, validators, all);
      problems.push(...again.problems);
      line += `; the parser's dereferenced payloads: the same ${again.counts.valid + again.counts.invalid}/${all.length}`;
    } else if (parsed === null) {
      line += "; the parser's payloads: not checked (the parser did not read the document)";
    }
  } catch (err) {
    problems.push(`${label}: ${err.stack}`);
    line = `ajv ${label}: did not compile`;
  }
  report(problems.length === 0, line, problems);
}

checkDocument({
  label: 'draft-07, asyncapi.json messages',
  file: 'asyncapi.json',
  Class: Ajv07,
  document: asyncapi,
  payloadRefs: Object.fromEntries(Object.values(asyncapi.components.messages).map((m) => [m.name, m.payload.$ref])),
  examples: Object.fromEntries(Object.values(asyncapi.components.messages).map((m) => [m.name, (m.examples ?? []).map((e) => [e.name, e.payload])])),
  parsed: parsedPayloads,
});

const openapi = readJson('schemas/openapi.json');
const bodies = Object.fromEntries(Object.entries(openapi.webhooks).map(([type, item]) => [type, item.post.requestBody.content['application/json']]));
checkDocument({
  label: 'draft 2020-12, openapi.json webhooks',
  file: 'openapi.json',
  Class: Ajv2020,
  document: openapi,
  payloadRefs: Object.fromEntries(Object.entries(bodies).map(([type, body]) => [type, body.schema.$ref])),
  examples: Object.fromEntries(Object.entries(bodies).map(([type, body]) => [type, Object.entries(body.examples ?? {}).map(([n, e]) => [n, e.value])])),
});
const webhookTypes = Object.keys(openapi.webhooks).sort();
if (JSON.stringify(webhookTypes) !== JSON.stringify(eventTypes)) {
  report(false, `openapi.json: webhooks [${webhookTypes}], the event types of index.json [${eventTypes}]`);
}

for (const line of lines) console.log(line);
for (const f of failures) console.log(`  ${f}`);
process.exit(failures.length > 0 || lines.some((l) => l.startsWith('FAIL')) ? 1 : 0);
