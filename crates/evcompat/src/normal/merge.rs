//! Records conjoined (`allOf`, a `$ref` beside other keywords, conjunctions the prover makes)
//! and simplified into their canonical form.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::*;

impl<'r> Arena<'r> {
    /// The conjunction of two records. `b_node` is the node `b` belongs to, kept whole as a
    /// conjunct where its object keywords cannot merge with `a`'s.
    pub(super) fn merge(&mut self, a: &Record, b: &Record, b_node: NodeId) -> Record {
        let mut out = a.clone();
        if b.unevaluated_properties.is_some() || b.unevaluated_items.is_some() {
            // `unevaluated*` reads the keywords of its own schema object: merged with others it
            // would mean something else, so that schema stays whole.
            out.all_of.push(b_node);
            return out;
        }
        out.types = a.types.and(b.types);
        out.integer_strict = a.integer_strict || b.integer_strict;
        out.enumeration = match (&a.enumeration, &b.enumeration) {
            (Some(x), Some(y)) => Some(x.intersect(y)),
            (Some(x), None) | (None, Some(x)) => Some(x.clone()),
            (None, None) => None,
        };
        out.minimum = tighter(&a.minimum, &b.minimum, true);
        out.maximum = tighter(&a.maximum, &b.maximum, false);
        out.multiple_of.extend(b.multiple_of.iter().cloned());
        out.min_length = a.min_length.max(b.min_length);
        out.max_length = min_opt(a.max_length, b.max_length);
        out.patterns.extend(b.patterns.iter().cloned());
        out.formats.extend(b.formats.iter().cloned());
        // Arrays: position by position.
        let len = a.prefix_items.len().max(b.prefix_items.len());
        if len > 0 {
            out.prefix_items = (0..len)
                .map(|i| self.conj(&[a.item(i), b.item(i)]))
                .collect();
        }
        out.items = self.conj(&[a.items, b.items]);
        out.min_items = a.min_items.max(b.min_items);
        out.max_items = min_opt(a.max_items, b.max_items);
        out.unique_items = a.unique_items || b.unique_items;
        out.contains.extend(b.contains.iter().cloned());
        // Objects: merged only where each key's schema stays the same.
        if object_mergeable(a, b) {
            let keys: BTreeSet<String> = a
                .properties
                .keys()
                .chain(b.properties.keys())
                .cloned()
                .collect();
            let mut properties = BTreeMap::new();
            let mut ok = true;
            for key in keys {
                match (self.key_schema(a, &key), self.key_schema(b, &key)) {
                    (Some(x), Some(y)) => {
                        properties.insert(key, self.conj(&[x, y]));
                    }
                    _ => ok = false,
                }
            }
            if ok {
                out.properties = properties;
                out.pattern_properties = if a.pattern_properties.is_empty() {
                    b.pattern_properties.clone()
                } else if b.pattern_properties.is_empty() {
                    a.pattern_properties.clone()
                } else {
                    a.pattern_properties
                        .iter()
                        .zip(&b.pattern_properties)
                        .map(|((p, x), (_, y))| (p.clone(), self.conj(&[*x, *y])))
                        .collect()
                };
                out.additional_properties =
                    self.conj(&[a.additional_properties, b.additional_properties]);
            } else {
                out.all_of.push(b_node);
            }
        } else {
            out.all_of.push(b_node);
        }
        out.required.extend(b.required.iter().cloned());
        out.property_names = self.conj(&[a.property_names, b.property_names]);
        out.min_properties = a.min_properties.max(b.min_properties);
        out.max_properties = min_opt(a.max_properties, b.max_properties);
        for (k, v) in &b.dependent_required {
            out.dependent_required
                .entry(k.clone())
                .or_default()
                .extend(v.iter().cloned());
        }
        for (k, v) in &b.dependent_schemas {
            let merged = match a.dependent_schemas.get(k) {
                Some(x) => self.conj(&[*x, *v]),
                None => *v,
            };
            out.dependent_schemas.insert(k.clone(), merged);
        }
        out.all_of.extend(b.all_of.iter().copied());
        out.any_of.extend(b.any_of.iter().cloned());
        out.one_of.extend(b.one_of.iter().cloned());
        out.not.extend(b.not.iter().copied());
        out.conditionals.extend(b.conditionals.iter().cloned());
        out.opaque.extend(b.opaque.iter().cloned());
        out
    }

    /// The schema a record applies to the value of `key`, when that does not depend on a
    /// pattern (`None` when a pattern might match it: merging then keeps both records).
    fn key_schema(&mut self, record: &Record, key: &str) -> Option<NodeId> {
        if let Some(id) = record.properties.get(key) {
            return if record.pattern_properties.is_empty() {
                Some(*id)
            } else {
                None
            };
        }
        if record.pattern_properties.is_empty() {
            Some(record.additional_properties)
        } else {
            None
        }
    }

    /// Simplifies a record into its canonical form.
    pub(super) fn finish(&mut self, r: Record) -> Record {
        self.finish_at(r, 0)
    }

    /// [`Self::finish`], `depth` levels into re-finishing: a union of one branch or a condition
    /// that always (never) holds is merged into the record, and the unions and conditions that
    /// merge brings along are simplified in one more pass (at most [`MAX_REFINISH`]; past it
    /// they stay as they are, which means the same).
    fn finish_at(&mut self, mut r: Record, depth: usize) -> Record {
        let mut merged = false;
        let (types, strict) = (r.types, r.integer_strict);
        if let Some(values) = &mut r.enumeration {
            // Values the types refuse are not values of the schema.
            values.retain(|v| types.contains(Types::of(v)));
            if strict {
                values.retain(|v| !matches!(v, Value::Number(n) if n.is_f64() && types.and(Types::FRACTION).is_empty()));
            }
            r.types = r.effective_types();
        }
        for list in [&mut r.patterns, &mut r.formats] {
            list.sort();
            list.dedup();
        }
        // A `uuid` format that the patterns and the length already imply says nothing more, in
        // any draft (see `uuid_implied`): a draft-07 rendering of a 2020-12 schema, where
        // `uuid` is no format of the draft, is then the same schema.
        let is_uuid = |f: &str| f == "uuid";
        let uuid_format = r.formats.iter().any(|f| is_uuid(f))
            || r.opaque
                .iter()
                .any(|o| o.keyword == "format" && o.value.as_str().is_some_and(is_uuid));
        if uuid_format && crate::formats::uuid_implied(&r.patterns, r.max_length) {
            r.formats.retain(|f| !is_uuid(f));
            r.opaque
                .retain(|o| !(o.keyword == "format" && o.value.as_str().is_some_and(is_uuid)));
        }
        r.multiple_of.sort_by_key(Number::to_string);
        r.multiple_of.dedup();
        r.pattern_properties.sort_by(|a, b| a.0.cmp(&b.0));
        r.all_of.sort_unstable();
        r.all_of.dedup();
        r.not.sort_unstable();
        r.not.dedup();
        if r.not.contains(&TRUE) {
            return Record::none();
        }
        r.not.retain(|n| *n != FALSE);
        // `not: {not: X}` is X.
        if !self.annotations_matter {
            let mut kept = Vec::new();
            for n in std::mem::take(&mut r.not) {
                match self.negation_of(n) {
                    Some(inner) => {
                        let rec = self.record(inner);
                        r = self.merge(&r, &rec, inner);
                        merged = true;
                    }
                    None => kept.push(n),
                }
            }
            kept.append(&mut r.not);
            kept.sort_unstable();
            kept.dedup();
            r.not = kept;
        }
        // A dependent schema that only requires keys is `dependentRequired` (draft-07's
        // `dependencies` with a list).
        let dependents: Vec<(String, NodeId)> = r
            .dependent_schemas
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        for (key, node) in dependents {
            let rec = self.record(node);
            let only_required = !rec.required.is_empty()
                && rec.only(Family::Objects)
                && rec.properties.is_empty()
                && rec.pattern_properties.is_empty()
                && rec.additional_properties == TRUE
                && rec.property_names == TRUE
                && rec.min_properties == 0
                && rec.max_properties.is_none()
                && rec.dependent_required.is_empty()
                && rec.dependent_schemas.is_empty();
            if only_required {
                r.dependent_schemas.remove(&key);
                r.dependent_required
                    .entry(key)
                    .or_default()
                    .extend(rec.required.iter().cloned());
            }
        }
        // Unions: `false` branches drop out; a `true` branch makes an `anyOf` vacuous.
        let mut any_of = Vec::new();
        for mut group in std::mem::take(&mut r.any_of) {
            group.retain(|b| *b != FALSE);
            group.sort_unstable();
            group.dedup();
            if group.contains(&TRUE) && !self.annotations_matter {
                continue;
            }
            match group.len() {
                0 => return Record::none(),
                _ => any_of.push(group),
            }
        }
        // An `anyOf` of plain types is a type list; of listed values (`const` branches), the
        // list of their values.
        let mut kept = Vec::new();
        for group in any_of {
            if let Some(values) = self.listed_union(&group, false) {
                r.enumeration = Some(match r.enumeration.take() {
                    Some(existing) => existing.intersect(&values),
                    None => values,
                });
                merged = true;
                continue;
            }
            let plain: Option<Types> = group
                .iter()
                .map(|b| {
                    let rec = self.record(*b);
                    let only_types = rec.only(Family::Values)
                        && rec.enumeration.is_none()
                        && !rec.integer_strict;
                    only_types.then_some(rec.types)
                })
                .try_fold(Types::NONE, |acc, t| t.map(|t| acc.or(t)));
            match plain {
                Some(types) => r.types = r.types.and(types),
                None if group.len() == 1 => {
                    // One branch is a plain conjunct.
                    let rec = self.record(group[0]);
                    r = self.merge(&r, &rec, group[0]);
                    merged = true;
                }
                None => kept.push(group),
            }
        }
        // Unions the merges brought along stay (simplified in the next pass).
        kept.append(&mut r.any_of);
        kept.sort();
        kept.dedup();
        r.any_of = kept;
        let mut one_of = Vec::new();
        for mut group in std::mem::take(&mut r.one_of) {
            group.retain(|b| *b != FALSE);
            group.sort_unstable();
            // A `oneOf` of listed values: the values listed by exactly one branch.
            if group.len() > 1
                && let Some(values) = self.listed_union(&group, true)
            {
                r.enumeration = Some(match r.enumeration.take() {
                    Some(existing) => existing.intersect(&values),
                    None => values,
                });
                merged = true;
                continue;
            }
            // A `oneOf` of plain types that share no value is a type list too.
            let plain: Option<Vec<Types>> = group
                .iter()
                .map(|b| {
                    let rec = self.record(*b);
                    let only_types = rec.only(Family::Values)
                        && rec.enumeration.is_none()
                        && !rec.integer_strict;
                    only_types.then_some(rec.types)
                })
                .collect();
            if let Some(types) = plain {
                let union = types.iter().fold(Types::NONE, |acc, t| acc.or(*t));
                let disjoint =
                    types.iter().map(|t| t.0.count_ones()).sum::<u32>() == union.0.count_ones();
                if disjoint && group.len() > 1 {
                    r.types = r.types.and(union);
                    continue;
                }
            }
            match group.len() {
                0 => return Record::none(),
                1 => {
                    let rec = self.record(group[0]);
                    r = self.merge(&r, &rec, group[0]);
                    merged = true;
                }
                _ => one_of.push(group),
            }
        }
        one_of.append(&mut r.one_of);
        one_of.sort();
        r.one_of = one_of;
        let mut conditionals = Vec::new();
        for mut c in std::mem::take(&mut r.conditionals) {
            if c.then == TRUE && c.otherwise == TRUE && !self.annotations_matter {
                continue;
            }
            // `if: {not: X}` with `then`/`else` is `if: X` with them swapped (`not` passes no
            // annotations on, so only where none are read).
            if !self.annotations_matter
                && let Some(inner) = self.negation_of(c.condition)
            {
                c = Conditional {
                    condition: inner,
                    then: c.otherwise,
                    otherwise: c.then,
                };
            }
            match c.condition {
                TRUE => {
                    let rec = self.record(c.then);
                    r = self.merge(&r, &rec, c.then);
                    merged = true;
                }
                FALSE => {
                    let rec = self.record(c.otherwise);
                    r = self.merge(&r, &rec, c.otherwise);
                    merged = true;
                }
                _ => conditionals.push(c),
            }
        }
        // Conditions the merges brought along stay (simplified in the next pass).
        conditionals.append(&mut r.conditionals);
        conditionals.sort_by_key(|c| (c.condition, c.then, c.otherwise));
        conditionals.dedup();
        r.conditionals = conditionals;
        if r.all_of.contains(&FALSE) {
            return Record::none();
        }
        r.all_of.retain(|n| *n != TRUE);
        // Bounds on integers only, as the integer they let through: `exclusiveMinimum: 4` and
        // `minimum: 5` are the same schema there.
        if r.types.intersects(Types::INTEGER) && !r.types.intersects(Types::FRACTION) {
            for (bound, lower) in [(&mut r.minimum, true), (&mut r.maximum, false)] {
                if let Some(b) = bound.as_ref()
                    && let Some(edge) = b.first_integer(lower)
                    && is_integral(&edge)
                {
                    *bound = Some(Bound {
                        value: edge,
                        exclusive: false,
                    });
                }
            }
        }
        // Contradictions.
        if r.is_none() {
            return Record::none();
        }
        if let (Some(lo), Some(hi)) = (&r.minimum, &r.maximum) {
            let order = cmp_numbers(&lo.value, &hi.value);
            if order == std::cmp::Ordering::Greater
                || (order == std::cmp::Ordering::Equal && (lo.exclusive || hi.exclusive))
            {
                r.types = r.types.minus(Types::NUMBER);
            }
        }
        if r.max_length.is_some_and(|max| max < r.min_length) {
            r.types = r.types.minus(Types::STRING);
        }
        if r.max_items.is_some_and(|max| max < r.min_items) {
            r.types = r.types.minus(Types::ARRAY);
        }
        if r.max_properties.is_some_and(|max| max < r.min_properties) {
            r.types = r.types.minus(Types::OBJECT);
        }
        if r.types.is_empty() {
            return Record::none();
        }
        prune(&mut r, self.annotations_matter);
        if merged && depth < MAX_REFINISH {
            return self.finish_at(r, depth + 1);
        }
        r
    }
}

impl Arena<'_> {
    /// The node `node` is the negation of: its record is exactly one `not` and nothing else.
    fn negation_of(&mut self, node: NodeId) -> Option<NodeId> {
        let r = self.record(node);
        let only_not = r.only(Family::Logic)
            && r.lacks(Family::Values)
            && r.all_of.is_empty()
            && r.any_of.is_empty()
            && r.one_of.is_empty()
            && r.conditionals.is_empty();
        match r.not.as_slice() {
            [inner] if only_not => Some(*inner),
            _ => None,
        }
    }

    /// The values a union of branches that each only list values (a `const` or an `enum`,
    /// perhaps with a `type`) accepts: every listed value, or with `exclusive` (`oneOf`) the
    /// values exactly one branch lists. `None` when a branch does more than list values, or
    /// is draft-04's strict `integer` (which refuses `1.0` where a listed `1` does not).
    fn listed_union(&mut self, group: &[NodeId], exclusive: bool) -> Option<Enumeration> {
        let mut count: BTreeMap<String, (Value, usize)> = BTreeMap::new();
        for b in group {
            let rec = self.record(*b);
            let values = rec.enumeration.as_ref()?;
            if !rec.only(Family::Values) || rec.integer_strict {
                return None;
            }
            for v in values.values() {
                count
                    .entry(canonical_key(v))
                    .or_insert_with(|| (v.clone(), 0))
                    .1 += 1;
            }
        }
        Some(Enumeration::new(
            count
                .into_values()
                .filter(|(_, n)| !exclusive || *n == 1)
                .map(|(v, _)| v),
        ))
    }
}

/// How many times [`Arena::finish_at`] simplifies again what merging brought along.
const MAX_REFINISH: usize = 8;

/// A record taken apart (a keyword dropped, one group alone): `unevaluated*` would now read
/// other keywords than its own, so it is set aside as a mark no producer satisfies. For a
/// producer that only widens it; for a reader, nothing can be shown through it.
pub(super) fn out_of_context(mut r: Record) -> Record {
    for (keyword, value) in [
        ("unevaluatedProperties", r.unevaluated_properties.take()),
        ("unevaluatedItems", r.unevaluated_items.take()),
    ] {
        if value.is_some() {
            r.opaque.push(Opaque {
                keyword: format!("({keyword} taken out of its schema)"),
                value: Value::Null,
            });
        }
    }
    r
}

/// Drops the keywords that cannot apply to the types a record allows, and their defaults.
fn prune(r: &mut Record, annotations_matter: bool) {
    if !r.types.intersects(Types::NUMBER) {
        r.minimum = None;
        r.maximum = None;
        r.multiple_of.clear();
    }
    if !r.types.intersects(Types::INTEGER) {
        r.integer_strict = false;
    }
    if !r.types.intersects(Types::STRING) {
        r.min_length = 0;
        r.max_length = None;
        r.patterns.clear();
        r.formats.clear();
    }
    if !r.types.intersects(Types::ARRAY) {
        r.prefix_items.clear();
        r.items = TRUE;
        r.min_items = 0;
        r.max_items = None;
        r.unique_items = false;
        r.contains.clear();
        r.unevaluated_items = None;
    }
    if !r.types.intersects(Types::OBJECT) {
        r.properties.clear();
        r.pattern_properties.clear();
        r.additional_properties = TRUE;
        r.required.clear();
        r.property_names = TRUE;
        r.min_properties = 0;
        r.max_properties = None;
        r.dependent_required.clear();
        r.dependent_schemas.clear();
        r.unevaluated_properties = None;
    }
    while r.prefix_items.last() == Some(&r.items) {
        r.prefix_items.pop();
    }
    if r.max_items
        .is_some_and(|max| (max as usize) < r.prefix_items.len())
    {
        // Positions past the maximum are never read.
        r.prefix_items.truncate(r.max_items.unwrap_or(0) as usize);
    }
    if !annotations_matter {
        r.contains.retain(|c| !(c.min == 0 && c.max.is_none()));
    }
    r.dependent_required.retain(|_, v| !v.is_empty());
    r.dependent_schemas.retain(|_, v| *v != TRUE);
    if r.unevaluated_properties == Some(TRUE) {
        r.unevaluated_properties = None;
    }
    if r.unevaluated_items == Some(TRUE) {
        r.unevaluated_items = None;
    }
}

/// Whether two records' object keywords can be merged into one record without changing which
/// schema applies to which key.
fn object_mergeable(a: &Record, b: &Record) -> bool {
    let open = |r: &Record| r.pattern_properties.is_empty() && r.additional_properties == TRUE;
    let same_patterns = a.pattern_properties.len() == b.pattern_properties.len()
        && a.pattern_properties
            .iter()
            .zip(&b.pattern_properties)
            .all(|(x, y)| x.0 == y.0);
    (open(a) || open(b) || same_patterns)
        && (a.pattern_properties.is_empty() || b.pattern_properties.is_empty() || same_patterns)
}

/// The smaller of two optional counts; a missing one does not count.
pub(super) fn min_opt(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) | (None, x) => x,
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use serde_json::{Value, json};

    use crate::formats::UUID_FORM;
    use crate::normal::{Record, with_root};

    /// The finished record of `schema`'s root.
    fn root_record(schema: Value) -> Rc<Record> {
        with_root(schema, |arena, root| arena.record(root))
    }

    /// The `dependentRequired` and the `dependentSchemas` keys of `schema`'s root record.
    fn dependents(schema: Value) -> (Vec<(String, Vec<String>)>, Vec<String>) {
        let record = root_record(schema);
        let required = record
            .dependent_required
            .iter()
            .map(|(k, v)| (k.clone(), v.iter().cloned().collect()))
            .collect();
        (required, record.dependent_schemas.keys().cloned().collect())
    }

    /// The formats and the opaque keywords (with their values) of `schema`'s root record.
    fn formats_and_opaque(schema: Value) -> (Vec<String>, Vec<(String, Value)>) {
        let record = root_record(schema);
        let opaque = record
            .opaque
            .iter()
            .map(|o| (o.keyword.clone(), o.value.clone()))
            .collect();
        (record.formats.clone(), opaque)
    }

    /// A dependent schema that only requires keys is `dependentRequired`; one that also does
    /// anything else (here: a property's type) stays a dependent schema, or its other
    /// constraints would be lost. (The prover finds no witness for a change in such a
    /// dependent schema's properties, so the corpus of evolutions cannot hold this.)
    #[test]
    fn only_a_dependent_schema_of_required_keys_is_dependent_required() {
        let schema = |dependent: Value| {
            json!({
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "type": "object",
                "dependentSchemas": {"a": dependent},
            })
        };
        assert_eq!(
            dependents(schema(json!({"required": ["b", "c"]}))),
            (
                vec![("a".to_owned(), vec!["b".to_owned(), "c".to_owned()])],
                vec![]
            )
        );
        assert_eq!(
            dependents(schema(
                json!({"required": ["b"], "properties": {"b": {"type": "string"}}})
            )),
            (vec![], vec!["a".to_owned()])
        );
    }

    /// A `uuid` format that a plain-form pattern and `maxLength` 36 imply is dropped, and only
    /// it: in draft-07, where `uuid` is no format of the draft and so an opaque keyword, other
    /// opaque keywords stay, another format the draft does not define and a keyword whose
    /// value is `"uuid"` among them.
    #[test]
    fn an_implied_uuid_format_is_dropped_alone() {
        let schema = |max_length: u64| {
            json!({
                "$schema": "http://json-schema.org/draft-07/schema#",
                "type": "string",
                "pattern": UUID_FORM,
                "maxLength": max_length,
                "format": "uuid",
                "contentEncoding": "uuid",
                "allOf": [{"format": "duration"}],
            })
        };
        let (formats, mut opaque) = formats_and_opaque(schema(36));
        opaque.sort_by(|a, b| a.0.cmp(&b.0));
        assert!(formats.is_empty(), "{formats:?}");
        assert_eq!(
            opaque,
            [
                ("contentEncoding".to_owned(), json!("uuid")),
                ("format".to_owned(), json!("duration")),
            ]
        );
        // Longer than 36: the format says something more, and stays.
        let (_, opaque) = formats_and_opaque(schema(37));
        assert!(
            opaque.contains(&("format".to_owned(), json!("uuid"))),
            "{opaque:?}"
        );
    }
}
