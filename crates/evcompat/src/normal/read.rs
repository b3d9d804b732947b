//! One schema object's keywords read into a record, by draft: each draft's spellings map to
//! one vocabulary.

use referencing::{Draft, Resolver};
use serde_json::{Map, Number, Value};

use super::merge::min_opt;
use super::*;
use crate::formats::format_in_draft;

/// Reads one schema object's keywords into a record, by draft.
pub(super) struct Builder<'a, 'r> {
    pub(super) arena: &'a mut Arena<'r>,
    pub(super) resolver: Resolver<'r>,
    pub(super) draft: Draft,
    pub(super) doc: usize,
    pub(super) record: Record,
    /// In-place subschemas to merge in (`$ref`, `allOf`).
    pub(super) conjuncts: Vec<NodeId>,
}

impl<'r> Builder<'_, 'r> {
    fn child(&mut self, value: &'r Value) -> NodeId {
        self.arena
            .source(self.doc, value, self.resolver.clone(), self.draft, None)
    }

    fn children(&mut self, value: &'r Value) -> Option<Vec<NodeId>> {
        let items = value.as_array()?;
        Some(items.iter().map(|v| self.child(v)).collect())
    }

    fn opaque(&mut self, keyword: &str, value: &Value) {
        self.record.opaque.push(Opaque {
            keyword: keyword.to_owned(),
            value: value.clone(),
        });
    }

    fn reference(&mut self, keyword: &str, value: &'r Value) {
        let Some(reference) = value.as_str() else {
            return self.opaque(keyword, value);
        };
        let resolved = match keyword {
            "$recursiveRef" => self.resolver.lookup_recursive_ref(),
            _ => self.resolver.lookup(reference),
        };
        match resolved {
            Ok(resolved) => {
                let (contents, resolver, draft) = resolved.into_inner();
                let name = definition_name(reference);
                let draft = if draft == Draft::Unknown {
                    self.draft
                } else {
                    draft
                };
                let id = self.arena.source(self.doc, contents, resolver, draft, name);
                if keyword != "$ref" {
                    // Where a dynamic reference lands depends on how the schema was entered;
                    // the static target is followed and the keyword kept as written.
                    self.opaque(keyword, value);
                }
                self.conjuncts.push(id);
            }
            Err(_) => self.opaque(keyword, value),
        }
    }

    pub(super) fn keywords(&mut self, map: &'r Map<String, Value>) {
        if self.arena.annotations_matter {
            // `additionalProperties: true` (or `items`, `unevaluated*`) evaluates keys that an
            // absent keyword leaves for `unevaluated*` to judge: not the same schema then.
            for keyword in [
                "additionalProperties",
                "items",
                "additionalItems",
                "unevaluatedProperties",
                "unevaluatedItems",
                "prefixItems",
                "contains",
            ] {
                if map.contains_key(keyword) {
                    self.record.opaque.push(Opaque {
                        keyword: format!("(evaluates: {keyword})"),
                        value: Value::Bool(true),
                    });
                }
            }
        }
        let legacy = matches!(self.draft, Draft::Draft4 | Draft::Draft6 | Draft::Draft7);
        if legacy && let Some(target) = map.get("$ref") {
            // Before 2019-09 a `$ref` makes its siblings ignored.
            return self.reference("$ref", target);
        }
        let draft4 = self.draft == Draft::Draft4;
        for (keyword, value) in map {
            match keyword.as_str() {
                "type" => {
                    let names: Vec<&str> = match value {
                        Value::String(s) => vec![s.as_str()],
                        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                        _ => Vec::new(),
                    };
                    let types = names
                        .iter()
                        .filter_map(|n| Types::named(n))
                        .fold(Types::NONE, Types::or);
                    self.record.types = self.record.types.and(types);
                    if draft4 && types.contains(Types::INTEGER) && !types.contains(Types::FRACTION)
                    {
                        self.record.integer_strict = true;
                    }
                }
                "enum" => match value.as_array() {
                    Some(values) => self.narrow_enum(values.clone()),
                    None => self.opaque(keyword, value),
                },
                "const" if !draft4 => self.narrow_enum(vec![value.clone()]),
                "multipleOf" => match value {
                    Value::Number(n) => self.record.multiple_of.push(n.clone()),
                    _ => self.opaque(keyword, value),
                },
                "minimum" | "maximum" => {
                    let Value::Number(n) = value else {
                        self.opaque(keyword, value);
                        continue;
                    };
                    let lower = keyword == "minimum";
                    let flag = if lower {
                        "exclusiveMinimum"
                    } else {
                        "exclusiveMaximum"
                    };
                    let exclusive = draft4 && map.get(flag) == Some(&Value::Bool(true));
                    self.bound(n.clone(), exclusive, lower);
                }
                "exclusiveMinimum" | "exclusiveMaximum" if !draft4 => {
                    let Value::Number(n) = value else {
                        self.opaque(keyword, value);
                        continue;
                    };
                    self.bound(n.clone(), true, keyword == "exclusiveMinimum");
                }
                "minLength" => self.record.min_length = self.record.min_length.max(count(value)),
                "maxLength" => {
                    self.record.max_length = min_opt(self.record.max_length, Some(count(value)));
                }
                "pattern" => match value.as_str() {
                    Some(p) => self.record.patterns.push(p.to_owned()),
                    None => self.opaque(keyword, value),
                },
                "format" => {
                    if let Some(f) = value.as_str() {
                        if format_in_draft(self.draft, f) {
                            self.record.formats.push(f.to_owned());
                        } else {
                            // A format the draft does not define: some validators assert it
                            // anyway (the next draft's meaning), others ignore it.
                            self.opaque(keyword, value);
                        }
                    }
                }
                "contentMediaType" | "contentEncoding"
                    if matches!(self.draft, Draft::Draft6 | Draft::Draft7) =>
                {
                    // Asserted by some validators for these drafts, by others not.
                    self.opaque(keyword, value);
                }
                "items" => match value {
                    Value::Array(schemas) => {
                        self.record.prefix_items = schemas.iter().map(|s| self.child(s)).collect();
                        self.record.items = match map.get("additionalItems") {
                            Some(additional) => self.child(additional),
                            None => TRUE,
                        };
                        if self.draft == Draft::Draft202012 {
                            // An `items` array is not 2020-12: validators differ on it.
                            self.opaque(keyword, value);
                        }
                    }
                    _ => {
                        let id = self.child(value);
                        self.record.items = id;
                    }
                },
                "prefixItems" if self.draft == Draft::Draft202012 => {
                    if let Some(ids) = self.children(value) {
                        self.record.prefix_items = ids;
                    }
                }
                // With an `items` array it is read there; with a schema `items` it does nothing.
                // In 2020-12 it is not a keyword, though some validators apply it.
                "additionalItems"
                    if self.draft == Draft::Draft202012
                        && map.get("items").is_none_or(Value::is_array) =>
                {
                    self.opaque(keyword, value);
                }
                "maxItems" => {
                    self.record.max_items = min_opt(self.record.max_items, Some(count(value)));
                }
                "minItems" => self.record.min_items = self.record.min_items.max(count(value)),
                "uniqueItems" if value == &Value::Bool(true) => self.record.unique_items = true,
                "contains" if self.draft != Draft::Draft4 => {
                    let schema = self.child(value);
                    let modern = matches!(self.draft, Draft::Draft201909 | Draft::Draft202012);
                    let min = if modern {
                        map.get("minContains").map_or(1, count)
                    } else {
                        1
                    };
                    let max = if modern {
                        map.get("maxContains").map(count)
                    } else {
                        None
                    };
                    self.record.contains.push(Contains { schema, min, max });
                }
                "maxProperties" => {
                    self.record.max_properties =
                        min_opt(self.record.max_properties, Some(count(value)));
                }
                "minProperties" => {
                    self.record.min_properties = self.record.min_properties.max(count(value));
                }
                "required" => {
                    if let Some(keys) = value.as_array() {
                        self.record
                            .required
                            .extend(keys.iter().filter_map(Value::as_str).map(str::to_owned));
                    }
                }
                "properties" => {
                    if let Some(props) = value.as_object() {
                        for (k, v) in props {
                            let id = self.child(v);
                            self.record.properties.insert(k.clone(), id);
                        }
                    }
                }
                "patternProperties" => {
                    if let Some(props) = value.as_object() {
                        for (k, v) in props {
                            let id = self.child(v);
                            self.record.pattern_properties.push((k.clone(), id));
                        }
                    }
                }
                "additionalProperties" => {
                    self.record.additional_properties = self.child(value);
                }
                "propertyNames" if self.draft != Draft::Draft4 => {
                    self.record.property_names = self.child(value);
                }
                "dependencies" => {
                    let modern = matches!(self.draft, Draft::Draft201909 | Draft::Draft202012);
                    if modern {
                        // Not a keyword of this draft, though some validators apply it.
                        self.opaque(keyword, value);
                        continue;
                    }
                    if let Some(deps) = value.as_object() {
                        for (k, v) in deps {
                            self.dependency(k, v);
                        }
                    }
                }
                "dependentRequired"
                    if matches!(self.draft, Draft::Draft201909 | Draft::Draft202012) =>
                {
                    if let Some(deps) = value.as_object() {
                        for (k, v) in deps {
                            self.dependency(k, v);
                        }
                    }
                }
                "dependentSchemas"
                    if matches!(self.draft, Draft::Draft201909 | Draft::Draft202012) =>
                {
                    if let Some(deps) = value.as_object() {
                        for (k, v) in deps {
                            if v.is_object() || v.is_boolean() {
                                self.dependency(k, v);
                            }
                        }
                    }
                }
                "allOf" => {
                    if let Some(ids) = self.children(value) {
                        self.conjuncts.extend(ids);
                    }
                }
                "anyOf" => {
                    if let Some(ids) = self.children(value) {
                        self.record.any_of.push(ids);
                    }
                }
                "oneOf" => {
                    if let Some(ids) = self.children(value) {
                        self.record.one_of.push(ids);
                    }
                }
                "not" => {
                    let id = self.child(value);
                    self.record.not.push(id);
                }
                "if" if self.draft != Draft::Draft4 && self.draft != Draft::Draft6 => {
                    let condition = self.child(value);
                    let then = match map.get("then") {
                        Some(v) => self.child(v),
                        None => TRUE,
                    };
                    let otherwise = match map.get("else") {
                        Some(v) => self.child(v),
                        None => TRUE,
                    };
                    self.record.conditionals.push(Conditional {
                        condition,
                        then,
                        otherwise,
                    });
                }
                "$ref" => self.reference(keyword, value),
                "$recursiveRef" if self.draft == Draft::Draft201909 => {
                    self.reference(keyword, value);
                }
                "$dynamicRef" if self.draft == Draft::Draft202012 => {
                    self.reference(keyword, value);
                }
                "unevaluatedProperties"
                    if matches!(self.draft, Draft::Draft201909 | Draft::Draft202012) =>
                {
                    self.record.unevaluated_properties = Some(self.child(value));
                }
                "unevaluatedItems"
                    if matches!(self.draft, Draft::Draft201909 | Draft::Draft202012) =>
                {
                    self.record.unevaluated_items = Some(self.child(value));
                }
                _ => {}
            }
        }
    }

    fn narrow_enum(&mut self, values: Vec<Value>) {
        let values = Enumeration::new(values);
        self.record.enumeration = Some(match self.record.enumeration.take() {
            Some(existing) => existing.intersect(&values),
            None => values,
        });
    }

    fn bound(&mut self, value: Number, exclusive: bool, lower: bool) {
        let new = Some(Bound { value, exclusive });
        if lower {
            self.record.minimum = tighter(&self.record.minimum, &new, true);
        } else {
            self.record.maximum = tighter(&self.record.maximum, &new, false);
        }
    }

    fn dependency(&mut self, key: &str, value: &'r Value) {
        match value {
            Value::Array(keys) => {
                self.record
                    .dependent_required
                    .entry(key.to_owned())
                    .or_default()
                    .extend(keys.iter().filter_map(Value::as_str).map(str::to_owned));
            }
            _ => {
                let id = self.child(value);
                let merged = match self.record.dependent_schemas.get(key) {
                    Some(existing) => self.arena.conj(&[*existing, id]),
                    None => id,
                };
                self.record.dependent_schemas.insert(key.to_owned(), merged);
            }
        }
    }
}

/// Whether a schema document uses `unevaluatedProperties` or `unevaluatedItems` anywhere.
pub(super) fn uses_unevaluated(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(k, v)| {
            k == "unevaluatedProperties" || k == "unevaluatedItems" || uses_unevaluated(v)
        }),
        Value::Array(items) => items.iter().any(uses_unevaluated),
        _ => false,
    }
}

/// A non-negative count keyword's value (`minLength: 2.0` counts as 2).
fn count(value: &Value) -> u64 {
    match value {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64))
            .unwrap_or(0),
        _ => 0,
    }
}
