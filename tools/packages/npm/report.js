// The verdict of one event, from ajv's errors, with the pointers and kinds `evschema validate
// --format json` reports (crates/evcontract/src/explain.rs is the reference; CI compares both
// on every fixture and on thousands of single-fault mutations of them): one error per fault (a
// short uuid is one `format` error that lists every keyword it failed), in the words of the
// field's shape and of the condition of a rule across keys (SHAPES and CONDITIONS, generated
// from the same code); and evschema's limits of reading an event: nesting past MAX_DEPTH levels
// is a `too_deep` error, a number outside the range of a double (Infinity once parsed) a
// `double_range` error.
//
// Copied unchanged into the npm package by `cargo xtask package`.

import { CONDITIONS, KINDS, MAX_DEPTH, SHAPES } from './catalog.js';

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

/**
 * When the rule at ajv's `schemaPath` applies, in words, for a rule under an `if`'s `then` or
 * `else`. ajv gives a rule inside a definition compiled apart a path from that definition
 * (`#/allOf/0/...`), so a location is looked up as it is, then as the one definition's that ends
 * with it; never a guess between two.
 */
function condition(conditions, schemaPath) {
  const tokens = schemaPath.split('/');
  for (let at = tokens.length - 1; at > 0; at--) {
    const notKeyword = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'].includes(tokens[at - 1]);
    if ((tokens[at] !== 'then' && tokens[at] !== 'else') || notKeyword) continue;
    const base = tokens.slice(0, at).join('/');
    const found = Object.hasOwn(conditions, base)
      ? [conditions[base]]
      : Object.entries(conditions)
          .filter(([place]) => /^#\/\$defs\/[^/]+/.test(place) && place.replace(/^#\/\$defs\/[^/]+/, '#') === base)
          .map(([, words]) => words);
    if (found.length === 1) return found[0][tokens[at] === 'then' ? 0 : 1];
    return undefined;
  }
  return undefined;
}

/** The schema location a keyword's location is in. */
const parentOf = (schemaPath) => schemaPath.slice(0, schemaPath.lastIndexOf('/'));

function issuesOf(node, event, out, conditions) {
  const e = node.error;
  const pointer = e.instancePath;
  const value = () => valueAt(event, pointer);
  const p = e.params ?? {};
  const keyword = e.keyword === 'false schema' ? 'false' : e.keyword;
  const push = (issue) => out.push({ ...issue, keywords: [keyword], where: e.schemaPath, want: issue.want ?? issue.message, found: issue.found ?? '' });
  const expected = (kind, want, found) => push({ pointer, kind, message: `expected ${want}, found ${found}`, want, found });
  switch (e.keyword) {
    case 'required': {
      const when = condition(conditions, e.schemaPath);
      push({ pointer: child(pointer, p.missingProperty), kind: 'required', message: `missing required key \`${p.missingProperty}\`${when ? `, required when ${when}` : ''}` });
      return;
    }
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = p.additionalProperty ?? p.unevaluatedProperty;
      push({ pointer: child(pointer, key), kind: 'unknown_field', message: `unknown key \`${key}\`: the contract does not list it` });
      return;
    }
    case 'false schema': {
      const tokens = pointer.split('/');
      const key = tokens.length > 1 ? tokens[tokens.length - 1].replaceAll('~1', '/').replaceAll('~0', '~') : undefined;
      const when = condition(conditions, e.schemaPath);
      const message = key === undefined ? 'no value is allowed here' : when ? `\`${key}\` must be absent when ${when}` : `\`${key}\` must be absent here`;
      push({ pointer, kind: 'forbidden', message });
      return;
    }
    case 'type': {
      const want = Array.isArray(p.type) ? p.type.join(' or ') : String(p.type).split(',').join(' or ');
      expected('type', want, describe(value()));
      return;
    }
    case 'enum':
      expected('enum', `one of ${p.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`, show(value()));
      return;
    case 'const':
      expected('const', JSON.stringify(p.allowedValue), show(value()));
      return;
    case 'format':
      expected('format', `a valid \`${p.format}\``, show(value()));
      return;
    case 'pattern':
      expected('pattern', `a string matching \`${p.pattern}\``, show(value()));
      return;
    case 'minLength':
    case 'maxLength': {
      const least = e.keyword === 'minLength' ? 'at least' : 'at most';
      expected('length', `${least} ${p.limit} characters`, show(value()));
      return;
    }
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum': {
      const bound = { minimum: 'no less than', exclusiveMinimum: 'greater than', maximum: 'no greater than', exclusiveMaximum: 'less than' }[e.keyword];
      expected('range', `a number ${bound} ${p.limit}`, show(value()));
      return;
    }
    case 'anyOf':
    case 'oneOf': {
      // Branches the value is not even the type of (`null` for a nullable field) say nothing
      // useful; when one branch is left, its errors are the real ones.
      const all = branches(node);
      const relevant = all.filter((b) => !b.every((c) => c.error.keyword === 'type' && c.error.instancePath === pointer));
      if (relevant.length === 1) {
        for (const c of relevant[0]) issuesOf(c, event, out, conditions);
        return;
      }
      let want = SHAPES[parentOf(e.schemaPath)];
      if (want === undefined) {
        const wanted = [];
        for (const b of all) {
          const sub = [];
          for (const c of b) issuesOf(c, event, sub, conditions);
          const text = sub.map((i) => i.want).join(' and ');
          if (text && !wanted.includes(text)) wanted.push(text);
        }
        want = wanted.join(' or ');
      }
      expected('any_of', want, show(value()));
      return;
    }
    case 'if':
      // The failing `then`'s own errors are already in the list.
      return;
    default:
      push({ pointer, kind: 'other', message: `fails \`${e.keyword}\` ${JSON.stringify(p)}` });
  }
}

const SHAPE_KINDS = ['format', 'pattern', 'length'];

/**
 * One error per fault: the shape errors of one subschema at one pointer become one, of the first
 * of their kinds, in the words of the shape (SHAPES) when it has them. `issues` are sorted.
 */
function merge(issues) {
  const slots = [];
  const groups = new Map();
  for (const issue of issues) {
    if (!SHAPE_KINDS.includes(issue.kind)) {
      slots.push([issue]);
      continue;
    }
    const key = `${issue.pointer}\u0000${parentOf(issue.where)}`;
    if (!groups.has(key)) {
      groups.set(key, []);
      slots.push(groups.get(key));
    }
    groups.get(key).push(issue);
  }
  return slots.map((group) => {
    const [first] = group;
    if (!SHAPE_KINDS.includes(first.kind)) return first;
    const keywords = [...new Set(group.flatMap((i) => i.keywords))];
    const wants = [...new Set(group.map((i) => i.want))];
    const words = SHAPES[parentOf(first.where)];
    let message;
    if (words !== undefined) {
      const onlyFormat = group.every((i) => i.kind === 'format');
      const real = onlyFormat ? `, which is not a valid ${first.want.slice('a valid '.length)}` : '';
      message = `expected ${words}, found ${first.found}${real}`;
    } else {
      message = `expected ${wants.join(' and ')}, found ${first.found}`;
    }
    return { ...first, message, keywords };
  });
}

/**
 * evschema's limits of reading an event, on a parsed value: the pointer of the first array or
 * object (in key order) that opens a level past MAX_DEPTH, and every number that is not finite.
 */
function limits(value, path, depth, numbers) {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    numbers.push(path);
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (depth > MAX_DEPTH) return path;
  for (const [key, item] of Object.entries(value)) {
    const deep = limits(item, child(path, key), depth + 1, numbers);
    if (deep !== undefined) return deep;
  }
  return undefined;
}

/** `value` with `null` at `pointer` (a copy along it only). */
function withNull(value, tokens) {
  if (tokens.length === 0) return null;
  const [head, ...rest] = tokens;
  const copy = Array.isArray(value) ? [...value] : { ...value };
  copy[head] = withNull(value[head], rest);
  return copy;
}

const tokensOf = (pointer) => pointer.split('/').slice(1).map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));

/**
 * Validates `event` with the validators of one policy: the type's own validator when `type`
 * names a known event type, otherwise the any-event one (which says what is wrong with `type`).
 * Returns `{ valid, errors }`, the errors sorted by pointer and kind, as evschema reports them.
 */
export function report(validators, event) {
  const numbers = [];
  const deep = limits(event, '', 1, numbers);
  if (deep !== undefined) {
    const what = Array.isArray(valueAt(event, deep)) ? 'array' : 'object';
    const message = `nested too deep: this ${what} would open level ${MAX_DEPTH + 1} of arrays and objects, past the limit of ${MAX_DEPTH}`;
    return { valid: false, errors: [{ pointer: deep, kind: 'too_deep', message }] };
  }
  const refused = numbers.map((pointer) => ({
    pointer,
    kind: 'double_range',
    message: `expected a number within the range of a double (at most 1.7976931348623157e308 in magnitude), found ${valueAt(event, pointer) > 0 ? '' : '-'}Infinity, which JavaScript and Python read as infinity`,
  }));
  let checked = event;
  for (const pointer of numbers) checked = withNull(checked, tokensOf(pointer));
  const type = checked !== null && typeof checked === 'object' && !Array.isArray(checked) ? checked.type : undefined;
  const name = typeof type === 'string' && type !== 'any' && Object.hasOwn(validators, type) ? type : 'any';
  const validate = validators[name];
  if (validate(checked) && refused.length === 0) return { valid: true, errors: [] };
  let issues = [];
  for (const node of nest(validate.errors ?? [])) issuesOf(node, checked, issues, CONDITIONS[name] ?? {});
  // A value of the wrong type is also, necessarily, not one of an enum's strings.
  const typed = new Set(issues.filter((i) => i.kind === 'type').map((i) => i.pointer));
  issues = issues.filter((i) => !((i.kind === 'enum' || i.kind === 'const') && typed.has(i.pointer)));
  const rank = (k) => KINDS.indexOf(k);
  const compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  const order = (a, b) => compare(a.pointer, b.pointer) || rank(a.kind) - rank(b.kind) || compare(a.message, b.message);
  issues.sort(order);
  const gone = new Set(numbers);
  issues = merge(issues)
    .filter((i) => !gone.has(i.pointer))
    .map(({ pointer, kind, message, keywords }) => ({ pointer, kind, message, keywords }))
    .concat(refused);
  issues.sort(order);
  const errors = issues.filter(
    (i, n) => n === 0 || !(i.pointer === issues[n - 1].pointer && i.kind === issues[n - 1].kind && i.message === issues[n - 1].message),
  );
  return { valid: errors.length === 0, errors };
}
