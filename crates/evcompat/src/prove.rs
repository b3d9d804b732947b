//! The inclusion prover: does every value one schema accepts satisfy another?
//!
//! `includes(p, r)` answers "yes" only with a proof: it splits the producer `p` into cases
//! (union branches, conditions, a discriminating key's values), and for each case shows every
//! keyword of the reader `r` satisfied, one keyword family at a time, by the rules in
//! [`super::rules`]. Anything it cannot show is "no proof", never "yes". `disjoint(a, b)`
//! proves that no value satisfies both (for `not`, `oneOf` and conditions), and `same(a, b)`
//! that two normal forms are equal.
//!
//! Recursive schemas: a pair met again on the way down is assumed to hold (co-induction) only
//! if the value got deeper since (a property or an item was entered), so every use of the
//! assumption is about a smaller value; a pair met again at the same depth is not assumed. A
//! result that leaned on an assumption still open is not cached. Every question costs a step
//! from a budget; a comparison that runs out answers "no proof".

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::normal::{Arena, FALSE, NodeId, Opaque, Record, TRUE, Types};
use super::oracle::Oracle;
use super::rules;

/// What is being proved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Rel {
    Includes,
    Disjoint,
    Same,
}

/// How many cases one producer schema may be split into.
const MAX_CASES: usize = 64;

/// The prover over one arena.
pub(crate) struct Prover<'a, 'r> {
    pub arena: &'a mut Arena<'r>,
    pub oracle: &'a Oracle<'r>,
    memo: HashMap<(Rel, NodeId, NodeId), bool>,
    /// Open questions, with the value depth each was asked at.
    stack: Vec<((Rel, NodeId, NodeId), usize)>,
    /// The lowest stack index an assumption was taken from since the current question began.
    lowest: usize,
    /// How deep in the value the current question is.
    depth: usize,
    steps: u64,
    budget: u64,
    /// Whether some question ran out of budget (its answer was "no proof").
    pub exhausted: bool,
}

impl<'a, 'r> Prover<'a, 'r> {
    /// A prover allowed `budget` steps.
    pub fn new(arena: &'a mut Arena<'r>, oracle: &'a Oracle<'r>, budget: u64) -> Self {
        Prover {
            arena,
            oracle,
            memo: HashMap::new(),
            stack: Vec::new(),
            lowest: usize::MAX,
            depth: 0,
            steps: 0,
            budget,
            exhausted: false,
        }
    }

    /// Starts a new question: the budget counts the steps of one top-level question.
    pub fn fresh_budget(&mut self) {
        self.steps = 0;
        self.exhausted = false;
    }

    /// Whether every value `p` accepts is accepted by `r` (at the same place in a value).
    pub fn includes(&mut self, p: NodeId, r: NodeId) -> bool {
        self.relate(Rel::Includes, p, r)
    }

    /// Like [`Prover::includes`], for the schemas of a property or an item: one level deeper.
    pub fn child_includes(&mut self, p: NodeId, r: NodeId) -> bool {
        self.depth += 1;
        let result = self.includes(p, r);
        self.depth -= 1;
        result
    }

    /// Whether no value is accepted by both.
    pub fn disjoint(&mut self, a: NodeId, b: NodeId) -> bool {
        let (a, b) = (a.min(b), a.max(b));
        self.relate(Rel::Disjoint, a, b)
    }

    /// [`Prover::disjoint`], one level deeper.
    pub fn child_disjoint(&mut self, a: NodeId, b: NodeId) -> bool {
        self.depth += 1;
        let result = self.disjoint(a, b);
        self.depth -= 1;
        result
    }

    /// Whether two nodes have the same normal form (and so the same meaning).
    pub fn same(&mut self, a: NodeId, b: NodeId) -> bool {
        if a == b {
            return true;
        }
        let (a, b) = (a.min(b), a.max(b));
        self.relate(Rel::Same, a, b)
    }

    fn relate(&mut self, rel: Rel, a: NodeId, b: NodeId) -> bool {
        let key = (rel, a, b);
        if let Some(answer) = self.memo.get(&key) {
            return *answer;
        }
        if let Some(at) = self.stack.iter().position(|(k, _)| *k == key) {
            // A cycle: assume it only when the value got deeper since.
            if self.depth > self.stack[at].1 {
                self.lowest = self.lowest.min(at);
                return true;
            }
            return false;
        }
        self.steps += 1;
        if self.steps > self.budget || self.stack.len() > 2_000 {
            self.exhausted = true;
            return false;
        }
        let frame = self.stack.len();
        self.stack.push((key, self.depth));
        let outer_lowest = std::mem::replace(&mut self.lowest, usize::MAX);
        let answer = match rel {
            Rel::Includes => self.compute_includes(a, b),
            Rel::Disjoint => self.compute_disjoint(a, b),
            Rel::Same => self.compute_same(a, b),
        };
        self.stack.pop();
        if !answer || self.lowest >= frame {
            self.memo.insert(key, answer);
        }
        let inner = if self.lowest >= frame {
            usize::MAX
        } else {
            self.lowest
        };
        self.lowest = outer_lowest.min(inner);
        answer
    }

    fn compute_includes(&mut self, p: NodeId, r: NodeId) -> bool {
        if r == TRUE || p == FALSE || p == r {
            return true;
        }
        let rp = self.arena.record(p);
        let rr = self.arena.record(r);
        if rr.is_any() || rp.is_none() {
            return true;
        }
        if rr.is_none() {
            return false;
        }
        if let Some(answer) = self.finite(p, &rp, r) {
            return answer;
        }
        if self.same(p, r) {
            return true;
        }
        if (rp.has_cases() || discriminator(&rp, self.arena).is_some())
            && let Some(cases) = self.cases(p)
            && (cases.len() != 1 || cases[0] != p)
        {
            return cases.into_iter().all(|c| self.includes(c, r));
        }
        self.families(p, &rp, r, &rr)
    }

    /// The reader's keywords, family by family; each may also be shown by a conjunct of the
    /// producer that could not be merged into its record (the producer is their conjunction).
    fn families(&mut self, p: NodeId, rp: &Record, r: NodeId, rr: &Record) -> bool {
        for family in rules::Family::ALL {
            if family.holds(self, p, rp, r, rr) {
                continue;
            }
            if rp.all_of.is_empty() {
                return false;
            }
            let part = self.arena.family(r, family);
            if !rp
                .all_of
                .clone()
                .into_iter()
                .any(|c| self.includes(c, part))
            {
                return false;
            }
        }
        true
    }

    /// A finite producer is checked value by value with the validators; `None` when it is not
    /// finite or a side cannot be evaluated.
    ///
    /// The verdicts are one validator's, so a value on which validators disagree (see
    /// [`Self::disputed`]) gives no answer. A listed number also stands for its twin written as
    /// a float (`1` and `1.0` are the same value to `enum`, not to draft-04's `integer`).
    fn finite(&mut self, p: NodeId, rp: &Record, r: NodeId) -> Option<bool> {
        let values = finite_values(rp)?;
        let mut answer = true;
        for listed in values {
            let twin = float_twin(&listed);
            for value in std::iter::once(listed).chain(twin) {
                if self.disputed(p, &value, true) || self.disputed(r, &value, true) {
                    return None;
                }
                if self.oracle.member(self.arena, p, &value)?
                    && !self.oracle.member(self.arena, r, &value)?
                {
                    answer = false;
                }
            }
        }
        Some(answer)
    }

    /// Whether a keyword kept as written (one validators disagree on, such as `dependencies`
    /// in a 2020-12 document or a format its draft does not define) applies somewhere to
    /// `value` under `node`: a witness that one validator confirms there may not break another.
    ///
    /// With `producer`, `dependencies` where it can only narrow what is accepted (not under a
    /// `not`, a condition's `if` or a `oneOf`) does not count: validators either apply it with
    /// draft-07's meaning or ignore it, so a value accepted with it is accepted without it.
    pub fn kept_keywords_apply(&mut self, node: NodeId, value: &Value, producer: bool) -> bool {
        Dispute::run(self.arena, node, value, false, producer)
    }

    /// Whether validators may disagree on whether `node` accepts `value`: somewhere the schema
    /// applies to a part of the value, a `format` meets a string (formats differ from validator
    /// to validator: `idn-hostname`, leap seconds, year 0000, regex dialects), a fractional
    /// `multipleOf` meets a number (floating point in some validators, exact in others), or a
    /// keyword kept as written applies (only the last when `formats_too` is false).
    ///
    /// Every pair of a node and a part of the value is looked at once, so the work is at most
    /// their product; past [`DISPUTE_BUDGET`] pairs the answer is `true` (conservative).
    fn disputed(&mut self, node: NodeId, value: &Value, formats_too: bool) -> bool {
        Dispute::run(self.arena, node, value, formats_too, false)
    }

    /// The producer `p` as a union of cases without disjunctions: each `anyOf`/`oneOf` branch
    /// (a `oneOf` read as an `anyOf`, which only widens it), each side of a condition that the
    /// rest does not decide, each value of a discriminating key. `None` when there would be
    /// more than [`MAX_CASES`].
    pub fn cases(&mut self, p: NodeId) -> Option<Vec<NodeId>> {
        let mut out = Vec::new();
        self.expand(p, &mut out, 0)?;
        Some(out)
    }

    fn expand(&mut self, p: NodeId, out: &mut Vec<NodeId>, level: usize) -> Option<()> {
        let rp = self.arena.record(p);
        if rp.is_none() {
            return Some(());
        }
        if level > 16 || out.len() > MAX_CASES {
            return None;
        }
        if let Some((key, values)) = discriminator(&rp, self.arena) {
            for value in values {
                let tag = self.arena.tagged(&key, &value);
                let case = self.arena.conj(&[p, tag]);
                self.expand(case, out, level + 1)?;
            }
            return Some(());
        }
        if let Some(i) = (0..rp.conditionals.len()).next() {
            let c = rp.conditionals[i].clone();
            let rest = self.arena.dropped(p, super::normal::Group::Conditionals, i);
            if self.includes(rest, c.condition) {
                let case = self.arena.conj(&[rest, c.then]);
                return self.expand(case, out, level + 1);
            }
            if self.disjoint(rest, c.condition) {
                let case = self.arena.conj(&[rest, c.otherwise]);
                return self.expand(case, out, level + 1);
            }
            let yes = self.arena.conj(&[rest, c.condition, c.then]);
            self.expand(yes, out, level + 1)?;
            // Where the condition fails, only `else` applies: the case holds the values the
            // condition refuses (a `not`, which only narrows it).
            let refused = self.arena.not(c.condition);
            let no = self.arena.conj(&[rest, c.otherwise, refused]);
            return self.expand(no, out, level + 1);
        }
        for (group, unions) in [
            (super::normal::Group::AnyOf, &rp.any_of),
            (super::normal::Group::OneOf, &rp.one_of),
        ] {
            if let Some(branches) = unions.first() {
                let rest = self.arena.dropped(p, group, 0);
                for b in branches.clone() {
                    let case = self.arena.conj(&[rest, b]);
                    self.expand(case, out, level + 1)?;
                }
                return Some(());
            }
        }
        out.push(p);
        Some(())
    }

    fn compute_disjoint(&mut self, a: NodeId, b: NodeId) -> bool {
        if a == FALSE || b == FALSE {
            return true;
        }
        if a == TRUE || b == TRUE {
            return self.arena.record(if a == TRUE { b } else { a }).is_none();
        }
        let ra = self.arena.record(a);
        let rb = self.arena.record(b);
        if ra.is_none() || rb.is_none() {
            return true;
        }
        let shared = ra.effective_types().and(rb.effective_types());
        if shared.is_empty() {
            return true;
        }
        for (x, rx, y) in [(a, &ra, b), (b, &rb, a)] {
            if let Some(values) = finite_values(rx) {
                let mut all = true;
                for value in values {
                    match (
                        self.oracle.member(self.arena, x, &value),
                        self.oracle.member(self.arena, y, &value),
                    ) {
                        (Some(false), _) | (_, Some(false)) => {}
                        _ => all = false,
                    }
                }
                if all {
                    return true;
                }
            }
        }
        if shared.each().all(|t| rules::disjoint_on(self, t, &ra, &rb)) {
            return true;
        }
        // A `not` on one side that the other side lies inside.
        for (rx, y) in [(&ra, b), (&rb, a)] {
            for n in rx.not.clone() {
                if self.includes(y, n) {
                    return true;
                }
            }
        }
        // A conjunct of one side disjoint from the other.
        for (rx, y) in [(&ra, b), (&rb, a)] {
            for c in rx.all_of.clone() {
                if self.disjoint(c, y) {
                    return true;
                }
            }
        }
        // Unions: every case of one side disjoint from the other.
        for (x, rx, y) in [(a, &ra, b), (b, &rb, a)] {
            if (rx.has_cases() || discriminator(rx, self.arena).is_some())
                && let Some(cases) = self.cases(x)
                && (cases.len() != 1 || cases[0] != x)
                && cases.into_iter().all(|c| self.disjoint(c, y))
            {
                return true;
            }
        }
        false
    }

    fn compute_same(&mut self, a: NodeId, b: NodeId) -> bool {
        let ra = self.arena.record(a);
        let rb = self.arena.record(b);
        rules::same_records(self, &ra, &rb)
    }

    /// Whether a value is accepted by `node`, by the validators; `None` when it cannot be told.
    pub fn member(&self, node: NodeId, value: &Value) -> Option<bool> {
        self.oracle.member(self.arena, node, value)
    }

    /// The node of `node` restricted to one type.
    pub fn typed(&mut self, node: NodeId, t: Types) -> NodeId {
        self.arena.typed(node, t)
    }
}

/// How many pairs of a node and a part of a value [`Prover::disputed`] looks at before it
/// gives up (and says "disputed").
const DISPUTE_BUDGET: usize = 50_000;

/// The walk of [`Prover::disputed`].
struct Dispute {
    formats_too: bool,
    /// Whether a kept keyword that can only narrow (see [`Prover::kept_keywords_apply`]) is
    /// allowed.
    narrowing_kept_ok: bool,
    /// The pairs already looked at: a node, the address of a part of the value (or of a key's
    /// text, for `propertyNames`), which does not move during the walk, and whether the node
    /// only narrows there.
    seen: HashSet<(NodeId, usize, bool)>,
}

impl Dispute {
    fn run(
        arena: &mut Arena<'_>,
        node: NodeId,
        value: &Value,
        formats_too: bool,
        narrowing_kept_ok: bool,
    ) -> bool {
        let mut walk = Dispute {
            formats_too,
            narrowing_kept_ok,
            seen: HashSet::new(),
        };
        walk.at(arena, node, value, std::ptr::from_ref(value) as usize, true)
    }

    /// `narrows`: the node's verdict on the value can only narrow the whole's (it is not
    /// under a `not`, an `if` or a `oneOf`).
    fn at(
        &mut self,
        arena: &mut Arena<'_>,
        node: NodeId,
        value: &Value,
        id: usize,
        narrows: bool,
    ) -> bool {
        if !self.seen.insert((node, id, narrows)) {
            return false;
        }
        if self.seen.len() > DISPUTE_BUDGET {
            return true;
        }
        let record = arena.record(node);
        // Keywords kept as written; the engine's own marks (`(evaluates: ...)`, written in
        // brackets) only say a record was taken apart, which the validators do not see.
        // A kept keyword that validators either apply with one meaning or ignore can only
        // narrow where it narrows: `dependencies` in a 2019-09 or 2020-12 document. Others
        // (a format some validators check their own way) count wherever they are.
        let engine_mark = |o: &Opaque| o.keyword.starts_with('(');
        let narrowing =
            |o: &Opaque| o.keyword == "dependencies" && self.narrowing_kept_ok && narrows;
        let counts = |o: &&Opaque| !(engine_mark(o) || narrowing(o));
        if record.opaque.iter().any(|o| counts(&o)) {
            return true;
        }
        // `pattern`s are ECMA-262, which not every validator's regular expressions are: `\d`,
        // `\w`, `\s`, `\b`, `.` and `$` read non-ASCII text and line ends differently (python's
        // `re` among them). On ASCII text without control characters they agree.
        let dialect_risk = |text: &str| text.chars().any(|c| !c.is_ascii() || c.is_ascii_control());
        match value {
            Value::String(text) if !record.patterns.is_empty() && dialect_risk(text) => {
                return true;
            }
            Value::Object(map)
                if !record.pattern_properties.is_empty() && map.keys().any(|k| dialect_risk(k)) =>
            {
                return true;
            }
            _ => {}
        }
        if self.formats_too {
            let fractional = |m: &serde_json::Number| m.as_u64().is_none() && m.as_i64().is_none();
            match value {
                Value::String(_) if !record.formats.is_empty() => return true,
                Value::Number(_) if record.multiple_of.iter().any(fractional) => return true,
                _ => {}
            }
        }
        // Schemas applied to the same value: those that narrow with this node, and those whose
        // failing can also let a value through.
        let mut same: Vec<NodeId> = record.all_of.clone();
        same.extend(record.any_of.iter().flatten());
        for c in &record.conditionals {
            same.extend([c.then, c.otherwise]);
        }
        same.extend(record.dependent_schemas.values());
        same.extend(record.unevaluated_properties);
        same.extend(record.unevaluated_items);
        let mut flipped: Vec<NodeId> = record.one_of.iter().flatten().copied().collect();
        flipped.extend(record.not.iter());
        flipped.extend(record.conditionals.iter().map(|c| c.condition));
        if same
            .into_iter()
            .any(|n| self.at(arena, n, value, id, narrows))
            || flipped
                .into_iter()
                .any(|n| self.at(arena, n, value, id, false))
        {
            return true;
        }
        // Schemas applied to its parts.
        match value {
            Value::Object(map) => map.iter().any(|(key, v)| {
                let key_value = Value::String(key.clone());
                // The key's own schema (or the rest's), and every pattern's: which patterns
                // match is not worked out here.
                let own = record
                    .properties
                    .get(key)
                    .copied()
                    .unwrap_or(record.additional_properties);
                let part = std::ptr::from_ref(v) as usize;
                self.at(
                    arena,
                    record.property_names,
                    &key_value,
                    key.as_ptr() as usize,
                    narrows,
                ) || std::iter::once(own)
                    .chain(record.pattern_properties.iter().map(|(_, n)| *n))
                    .any(|n| self.at(arena, n, v, part, narrows))
            }),
            Value::Array(items) => items.iter().enumerate().any(|(i, v)| {
                let part = std::ptr::from_ref(v) as usize;
                let mut applied: Vec<NodeId> = record.contains.iter().map(|c| c.schema).collect();
                applied.push(record.prefix_items.get(i).copied().unwrap_or(record.items));
                applied
                    .into_iter()
                    .any(|n| self.at(arena, n, v, part, narrows))
            }),
            _ => false,
        }
    }
}

/// `value` with every integer written as a float (`1` as `1.0`), when it has an integer that
/// a float holds exactly; `None` when there is none.
fn float_twin(value: &Value) -> Option<Value> {
    fn twin(value: &Value, changed: &mut bool) -> Value {
        match value {
            Value::Number(n) if !n.is_f64() => match n.as_i64().map(|i| i as f64) {
                Some(f) if f.abs() < 9.0e15 => {
                    *changed = true;
                    serde_json::Number::from_f64(f).map_or(value.clone(), Value::Number)
                }
                _ => value.clone(),
            },
            Value::Array(items) => Value::Array(items.iter().map(|v| twin(v, changed)).collect()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), twin(v, changed)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    let mut changed = false;
    let out = twin(value, &mut changed);
    changed.then_some(out)
}

/// The values of a record that can be listed: its enumeration, or `null`/`true`/`false` when
/// those are the only types it allows.
pub(crate) fn finite_values(r: &Record) -> Option<Vec<Value>> {
    if let Some(values) = &r.enumeration {
        return Some(values.clone());
    }
    let types = r.types;
    if Types::NULL.or(Types::BOOLEAN).contains(types) {
        let mut values = Vec::new();
        if types.contains(Types::NULL) {
            values.push(Value::Null);
        }
        if types.contains(Types::BOOLEAN) {
            values.push(Value::Bool(false));
            values.push(Value::Bool(true));
        }
        return Some(values);
    }
    None
}

/// A key every object of the record has, whose value is one of a few listed values, and that
/// the record's unions or conditions test with a constant: splitting on it decides them (a
/// discriminated union, or `if`/`then` dispatch on `type`). The key and its values.
pub(crate) fn discriminator(r: &Record, arena: &mut Arena<'_>) -> Option<(String, Vec<Value>)> {
    if !r.has_cases() || !Types::OBJECT.contains(r.effective_types()) {
        return None;
    }
    if !r.pattern_properties.is_empty() {
        return None;
    }
    // The schemas that test keys: each condition, each union branch.
    let mut tests: Vec<NodeId> = r.conditionals.iter().map(|c| c.condition).collect();
    for group in r.any_of.iter().chain(&r.one_of) {
        tests.extend(group.iter().copied());
    }
    let mut best: Option<(usize, String, Vec<Value>)> = None;
    for key in &r.required {
        let Some(&schema) = r.properties.get(key) else {
            continue;
        };
        let values = arena.record(schema).enumeration.clone();
        let Some(values) = values.filter(|v| v.len() > 1 && v.len() <= 32) else {
            continue;
        };
        let score = tests
            .iter()
            .filter(|t| {
                let test = arena.record(**t);
                test.properties.get(key).is_some_and(|k| {
                    let k = *k;
                    arena.record(k).enumeration.is_some()
                })
            })
            .count();
        if score > 0 && best.as_ref().is_none_or(|(s, _, _)| score > *s) {
            best = Some((score, key.clone(), values));
        }
    }
    best.map(|(_, key, values)| (key, values))
}
