//! References between schemas. They are resolved by the `referencing` crate, the resolver the
//! `jsonschema` validators use, so `$id`, anchors, `$defs` and `definitions` mean the same here
//! as when a value is validated. This module refuses the one kind of reference validators do not
//! refuse: a loop of `$ref`s (and `allOf`, `anyOf`, `oneOf`, `not`, conditions) that comes back
//! to where it started without entering a property or an item, which would apply a schema to
//! the same value forever.

use std::collections::HashMap;

use opentact_events::json::pointer::{Index, address};
use referencing::{Draft, Registry, Resolver, ResourceRef};
use serde_json::Value;

/// The URI a schema without an `$id` of its own is read at.
const BASE: &str = "https://refs.evschema.invalid/schema.json";

/// Checks that no reference loop makes no progress. The error names the locations of the
/// loop as JSON Pointers. A schema whose references do not resolve passes: the validator's
/// compile step reports that.
pub fn check_loops(schema: &Value) -> Result<(), String> {
    let Some(graph) = traverse(schema) else {
        return Ok(());
    };
    let pointers = Index::new(schema);
    match graph.cycle(address(schema)) {
        None => Ok(()),
        Some(cycle) => {
            let names: Vec<String> = cycle
                .iter()
                .map(|a| match pointers.pointer_at(*a) {
                    Some("") => "#".to_owned(),
                    Some(p) => format!("#{p}"),
                    None => "(another resource)".to_owned(),
                })
                .collect();
            Err(format!(
                "a `$ref` loop never reaches a property or an item, so it would apply forever: {}",
                names.join(" -> ")
            ))
        }
    }
}

/// The JSON Pointer of every schema object the root reaches, through subschemas and `$ref`s
/// (the definitions no schema refers to are left out). Every reference is followed once, so
/// the work is linear in the document.
pub fn reachable(schema: &Value) -> Vec<String> {
    let Some(graph) = traverse(schema) else {
        return Vec::new();
    };
    let pointers = Index::new(schema);
    let mut out: Vec<String> = graph
        .seen
        .keys()
        .filter_map(|a| pointers.pointer_at(*a).map(str::to_owned))
        .collect();
    out.sort();
    out
}

/// The schemas reached from the root, and which apply to the same value as which.
fn traverse(schema: &Value) -> Option<Graph> {
    let draft = declared_draft(schema);
    let registry = Registry::new()
        .retrieve_known_draft_meta_schemas(false)
        .add(BASE, ResourceRef::new(schema, draft))
        .and_then(|b| b.prepare())
        .ok()?;
    let base = referencing::uri::from_str(BASE).ok()?;
    let mut graph = Graph {
        in_place: HashMap::new(),
        seen: HashMap::new(),
    };
    let mut stack: Vec<(&Value, Resolver<'_>, Draft)> =
        vec![(schema, registry.resolver(base), draft)];
    while let Some((value, resolver, draft)) = stack.pop() {
        let at = address(value);
        if graph.seen.insert(at, ()).is_some() {
            continue;
        }
        let Value::Object(map) = value else { continue };
        let draft = match draft.detect(value) {
            Draft::Unknown => draft,
            d => d,
        };
        let resolver = resolver
            .in_subresource(ResourceRef::new(value, draft))
            .unwrap_or(resolver);
        let legacy = matches!(draft, Draft::Draft4 | Draft::Draft6 | Draft::Draft7);
        let mut in_place: Vec<&Value> = Vec::new();
        let mut below: Vec<&Value> = Vec::new();
        let mut targets: Vec<(&Value, Resolver<'_>, Draft)> = Vec::new();
        for (keyword, sub) in map {
            if legacy && map.contains_key("$ref") && keyword != "$ref" {
                continue;
            }
            match keyword.as_str() {
                "$ref" | "$dynamicRef" | "$recursiveRef" => {
                    let resolved = if keyword == "$recursiveRef" {
                        resolver.lookup_recursive_ref()
                    } else if let Some(r) = sub.as_str() {
                        resolver.lookup(r)
                    } else {
                        continue;
                    };
                    if let Ok(resolved) = resolved {
                        let (contents, r, d) = resolved.into_inner();
                        let d = if d == Draft::Unknown { draft } else { d };
                        targets.push((contents, r, d));
                    }
                }
                "allOf" | "anyOf" | "oneOf" => {
                    in_place.extend(sub.as_array().into_iter().flatten())
                }
                "not" => in_place.push(sub),
                "if" | "then" | "else" if !matches!(draft, Draft::Draft4 | Draft::Draft6) => {
                    in_place.push(sub);
                }
                "dependentSchemas" | "dependencies" => in_place.extend(
                    sub.as_object()
                        .into_iter()
                        .flat_map(|m| m.values())
                        .filter(|v| v.is_object() || v.is_boolean()),
                ),
                "properties" | "patternProperties" => {
                    below.extend(sub.as_object().into_iter().flat_map(|m| m.values()));
                }
                "items" | "prefixItems" => match sub {
                    Value::Array(items) => below.extend(items),
                    other => below.push(other),
                },
                "additionalProperties"
                | "propertyNames"
                | "additionalItems"
                | "contains"
                | "unevaluatedProperties"
                | "unevaluatedItems" => below.push(sub),
                _ => {}
            }
        }
        let edges = graph.in_place.entry(at).or_default();
        edges.extend(in_place.iter().map(|v| address(v)));
        edges.extend(targets.iter().map(|(v, _, _)| address(v)));
        for v in in_place.into_iter().chain(below) {
            stack.push((v, resolver.clone(), draft));
        }
        stack.extend(targets);
    }
    Some(graph)
}

/// The draft a schema declares with `$schema` (2020-12 without one, or for a meta-schema the
/// `referencing` crate does not know).
pub fn declared_draft(schema: &Value) -> Draft {
    match Draft::default().detect(schema) {
        Draft::Unknown => Draft::Draft202012,
        d => d,
    }
}

struct Graph {
    in_place: HashMap<usize, Vec<usize>>,
    seen: HashMap<usize, ()>,
}

impl Graph {
    /// A loop of in-place edges among the schemas reached, as the locations on it (the first
    /// repeated at the end).
    fn cycle(&self, _root: usize) -> Option<Vec<usize>> {
        // 0: not visited, 1: on the current path, 2: done.
        let mut color: HashMap<usize, u8> = HashMap::new();
        let mut nodes: Vec<usize> = self.seen.keys().copied().collect();
        nodes.sort_unstable();
        for start in nodes {
            if color.get(&start).copied().unwrap_or(0) != 0 {
                continue;
            }
            // Iterative depth-first search: (node, next edge index).
            let mut path: Vec<(usize, usize)> = vec![(start, 0)];
            color.insert(start, 1);
            while let Some((node, next)) = path.last().copied() {
                let edges = self.in_place.get(&node).map_or(&[][..], Vec::as_slice);
                if next < edges.len() {
                    path.last_mut().expect("not empty").1 += 1;
                    let to = edges[next];
                    match color.get(&to).copied().unwrap_or(0) {
                        0 => {
                            color.insert(to, 1);
                            path.push((to, 0));
                        }
                        1 => {
                            let from = path.iter().position(|(n, _)| *n == to).unwrap_or(0);
                            let mut cycle: Vec<usize> =
                                path[from..].iter().map(|(n, _)| *n).collect();
                            cycle.push(to);
                            return Some(cycle);
                        }
                        _ => {}
                    }
                } else {
                    color.insert(node, 2);
                    path.pop();
                }
            }
        }
        None
    }
}
