// The verdict of one event, from ajv's errors, with the pointers and kinds `evschema validate
// --format json` reports (crates/evcontract/src/validate.rs is the reference; CI compares both
// on every fixture and on thousands of single-fault mutations of them).
//
// Copied unchanged into the npm package by `cargo xtask package`.

import { KINDS } from './catalog.js';

/** Appends one reference token to a JSON Pointer (RFC 6901: `~` as `~0`, `/` as `~1`). */
export function child(pointer, key) {
  return `${pointer}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

const below = (pointer, ancestor) => pointer === ancestor || pointer.startsWith(`${ancestor}/`);

/** A value for a message: JSON, cut to 60 characters, as evschema shows it. */
function show(value) {
  const text = JSON.stringify(value) ?? String(value);
  const chars = [...text];
  return chars.length > 60 ? `${chars.slice(0, 57).join('')}...` : text;
}

function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'number') return `${Number.isInteger(value) ? 'integer' : 'number'} ${show(value)}`;
  return `${typeof value} ${show(value)}`;
}

function valueAt(root, pointer) {
  let value = root;
  for (const token of pointer.split('/').slice(1)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = value[token.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return value;
}

/**
 * ajv reports an `anyOf` after the errors of its branches, in one flat list. This nests them:
 * the errors just before an `anyOf` error, at or below its instance, are its branches' (the
 * errors of another rule on the same instance come earlier, before other properties' errors;
 * a `false` schema is never a branch here). Each node is `{ error, children }`.
 */
function nest(errors) {
  const nodes = [];
  for (const error of errors) {
    const node = { error, children: [] };
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf') {
      while (
        nodes.length > 0 &&
        below(nodes[nodes.length - 1].error.instancePath, error.instancePath) &&
        nodes[nodes.length - 1].error.keyword !== 'false schema'
      ) {
        node.children.unshift(nodes.pop());
      }
    }
    nodes.push(node);
  }
  return nodes;
}

/**
 * The branches of an `anyOf` node: errors of a branch written inline have the `anyOf`'s schema
 * path and the branch's index as a prefix; the others came through a `$ref` (ajv gives them the
 * referenced schema's path), and belong to the one branch that is a reference.
 */
function branches(node) {
  const base = `${node.error.schemaPath}/`;
  const byIndex = new Map();
  for (const c of node.children) {
    const path = c.error.schemaPath;
    const index = path.startsWith(base) ? Number(path.slice(base.length).split('/')[0]) : -1;
    if (!byIndex.has(index)) byIndex.set(index, []);
    byIndex.get(index).push(c);
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, children]) => children);
}

function issuesOf(node, event, out) {
  const e = node.error;
  const pointer = e.instancePath;
  const value = () => valueAt(event, pointer);
  const p = e.params ?? {};
  switch (e.keyword) {
    case 'required':
      out.push({ pointer: child(pointer, p.missingProperty), kind: 'required', message: `missing required key \`${p.missingProperty}\`` });
      return;
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = p.additionalProperty ?? p.unevaluatedProperty;
      out.push({ pointer: child(pointer, key), kind: 'unknown_field', message: `unknown key \`${key}\`: the contract does not list it` });
      return;
    }
    case 'false schema':
      out.push({ pointer, kind: 'forbidden', message: 'this key must be absent here' });
      return;
    case 'type': {
      const expected = Array.isArray(p.type) ? p.type.join(' or ') : String(p.type).split(',').join(' or ');
      out.push({ pointer, kind: 'type', message: `expected ${expected}, found ${describe(value())}` });
      return;
    }
    case 'enum':
      out.push({ pointer, kind: 'enum', message: `expected one of ${p.allowedValues.map((v) => JSON.stringify(v)).join(', ')}, found ${show(value())}` });
      return;
    case 'const':
      out.push({ pointer, kind: 'const', message: `expected ${JSON.stringify(p.allowedValue)}, found ${show(value())}` });
      return;
    case 'format':
      out.push({ pointer, kind: 'format', message: `expected a valid \`${p.format}\`, found ${show(value())}` });
      return;
    case 'pattern':
      out.push({ pointer, kind: 'pattern', message: `expected a string matching \`${p.pattern}\`, found ${show(value())}` });
      return;
    case 'minLength':
    case 'maxLength': {
      const least = e.keyword === 'minLength' ? 'at least' : 'at most';
      out.push({ pointer, kind: 'length', message: `expected ${least} ${p.limit} characters, found ${show(value())}` });
      return;
    }
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum': {
      const bound = e.keyword.endsWith('inimum') ? 'no less than' : 'no greater than';
      out.push({ pointer, kind: 'range', message: `expected a number ${bound} ${p.limit}, found ${show(value())}` });
      return;
    }
    case 'anyOf':
    case 'oneOf': {
      // Branches the value is not even the type of (`null` for a nullable field) say nothing
      // useful; when one branch is left, its errors are the real ones.
      const all = branches(node);
      const relevant = all.filter((b) => !b.every((c) => c.error.keyword === 'type' && c.error.instancePath === pointer));
      if (relevant.length === 1) {
        for (const c of relevant[0]) issuesOf(c, event, out);
        return;
      }
      const wanted = [];
      for (const b of all) {
        const sub = [];
        for (const c of b) issuesOf(c, event, sub);
        const text = sub.map((i) => i.message.replace(/^expected /, '').replace(/, found .*$/s, '')).join(' and ');
        if (text && !wanted.includes(text)) wanted.push(text);
      }
      out.push({ pointer, kind: 'any_of', message: `expected ${wanted.join(' or ')}, found ${show(value())}` });
      return;
    }
    case 'if':
      // The failing `then`'s own errors are already in the list.
      return;
    default:
      out.push({ pointer, kind: 'other', message: `fails \`${e.keyword}\` ${JSON.stringify(p)}` });
  }
}

/**
 * Validates `event` with the validators of one policy: the type's own validator when `type`
 * names a known event type, otherwise the any-event one (which says what is wrong with `type`).
 * Returns `{ valid, errors }`, the errors sorted by pointer and kind, as evschema reports them.
 */
export function report(validators, event) {
  const type = event !== null && typeof event === 'object' && !Array.isArray(event) ? event.type : undefined;
  const validate =
    typeof type === 'string' && type !== 'any' && Object.hasOwn(validators, type) ? validators[type] : validators.any;
  if (validate(event)) return { valid: true, errors: [] };
  let issues = [];
  for (const node of nest(validate.errors ?? [])) issuesOf(node, event, issues);
  // A value of the wrong type is also, necessarily, not one of an enum's strings.
  const typed = new Set(issues.filter((i) => i.kind === 'type').map((i) => i.pointer));
  issues = issues.filter((i) => !((i.kind === 'enum' || i.kind === 'const') && typed.has(i.pointer)));
  const rank = (k) => KINDS.indexOf(k);
  const compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  issues.sort((a, b) => compare(a.pointer, b.pointer) || rank(a.kind) - rank(b.kind) || compare(a.message, b.message));
  const errors = issues.filter(
    (i, n) => n === 0 || !(i.pointer === issues[n - 1].pointer && i.kind === issues[n - 1].kind && i.message === issues[n - 1].message),
  );
  return { valid: errors.length === 0, errors };
}
