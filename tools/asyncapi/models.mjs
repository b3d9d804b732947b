// Generates TypeScript, Python, Go and Java models from schemas/asyncapi.json with Modelina
// (@asyncapi/modelina, pinned in package.json), as a consumer would, for run.sh to compile and
// to decode the fixtures with.
//
// Modelina reads a copy of the document with the changes below, each one something Modelina
// cannot generate a model for; every change is counted and printed, and the README's consumer
// guide lists them as what a generator cannot express, with the consumer's workaround. No
// payload of the published document is changed: the copies exist only for the generator.
//
//   every language:
//     - `if`/`then`/`else` removed (the rules across keys: which timestamp a call's `state`
//       requires). Modelina merges every `then` into the model whatever its `if`, and with the
//       document as it is the `if`'s `const: "init"` ended up in the Timestamp model that every
//       timestamp shares: each one became the literal type `'init'` in TypeScript, and the
//       Python (pydantic) modules did not parse (`default=''init''`, a SyntaxError).
//       An `allOf` left with nothing but empty schemas is removed with them.
//     - an `anyOf` whose branches hold nothing but a `format` removed (IpAddress: ipv4 or ipv6).
//       A format is no type: Modelina makes `any | any` of it in TypeScript and, in Go, an empty
//       struct that a JSON string does not decode into. What is left is `type: string`.
//   Go and Java (where a reference is nullable by nature: a Go pointer, a Java reference):
//     - a nullable reference, `anyOf: [{$ref: X}, {type: null}]`, becomes `{$ref: X}` when X is
//       an object or an enum, and X itself with `null` added to its `type` when X is a string,
//       number or boolean (Go needs a pointer for null there: see `goTypeMapping`). Modelina
//       makes a union type of the `anyOf`: in Go a struct embedding X under the tag `json:"-"`,
//       which no JSON decodes into and `go vet` refuses; in Java an empty interface X does not
//       implement.
//
// Options that matter (each one found necessary here):
//   TypeScript: modelType interface, enumType union, rawPropertyNames (the JSON keys as they
//     are, `from` included), mapType record (a free-form object is a plain object, not a Map).
//   Python: the pydantic preset.
//   Go: the common preset with JSON tags; a type mapping that makes a nullable string, number
//     or boolean a pointer even when the key is required (Modelina's default only does so for an
//     optional key, so a required null decoded as "" and came back as "").
//   Java: the plain preset (no Jackson: nothing from Maven Central), date-times as String.
//   All: the interpreter's ignoreAdditionalProperties. The published schemas accept keys they do
//     not list, which Modelina turns into an `additionalProperties` field of every model (under
//     that very name in TypeScript); generated models hold the listed keys only.
//
// Usage: node tools/asyncapi/models.mjs REPO_ROOT OUT_DIR
// Writes OUT_DIR/input-<language>.json (what Modelina read) and OUT_DIR/<language>/...

import { createRequire } from 'node:module';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const {
  TypeScriptFileGenerator, PythonFileGenerator, GoFileGenerator, JavaFileGenerator,
  GO_COMMON_PRESET, PYTHON_PYDANTIC_PRESET, ConstrainedUnionModel, FormatHelpers,
} = require('@asyncapi/modelina');

const COMPONENTS = '#/components/schemas/';
const escape = (key) => key.replaceAll('~', '~0').replaceAll('/', '~1');
const isEmptySchema = (s) => s === true || (typeof s === 'object' && s !== null && Object.keys(s).length === 0);

/** The copy of `document` that Modelina reads for `language`, and the list of changes made. */
export function modelinaInput(document, language) {
  const doc = structuredClone(document);
  const schemas = doc.components.schemas;
  const changes = [];
  const resolve = (ref) => (typeof ref === 'string' && ref.startsWith(COMPONENTS) ? schemas[ref.slice(COMPONENTS.length)] : undefined);
  const nullableReferences = language === 'go' || language === 'java';

  // Returns the schema to put in place of `schema`, at `pointer` (under components/schemas).
  function visit(schema, pointer) {
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema;
    let out = {};
    for (const [key, value] of Object.entries(schema)) {
      const at = `${pointer}/${escape(key)}`;
      if (key === 'if' || key === 'then' || key === 'else') {
        // One rule: an `if` with its `then` and `else`.
        if (key === 'if' || !('if' in schema)) changes.push({ kind: 'rules across keys (if/then) removed', pointer: at });
        continue;
      }
      if (['properties', 'patternProperties', 'dependencies'].includes(key) && typeof value === 'object' && !Array.isArray(value)) {
        out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v, `${at}/${escape(k)}`)]));
      } else if (['allOf', 'anyOf', 'oneOf'].includes(key) && Array.isArray(value)) {
        out[key] = value.map((v, i) => visit(v, `${at}/${i}`));
      } else if (['items', 'additionalItems', 'additionalProperties', 'not', 'contains', 'propertyNames'].includes(key)) {
        out[key] = Array.isArray(value) ? value.map((v, i) => visit(v, `${at}/${i}`)) : visit(value, at);
      } else {
        out[key] = value;
      }
    }
    if (Array.isArray(out.allOf) && out.allOf.every(isEmptySchema)) {
      delete out.allOf;
    }
    if (Array.isArray(out.anyOf)) {
      const branches = out.anyOf;
      if (branches.every((b) => typeof b === 'object' && Object.keys(b).length === 1 && 'format' in b)) {
        changes.push({ kind: `anyOf of formats (${branches.map((b) => b.format).join(', ')}) removed`, pointer: `${pointer}/anyOf` });
        delete out.anyOf;
      } else if (nullableReferences && branches.length === 2) {
        const reference = branches.find((b) => Object.keys(b).length === 1 && typeof b.$ref === 'string');
        const isNull = branches.find((b) => Object.keys(b).length === 1 && b.type === 'null');
        const target = reference && resolve(reference.$ref);
        if (isNull && target) {
          const { anyOf, ...rest } = out;
          if (target.type === 'object' || Array.isArray(target.enum) || typeof target.type !== 'string') {
            out = { $ref: reference.$ref, ...rest };
            changes.push({ kind: 'nullable references to an object or enum made the reference alone', pointer });
          } else {
            out = { ...structuredClone(target), ...rest, type: [target.type, 'null'] };
            changes.push({ kind: `nullable references to a ${target.type} inlined with null added to its type`, pointer });
          }
        }
      }
    }
    return out;
  }
  for (const name of Object.keys(schemas)) {
    schemas[name] = visit(schemas[name], `/components/schemas/${escape(name)}`);
  }
  return { input: doc, changes };
}

// Go: a nullable string, number or boolean is a pointer, whether or not its key is required.
const goScalar = (type) => ({ constrainedModel, partOfProperty }) => {
  const optional = partOfProperty ? !partOfProperty.required : false;
  return constrainedModel.options.isNullable || optional ? `*${type}` : type;
};
const goTypeMapping = {
  String: goScalar('string'),
  Integer: goScalar('int'),
  Float: goScalar('float64'),
  Boolean: goScalar('bool'),
};

const processorOptions = { interpreter: { ignoreAdditionalProperties: true } };

/** One generator per language: where its files go, and how it is called. */
export const LANGUAGES = {
  typescript: (input, dir) =>
    new TypeScriptFileGenerator({
      modelType: 'interface', enumType: 'union', rawPropertyNames: true, mapType: 'record', processorOptions,
    }).generateToFiles(input, dir, { exportType: 'named' }, true),
  python: (input, dir) =>
    new PythonFileGenerator({ presets: [PYTHON_PYDANTIC_PRESET], processorOptions })
      .generateToFiles(input, join(dir, 'events'), { packageName: 'events' }, true),
  go: (input, dir) =>
    new GoFileGenerator({
      presets: [{ preset: GO_COMMON_PRESET, options: { addJsonTag: true } }],
      typeMapping: goTypeMapping,
      processorOptions,
    }).generateToFiles(input, join(dir, 'events'), { packageName: 'events' }, true),
  java: (input, dir) =>
    new JavaFileGenerator({ typeMapping: { String: () => 'String' }, processorOptions })
      .generateToFiles(input, join(dir, 'com/opentact/events'), { packageName: 'com.opentact.events' }, true),
};

/** The valid fixtures, as [path relative to the root, folder (the event type), value]. */
function validFixtures(root) {
  const dir = join(root, 'fixtures/valid');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(dir, d.name)).filter((f) => f.endsWith('.json')).sort()
      .map((f) => [`fixtures/valid/${d.name}/${f}`, d.name, JSON.parse(readFileSync(join(dir, d.name, f), 'utf8'))]))
    .sort(([a], [b]) => (a < b ? -1 : 1));
}

// What run.sh compiles and runs beside the generated models: the TypeScript fixtures module,
// the Go decode test and its table of payload structs, the Python decode script's table.
function writeDecodeTests(root, out, document, generated, unionsOf) {
  // Each message's payload: the component its `$ref` names, which is also the model's name in
  // every language (the component names are already PascalCase); checked against what was
  // generated.
  const payloads = Object.values(document.components.messages).map((m) => [m.name, m.payload.$ref.slice(COMPONENTS.length)]);
  for (const [language, names] of Object.entries(generated)) {
    for (const [, model] of payloads) {
      if (!names.includes(model)) throw new Error(`Modelina ${language}: no model ${model} among ${names.join(', ')}`);
    }
  }
  const fixtures = validFixtures(root);

  // TypeScript: each valid fixture as a literal of its own payload's type and of the channel's
  // union; and, expected to fail, as a literal of every other payload's type.
  const unions = unionsOf.typescript;
  const ts = [
    '// Written by tools/asyncapi/models.mjs: every valid fixture as a literal of the generated types.',
    ...[...new Set(payloads.map(([, m]) => m)), ...unions].map((n) => `import type { ${n} } from './${n}';`),
  ];
  fixtures.forEach(([path, type, value], i) => {
    const own = payloads.find(([name]) => name === type);
    if (!own) throw new Error(`${path}: folder ${type} names no message`);
    const literal = JSON.stringify(value);
    ts.push(`// ${path}`, `export const fixture${i}: ${own[1]} = ${literal};`);
    for (const u of unions) ts.push(`export const fixture${i}As${u}: ${u} = ${literal};`);
    for (const [name, model] of payloads) {
      if (name === type) continue;
      ts.push(`// @ts-expect-error a \`${type}\` event is not a ${model}`, `export const fixture${i}As${model}: ${model} = ${literal};`);
    }
  });
  // Each union narrows on `type` to its payloads.
  for (const u of unions) {
    ts.push(`export function narrow${u}(event: ${u}): void {`);
    for (const [name, model] of payloads) ts.push(`  if (event.type === ${JSON.stringify(name)}) { const narrowed: ${model} = event; void narrowed; }`);
    ts.push('}');
  }
  writeFileSync(join(out, 'typescript/fixtures.ts'), `${ts.join('\n')}\n`);

  // Go: the module, the decode test and the table of payload structs. The channels' unions
  // (Events, Webhook) are left out: Modelina writes them as a struct embedding every payload
  // under the tag `json:"-"` (malformed), which nothing decodes into and `go vet` refuses.
  writeFileSync(join(out, 'go/go.mod'), 'module opentact.example/models\n\ngo 1.19\n');
  copyFileSync(join(here, 'go/decode_test.go'), join(out, 'go/decode_test.go'));
  writeFileSync(join(out, 'go/payloads_test.go'), [
    '// Written by tools/asyncapi/models.mjs: each message name (the `type` value) and its payload struct.',
    'package models', '', 'import "opentact.example/models/events"', '',
    'var payloads = map[string]func() any{',
    ...payloads.map(([name, model]) => `\t${JSON.stringify(name)}: func() any { return new(events.${model}) },`),
    '}', '',
  ].join('\n'));

  // Python: the decode script's table (module and class of each payload model).
  const pythonModules = Object.fromEntries(payloads.map(([name, model]) => {
    const file = readdirSync(join(out, 'python/events')).find((f) => f.endsWith('.py') &&
      readFileSync(join(out, 'python/events', f), 'utf8').includes(`class ${model}(`));
    if (!file) throw new Error(`Modelina python: no module defines ${model}`);
    return [name, [`events.${file.slice(0, -3)}`, model]];
  }));
  writeFileSync(join(out, 'python/payloads.json'), `${JSON.stringify(pythonModules, null, 2)}\n`);
  return { fixtures: fixtures.length, payloads: payloads.length };
}

const here = dirname(fileURLToPath(import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [root = process.cwd(), out = join(root, 'target/asyncapi/models')] = process.argv.slice(2);
  const document = JSON.parse(readFileSync(join(root, 'schemas/asyncapi.json'), 'utf8'));
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  let failed = false;
  const generated = {};
  const unionsOf = {};
  for (const [language, generate] of Object.entries(LANGUAGES)) {
    const { input, changes } = modelinaInput(document, language);
    writeFileSync(join(out, `input-${language}.json`), `${JSON.stringify(input, null, 2)}\n`);
    const counts = {};
    for (const c of changes) counts[c.kind] = (counts[c.kind] ?? 0) + 1;
    try {
      const models = await generate(input, join(out, language));
      generated[language] = models.map((m) => m.modelName);
      // The channels' unions of their messages' payloads (Events, Webhook).
      unionsOf[language] = models.filter((m) => m.model instanceof ConstrainedUnionModel).map((m) => m.modelName);
      if (language === 'go') {
        for (const name of unionsOf.go) {
          rmSync(join(out, 'go/events', `${FormatHelpers.toSnakeCase(name)}.go`));
          generated.go = generated.go.filter((n) => n !== name);
        }
      }
      console.log(`   Modelina ${language}: ${generated[language].length} models (input: ${changes.length === 0 ? 'the document as it is' : `the document with ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join('; ')}`})`);
    } catch (err) {
      failed = true;
      console.log(`FAIL Modelina ${language}: ${err.stack}`);
    }
  }
  if (!failed) {
    const { fixtures, payloads } = writeDecodeTests(root, out, document, generated, unionsOf);
    console.log(`   decode tests written: ${fixtures} valid fixtures, ${payloads} payload models`);
  }
  process.exit(failed ? 1 : 0);
}
