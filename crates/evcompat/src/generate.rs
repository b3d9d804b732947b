//! Values built from a schema: the material witnesses are made of.
//!
//! [`Generator::instances`] returns a few values a node is meant to accept, as different from
//! each other as is cheap: each union branch and each side of a condition, the edges of every
//! bound, strings built from the pattern's regular expression and from samples of each format,
//! objects with only the required keys and with every listed key. Nothing here is trusted: a
//! value is kept only if the node's validators do not refuse it, and a witness is validated
//! whole against both schemas before it is shown.

use regex_syntax::hir::{Class, Hir, HirKind};
use serde_json::{Map, Number, Value, json};

use crate::formats::format_samples;
use crate::normal::{Bound, FALSE, NodeId, Record, Types};
use crate::prove::Prover;

/// How deep generated values may nest.
const MAX_DEPTH: usize = 6;

/// How many values one generator may make (one witness search).
const GENERATOR_BUDGET: usize = 5_000;

/// Builds values of nodes.
pub(crate) struct Generator<'p, 'a, 'r> {
    pub prover: &'p mut Prover<'a, 'r>,
    /// Values generated so far, the cost this generator is allowed.
    pub made: usize,
    pub budget: usize,
    /// How many aimed generations are nested (values aimed at an item's schema inside values
    /// aimed at an array's): bounded, so recursive schemas end.
    pub aiming: usize,
}

impl<'p, 'a, 'r> Generator<'p, 'a, 'r> {
    pub fn new(prover: &'p mut Prover<'a, 'r>) -> Self {
        Generator {
            prover,
            made: 0,
            budget: GENERATOR_BUDGET,
            aiming: 0,
        }
    }

    /// Up to `want` values of `node`, none that its validators refuse.
    pub fn instances(&mut self, node: NodeId, depth: usize, want: usize) -> Vec<Value> {
        let mut out = Vec::new();
        // Every call costs one: a schema with many keys at every level cannot make the
        // generator's work grow without bound.
        self.made += 1;
        self.prover.made += 1;
        if node == FALSE || want == 0 || self.made > self.budget || self.prover.out_of_budget() {
            return out;
        }
        let record = self.prover.arena.record(node);
        if record.is_none() {
            return out;
        }
        let candidates = if let Some(values) = &record.enumeration {
            // A few of the listed values, not all of them: an `enum` may list thousands.
            values.values().take(want.max(4) * 4).cloned().collect()
        } else if let Some(values) = crate::prove::finite_values(&record) {
            values
        } else if record.has_cases() {
            let cases = match self.prover.cases(node) {
                Some(cases) => cases,
                None => vec![node],
            };
            let mut all = Vec::new();
            if cases.len() == 1 && cases[0] == node {
                all = self.plain(&record, depth, want);
            } else {
                let each = (want / cases.len().max(1)).max(1);
                for case in cases.into_iter().take(want.max(8)) {
                    all.extend(self.instances(case, depth, each));
                    // Below the top, the first cases that give enough values are enough: a
                    // union nested in every branch would otherwise cost 2^depth.
                    if depth > 0 && all.len() >= want {
                        break;
                    }
                }
            }
            all
        } else {
            self.plain(&record, depth, want)
        };
        for value in candidates {
            if self.prover.member(node, &value) != Some(false) && !out.contains(&value) {
                out.push(value);
                if out.len() >= want {
                    break;
                }
            }
        }
        out
    }

    /// The first value of `node`, or `null` when none is found.
    pub fn one(&mut self, node: NodeId, depth: usize) -> Value {
        self.instances(node, depth, 1)
            .into_iter()
            .next()
            .unwrap_or(Value::Null)
    }

    /// Values of a record without unions, type by type.
    fn plain(&mut self, r: &Record, depth: usize, want: usize) -> Vec<Value> {
        let mut out = Vec::new();
        let types = r.effective_types();
        for t in [
            Types::OBJECT,
            Types::ARRAY,
            Types::STRING,
            Types::INTEGER,
            Types::FRACTION,
            Types::BOOLEAN,
            Types::NULL,
        ] {
            if !types.contains(t) {
                continue;
            }
            match t {
                Types::OBJECT => out.extend(self.objects(r, depth, want)),
                Types::ARRAY => out.extend(self.arrays(r, depth, want)),
                Types::STRING => out.extend(strings(r).into_iter().map(Value::String)),
                Types::INTEGER => out.extend(integers(r)),
                Types::FRACTION => out.extend(fractions(r)),
                Types::BOOLEAN => out.extend([json!(true), json!(false)]),
                _ => out.push(Value::Null),
            }
        }
        out
    }

    /// The schemas that apply to the value of `key` in an object of `r`.
    pub fn key_schema(&mut self, r: &Record, key: &str) -> NodeId {
        let mut parts: Vec<NodeId> = r
            .pattern_properties
            .iter()
            .filter(|(p, _)| self.prover.oracle.matches(p, key) == Some(true))
            .map(|(_, s)| *s)
            .collect();
        match r.properties.get(key) {
            Some(s) => parts.push(*s),
            None if parts.is_empty() => parts.push(r.additional_properties),
            None => {}
        }
        self.prover.arena.conj(&parts)
    }

    fn objects(&mut self, r: &Record, depth: usize, want: usize) -> Vec<Value> {
        let mut required: Vec<String> = r.required.iter().cloned().collect();
        // Keys a required key brings with it.
        let mut i = 0;
        while i < required.len() {
            if let Some(more) = r.dependent_required.get(&required[i]) {
                for k in more {
                    if !required.contains(k) {
                        required.push(k.clone());
                    }
                }
            }
            i += 1;
        }
        let optional: Vec<String> = r
            .properties
            .iter()
            .filter(|(k, s)| **s != FALSE && !required.contains(k))
            .map(|(k, _)| k.clone())
            .collect();
        let mut shapes: Vec<Vec<String>> = vec![required.clone()];
        // Optional keys only near the top: deeper down, the required ones are enough.
        if !optional.is_empty() && depth <= 1 {
            let mut all = required.clone();
            all.extend(optional.iter().cloned());
            shapes.push(all);
        }
        let mut out = Vec::new();
        for (s, keys) in shapes.into_iter().enumerate() {
            let mut object = Map::new();
            for key in &keys {
                let schema = self.key_schema(r, key);
                let pick = if depth >= MAX_DEPTH { 0 } else { s };
                let values = self.instances(schema, depth + 1, pick + 1);
                let value = values
                    .get(pick)
                    .or(values.first())
                    .cloned()
                    .unwrap_or(Value::Null);
                object.insert(key.clone(), value);
            }
            // Up to `minProperties`: listed keys first, then new ones.
            let mut n = 0;
            while (object.len() as u64) < r.min_properties && n < 64 {
                let key = optional
                    .iter()
                    .find(|k| !object.contains_key(*k))
                    .cloned()
                    .unwrap_or_else(|| extra_key(n));
                let schema = self.key_schema(r, &key);
                let value = self.one(schema, depth + 1);
                object.insert(key, value);
                n += 1;
            }
            out.push(Value::Object(object));
            if out.len() >= want {
                break;
            }
        }
        out
    }

    fn arrays(&mut self, r: &Record, depth: usize, want: usize) -> Vec<Value> {
        let mut lengths = vec![r.min_items as usize];
        let longest = r.max_len().map(|m| m as usize);
        let fuller = (r.min_items as usize).max(r.prefix_items.len()).max(1);
        if longest.is_none_or(|m| fuller <= m) && depth <= 1 {
            lengths.push(fuller);
        }
        lengths.dedup();
        let mut out = Vec::new();
        for len in lengths {
            let mut items = Vec::with_capacity(len);
            for i in 0..len.min(64) {
                let schema = r.item(i);
                let options =
                    self.instances(schema, depth + 1, if r.unique_items { len } else { 1 });
                let value = if r.unique_items {
                    options.iter().find(|v| !items.contains(*v)).cloned()
                } else {
                    options.first().cloned()
                };
                items.push(value.unwrap_or(Value::Null));
            }
            // Enough items matching each `contains`.
            for c in &r.contains {
                let matching = self.instances(c.schema, depth + 1, c.min.max(1) as usize);
                let mut have = 0;
                for (slot, value) in items.iter_mut().zip(matching.iter().cycle()) {
                    if have >= c.min {
                        break;
                    }
                    *slot = value.clone();
                    have += 1;
                }
                while have < c.min && items.len() < 64 {
                    if let Some(v) = matching.first() {
                        items.push(v.clone());
                    }
                    have += 1;
                }
            }
            out.push(Value::Array(items));
            if out.len() >= want {
                break;
            }
        }
        out
    }
}

/// A key no schema is likely to list.
pub(crate) fn extra_key(n: usize) -> String {
    format!("x_extra_{n}")
}

/// Strings for a record: from its patterns, from samples of its formats, at its lengths.
pub(crate) fn strings(r: &Record) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // Format samples first: realistic values every validator reads the same way.
    for format in &r.formats {
        out.extend(format_samples(format).iter().map(|s| (*s).to_owned()));
    }
    for pattern in &r.patterns {
        out.extend(regex_samples(pattern));
    }
    if r.patterns.is_empty() && r.formats.is_empty() {
        out.extend(["x", "", "abc"].map(str::to_owned));
    }
    let mut sized = Vec::new();
    for s in &out {
        let len = s.chars().count() as u64;
        if len < r.min_length {
            let pad: String = s.chars().last().unwrap_or('a').to_string();
            sized.push(format!("{s}{}", pad.repeat((r.min_length - len) as usize)));
        }
        if let Some(max) = r.max_length
            && len > max
        {
            sized.push(s.chars().take(max as usize).collect());
        }
    }
    out.extend(sized);
    out.push("a".repeat(r.min_length.min(4096) as usize));
    if let Some(max) = r.max_length {
        out.push("a".repeat(max.min(4096) as usize));
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|s| seen.insert(s.clone()));
    out
}

/// Integers within a record's bounds and multiples.
pub(crate) fn integers(r: &Record) -> Vec<Value> {
    let lo = edge(&r.minimum, true);
    let hi = edge(&r.maximum, false);
    let step = r
        .multiple_of
        .iter()
        .filter_map(|m| {
            m.as_u64().or_else(|| {
                m.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f > 0.0)
                    .map(|f| f as u64)
            })
        })
        .fold(1u64, |acc, m| lcm(acc, m).unwrap_or(acc)) as i128;
    let mut seeds: Vec<i128> = vec![0, 1, -1, 10, 100, -1000, 1000, 1_000_000];
    if let Some(lo) = lo {
        seeds.extend([lo, lo + 1]);
    }
    if let Some(hi) = hi {
        seeds.extend([hi, hi - 1]);
    }
    let mut out = Vec::new();
    for s in seeds {
        // Round up to a multiple of the step.
        let v = if step > 1 {
            s.div_euclid(step) * step + if s.rem_euclid(step) == 0 { 0 } else { step }
        } else {
            s
        };
        if lo.is_none_or(|lo| v >= lo) && hi.is_none_or(|hi| v <= hi) {
            let value = i64::try_from(v).map_or(Value::Null, Value::from);
            if !value.is_null() && !out.contains(&value) {
                out.push(value);
            }
        }
    }
    // Multiples of a fractional `multipleOf` that are integers are covered above; other
    // multiples are in `fractions`.
    out
}

/// The innermost integer a bound allows (`None` without a bound).
fn edge(bound: &Option<Bound>, lower: bool) -> Option<i128> {
    let b = bound.as_ref()?;
    let v = b.value.as_f64()?;
    if v.abs() > 1e30 {
        return None;
    }
    Some(match (lower, b.exclusive) {
        (true, false) => v.ceil() as i128,
        (true, true) => v.floor() as i128 + 1,
        (false, false) => v.floor() as i128,
        (false, true) => v.ceil() as i128 - 1,
    })
}

fn lcm(a: u64, b: u64) -> Option<u64> {
    fn gcd(a: u64, b: u64) -> u64 {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    if a == 0 || b == 0 {
        return Some(0);
    }
    (a / gcd(a, b)).checked_mul(b)
}

/// Numbers with a fractional part within a record's bounds (and fractional multiples).
pub(crate) fn fractions(r: &Record) -> Vec<Value> {
    let lo = r.minimum.as_ref().and_then(|b| b.value.as_f64());
    let hi = r.maximum.as_ref().and_then(|b| b.value.as_f64());
    let mut seeds = vec![0.5, 1.5, -0.5, 2.25];
    if let Some(lo) = lo {
        seeds.extend([lo + 0.5, lo + 0.25, lo + 1e-3]);
    }
    if let Some(hi) = hi {
        seeds.extend([hi - 0.5, hi - 0.25, hi - 1e-3]);
    }
    for m in &r.multiple_of {
        if let Some(m) = m.as_f64()
            && m.fract() != 0.0
        {
            seeds.extend([m, m * 3.0, m * 7.0]);
        }
    }
    seeds
        .into_iter()
        .filter(|v| v.fract() != 0.0)
        .filter_map(Number::from_f64)
        .map(Value::Number)
        .collect()
}

/// Strings that match `pattern`: its shortest match, longer repetitions, each alternative,
/// other characters of each class. Empty when the pattern uses what the parser here does not
/// read (look-around, back-references).
pub(crate) fn regex_samples(pattern: &str) -> Vec<String> {
    thread_local! {
        static SAMPLES: std::cell::RefCell<std::collections::HashMap<String, Vec<String>>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    if let Some(samples) = SAMPLES.with(|c| c.borrow().get(pattern).cloned()) {
        return samples;
    }
    let samples = build_regex_samples(pattern);
    SAMPLES.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() > 4096 {
            cache.clear();
        }
        cache.insert(pattern.to_owned(), samples.clone());
    });
    samples
}

fn build_regex_samples(pattern: &str) -> Vec<String> {
    let Ok(hir) = regex_syntax::ParserBuilder::new()
        .utf8(true)
        .build()
        .parse(pattern)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for mode in [
        Mode::Shortest,
        Mode::Longer(1),
        Mode::Longer(3),
        Mode::Branch(1),
        Mode::Branch(2),
        Mode::Char(1),
        Mode::Char(7),
        Mode::Longest,
    ] {
        let mut s = String::new();
        if sample(&hir, mode, &mut s) && s.chars().count() <= 4096 && !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

#[derive(Clone, Copy)]
enum Mode {
    Shortest,
    /// `n` more repetitions than the minimum, within the maximum.
    Longer(u32),
    /// The maximum number of repetitions (up to 16).
    Longest,
    /// The `n`-th alternative (modulo their number).
    Branch(usize),
    /// The `n`-th character of each class.
    Char(usize),
}

fn sample(hir: &Hir, mode: Mode, out: &mut String) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(lit) => match std::str::from_utf8(&lit.0) {
            Ok(text) => {
                out.push_str(text);
                true
            }
            Err(_) => false,
        },
        HirKind::Class(Class::Unicode(class)) => {
            let ranges = class.ranges();
            if ranges.is_empty() {
                return false;
            }
            let printable = |c: char| !c.is_control();
            let pick = match mode {
                Mode::Char(n) => {
                    let all: Vec<char> = ranges
                        .iter()
                        .flat_map(|r| (r.start()..=r.end()).take(64))
                        .filter(|c| printable(*c))
                        .take(128)
                        .collect();
                    all.get(n % all.len().max(1)).copied()
                }
                _ => ranges
                    .iter()
                    .flat_map(|r| (r.start()..=r.end()).take(64))
                    .find(|c| printable(*c) && c.is_ascii())
                    .or_else(|| {
                        ranges
                            .iter()
                            .flat_map(|r| r.start()..=r.end())
                            .find(|c| printable(*c))
                    }),
            };
            match pick.or(Some(ranges[0].start())) {
                Some(c) => {
                    out.push(c);
                    true
                }
                None => false,
            }
        }
        HirKind::Class(Class::Bytes(class)) => match class.ranges().first() {
            Some(r) if r.start().is_ascii() => {
                out.push(r.start() as char);
                true
            }
            _ => false,
        },
        HirKind::Repetition(rep) => {
            let times = match mode {
                Mode::Longer(n) => {
                    let t = rep.min.saturating_add(n);
                    rep.max.map_or(t, |m| t.min(m))
                }
                Mode::Longest => rep
                    .max
                    .unwrap_or(rep.min.saturating_add(16))
                    .min(rep.min.saturating_add(16)),
                _ => rep.min,
            };
            (0..times.min(256)).all(|_| sample(&rep.sub, mode, out))
        }
        HirKind::Capture(cap) => sample(&cap.sub, mode, out),
        HirKind::Concat(parts) => parts.iter().all(|p| sample(p, mode, out)),
        HirKind::Alternation(alts) => {
            let i = match mode {
                Mode::Branch(n) => n % alts.len(),
                _ => 0,
            };
            sample(&alts[i], mode, out)
        }
    }
}

/// A JSON value of each kind, for where anything may go.
pub(crate) fn any_values() -> Vec<Value> {
    vec![
        json!("x"),
        json!(1),
        json!(1.5),
        json!(null),
        json!(true),
        json!({}),
        json!([]),
    ]
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use serde_json::{Map, Value, json};

    use super::*;
    use crate::normal::{Arena, Document, Side, registries};
    use crate::oracle::Oracle;
    use crate::pair::{document_uri, draft_of};

    /// `levels` definitions, each an `anyOf` of two object branches whose one required key
    /// holds the next definition: a union nested in every branch, 2^levels paths through a
    /// document of `levels` entries.
    fn nested_unions(levels: usize) -> Value {
        let mut defs = Map::new();
        for i in 0..levels {
            let next = if i + 1 == levels {
                json!({"type": "integer"})
            } else {
                json!({"$ref": format!("#/$defs/l{}", i + 1)})
            };
            let branch = |key: &str| {
                let mut properties = Map::new();
                properties.insert(key.to_owned(), next.clone());
                json!({"type": "object", "required": [key], "properties": properties})
            };
            defs.insert(
                format!("l{i}"),
                json!({"anyOf": [branch("a"), branch("b")]}),
            );
        }
        json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$ref": "#/$defs/l0",
            "$defs": defs,
        })
    }

    /// How many generations `instances(root, 0, want)` costs on `schema`, and its values.
    fn generate(schema: &Value, want: usize) -> (usize, Vec<Value>) {
        let docs = [Document {
            side: Side::New,
            uri: document_uri(Side::New, false),
            value: Cow::Borrowed(schema),
            draft: draft_of(schema),
        }];
        let regs = registries(&docs).expect("the schema loads");
        let Ok(oracle) = Oracle::new(&docs, &regs, None) else {
            panic!("the schema does not compile");
        };
        let mut arena = Arena::new(&docs, &regs);
        let root = arena.root(0).expect("a root");
        let mut prover = Prover::new(&mut arena, &oracle);
        let mut g = Generator::new(&mut prover);
        let values = g.instances(root, 0, want);
        (g.made, values)
    }

    #[test]
    fn a_union_nested_in_every_branch_costs_its_depth_not_its_paths() {
        for levels in [12, 24] {
            let schema = nested_unions(levels);
            let (made, values) = generate(&schema, 2);
            // Both branches at the top, then one path down each: a few generations a level
            // (2^levels without the cut, past the generator's budget at 12 levels already).
            assert!(
                made <= 8 * levels,
                "{levels} levels: {made} generations for {} values",
                values.len()
            );
            assert_eq!(values.len(), 2, "{levels} levels: {values:?}");
            let validator = jsonschema::validator_for(&schema).expect("compiles");
            for value in &values {
                assert!(
                    validator.is_valid(value),
                    "{levels} levels: {value} refused"
                );
            }
            // The top's both branches are represented.
            assert!(values.iter().any(|v| v.get("a").is_some()), "{values:?}");
            assert!(values.iter().any(|v| v.get("b").is_some()), "{values:?}");
        }
    }

    #[test]
    fn at_the_top_every_union_case_is_tried() {
        // The first two branches' values match both of them, which `oneOf` refuses: only
        // the third branch gives a value, and it is reached though one was asked for.
        let schema = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "oneOf": [
                {"type": "integer"},
                {"type": "integer", "minimum": -1000000},
                {"type": "string"},
            ],
        });
        let (_, values) = generate(&schema, 1);
        assert_eq!(values.len(), 1, "{values:?}");
        assert!(values[0].is_string(), "{values:?}");
    }
}
