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

use std::collections::HashMap;

use referencing::Draft;
use serde_json::Value;

use crate::dispute::{Dispute, Scrutiny, twins};
use crate::normal::{Arena, FALSE, List, NodeId, Record, TRUE, Types};
use crate::oracle::Oracle;
use crate::rules;

/// What is being proved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Rel {
    Includes,
    Disjoint,
    Same,
}

/// How many cases one producer schema may be split into.
const MAX_CASES: usize = 64;

/// How many steps one question (one inclusion to prove, with everything it asks) may take.
pub(crate) const QUESTION_STEPS: u64 = 200_000;

/// How many steps all the questions about one pair of schemas may take together: past it,
/// every question is answered "no proof" at once, and what is left undecided says so.
pub(crate) const PAIR_STEPS: u64 = 4_000_000;

/// How many branches a `oneOf` may have for its branches to be shown disjoint pair by pair
/// (beyond it, only a tag on a shared key shows it).
const PAIRWISE_BRANCHES: usize = 16;

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
    /// Steps of the current question, and of all questions.
    steps: u64,
    total: u64,
    /// Whether some question ran out of budget (its answer was "no proof").
    pub exhausted: bool,
    /// Whether a draft-04 document is compared: its `integer` refuses `1.0`, so listed values
    /// stand for their float twins too.
    twins_matter: bool,
    /// `oneOf` branch lists shown (or not) pairwise disjoint.
    disjoint_unions: HashMap<Vec<NodeId>, bool>,
    /// Values the generators made for this pair, against [`PAIR_VALUES`].
    pub made: usize,
    /// Each producer split into cases once ([`Prover::cases`]).
    cases: HashMap<NodeId, Option<Vec<NodeId>>>,
}

/// How many values the witness searches of one pair of schemas may make together.
pub(crate) const PAIR_VALUES: usize = 400_000;

impl<'a, 'r> Prover<'a, 'r> {
    /// A prover over `arena`, asking `oracle` about values.
    pub fn new(arena: &'a mut Arena<'r>, oracle: &'a Oracle<'r>) -> Self {
        let twins_matter = arena.docs.iter().any(|d| d.draft == Draft::Draft4);
        Prover {
            arena,
            oracle,
            memo: HashMap::new(),
            stack: Vec::new(),
            lowest: usize::MAX,
            depth: 0,
            steps: 0,
            total: 0,
            exhausted: false,
            twins_matter,
            disjoint_unions: HashMap::new(),
            made: 0,
            cases: HashMap::new(),
        }
    }

    /// Whether the budgets of the whole pair (proof steps, values validated, values made) are
    /// spent.
    pub fn out_of_budget(&self) -> bool {
        self.total > PAIR_STEPS || self.made > PAIR_VALUES || self.oracle.spent()
    }

    /// Why a question went unanswered for the budget, in words.
    pub fn budget_reason(&self) -> String {
        if self.total > PAIR_STEPS {
            format!(
                "the comparison's budget of {PAIR_STEPS} proof steps ran out before this change was judged"
            )
        } else if self.made > PAIR_VALUES {
            format!(
                "the comparison's budget of {PAIR_VALUES} generated values ran out before this change was judged"
            )
        } else {
            self.oracle.budget_reason()
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
        self.total += 1;
        if self.steps > QUESTION_STEPS || self.total > PAIR_STEPS || self.stack.len() > 2_000 {
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
        // A reader that only lists values (and types): the producer's listed values are
        // compared as sets, exactly.
        if rp.enumeration.is_some()
            && rr.only(rules::Family::Values)
            && rules::values::includes(&rp, &rr)
        {
            return true;
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
        let values = self.listed_values(rp)?;
        let mut answer = true;
        for value in values {
            if self.agreed_member(p, &value)? && !self.agreed_member(r, &value)? {
                answer = false;
            }
        }
        Some(answer)
    }

    /// Every value a finite record accepts, as the validators may receive it: its listed
    /// values and, where a draft-04 document is compared, every way of writing their integers
    /// as floats ([`twins`]). `None` when the record is not finite or has too many twins.
    pub fn listed_values(&self, r: &Record) -> Option<Vec<Value>> {
        let values = finite_values(r)?;
        if !self.twins_matter {
            return Some(values);
        }
        let mut out = Vec::with_capacity(values.len());
        for value in values {
            out.extend(twins(&value)?);
        }
        Some(out)
    }

    /// Whether `node` accepts `value`, by the validators, where they agree: `None` when a
    /// keyword they disagree on applies to it ([`Self::disputed`]) or the node cannot be
    /// evaluated. What proofs may rest on.
    pub fn agreed_member(&mut self, node: NodeId, value: &Value) -> Option<bool> {
        if self.disputed(node, value) {
            return None;
        }
        self.oracle.member(self.arena, node, value)
    }

    /// Whether a keyword kept as written (one validators disagree on, such as `dependencies`
    /// in a 2020-12 document or a format its draft does not define) applies somewhere to
    /// `value` under `node`: a witness that one validator confirms there may not break another.
    ///
    /// With `producer`, `dependencies` where it can only narrow what is accepted (not under a
    /// `not`, a condition's `if` or a `oneOf`) does not count: validators either apply it with
    /// draft-07's meaning or ignore it, so a value accepted with it is accepted without it.
    pub fn kept_keywords_apply(&mut self, node: NodeId, value: &Value, producer: bool) -> bool {
        Dispute::run(self.arena, node, value, Scrutiny::Witness { producer })
    }

    /// Whether validators may disagree on whether `node` accepts `value`: somewhere the schema
    /// applies to a part of the value, a `format` meets a string (formats differ from validator
    /// to validator: `idn-hostname`, leap seconds, year 0000, regex dialects), a fractional
    /// `multipleOf` meets a number (floating point in some validators, exact in others), or a
    /// keyword kept as written applies (only the last when `formats_too` is false).
    ///
    /// Every pair of a node and a part of the value is looked at once, so the work is at most
    /// their product; past [`crate::dispute::DISPUTE_BUDGET`] pairs the answer is `true` (conservative).
    fn disputed(&mut self, node: NodeId, value: &Value) -> bool {
        Dispute::run(self.arena, node, value, Scrutiny::Proof)
    }

    /// The producer `p` as a union of cases without disjunctions: each `anyOf`/`oneOf` branch
    /// (a `oneOf` read as an `anyOf`, which only widens it), each side of a condition that the
    /// rest does not decide, each value of a discriminating key. `None` when there would be
    /// more than [`MAX_CASES`].
    pub fn cases(&mut self, p: NodeId) -> Option<Vec<NodeId>> {
        if let Some(cases) = self.cases.get(&p) {
            return cases.clone();
        }
        let mut out = Vec::new();
        let cases = self.expand(p, &mut out, 0).map(|()| out);
        self.cases.insert(p, cases.clone());
        cases
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
            let rest = self.arena.dropped(p, List::Conditionals, i);
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
        for (list, unions) in [(List::AnyOf, &rp.any_of), (List::OneOf, &rp.one_of)] {
            if let Some(branches) = unions.first() {
                let rest = self.arena.dropped(p, list, 0);
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
            if let Some(values) = self.listed_values(rx) {
                let mut all = true;
                for value in values {
                    match (self.agreed_member(x, &value), self.agreed_member(y, &value)) {
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

    /// Whether no value is accepted by two branches of `branches` (a `oneOf` that is then an
    /// `anyOf`): shown by a tag on a key every branch requires (a `const` or `enum` there, the
    /// values of no two branches shared), or pair by pair for a few branches. Memoised.
    pub fn disjoint_branches(&mut self, branches: &[NodeId]) -> bool {
        if branches.len() < 2 {
            return true;
        }
        let mut key: Vec<NodeId> = branches.to_vec();
        key.sort_unstable();
        if let Some(answer) = self.disjoint_unions.get(&key) {
            return *answer;
        }
        let answer = self.tags_disjoint(branches)
            || (branches.len() <= PAIRWISE_BRANCHES
                && (0..branches.len()).all(|i| {
                    (i + 1..branches.len()).all(|j| self.disjoint(branches[i], branches[j]))
                }));
        self.disjoint_unions.insert(key, answer);
        answer
    }

    /// Whether the branches are told apart by a tag: a key every branch requires, whose values
    /// each branch lists, no value listed by two branches.
    fn tags_disjoint(&mut self, branches: &[NodeId]) -> bool {
        let first = self.arena.record(branches[0]);
        'keys: for key in first.required.iter() {
            let mut seen = std::collections::HashSet::new();
            for b in branches {
                let r = self.arena.record(*b);
                if !r.required.contains(key) || !Types::OBJECT.contains(r.effective_types()) {
                    continue 'keys;
                }
                let Some(schema) = r.properties.get(key).copied() else {
                    continue 'keys;
                };
                let Some(values) = self.arena.record(schema).enumeration.clone() else {
                    continue 'keys;
                };
                for v in values.keys() {
                    if !seen.insert(v.to_owned()) {
                        continue 'keys;
                    }
                }
            }
            return true;
        }
        false
    }

    /// The indices of the branches of a union worth trying for `p`: those whose types meet `p`'s, and, where
    /// `p` and the branches list a tag's values on a key they require, those whose tag meets
    /// `p`'s. Matching by the tag first keeps nested unions linear, not a product.
    pub fn branch_candidates(&mut self, p: NodeId, branches: &[NodeId]) -> Vec<usize> {
        let rp = self.arena.record(p);
        let types = rp.effective_types();
        let tag = rp.required.iter().find_map(|k| {
            let s = *rp.properties.get(k)?;
            let values = self.arena.record(s).enumeration.clone()?;
            Some((k.clone(), values))
        });
        (0..branches.len())
            .filter(|i| {
                let rb = self.arena.record(branches[*i]);
                if !rb.effective_types().intersects(types) {
                    return false;
                }
                let Some((key, values)) = &tag else {
                    return true;
                };
                let theirs = rb
                    .properties
                    .get(key)
                    .and_then(|s| self.arena.record(*s).enumeration.clone());
                match theirs {
                    Some(theirs) if rb.required.contains(key) => {
                        !values.intersect(&theirs).is_empty()
                    }
                    _ => true,
                }
            })
            .collect()
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

/// The values of a record that can be listed: its enumeration, or `null`/`true`/`false` when
/// those are the only types it allows.
pub(crate) fn finite_values(r: &Record) -> Option<Vec<Value>> {
    if let Some(values) = &r.enumeration {
        return Some(values.values().cloned().collect());
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
        let values: Vec<Value> = values.values().cloned().collect();
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
