//! Schema pairs for timing `evschema compat`: every kind of large or deeply nested pair issue 17
//! names, built from a size so that the benchmark can run each at the size and at twice
//! it. Each pair is (old, new) as plain schema documents (draft 2020-12).

use serde_json::{Value, json};

/// A kind of pair, with what its size counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairKind {
    /// An `enum` of `size` strings, one value replaced by another.
    EnumReplaced,
    /// An `anyOf` of `size` one-value `const` branches against the same values as one `enum`:
    /// equal schemas.
    ConstsAsEnum,
    /// `size` levels of `anyOf` with two object branches each (one with the key `a`, the other
    /// with `b`, each holding the level below), written out in full (a tree of 2^size leaves);
    /// one leaf changed.
    NestedInline,
    /// The same nesting through `$defs`: each level's two branches refer to the level below,
    /// so the leaf is reached along 2^size paths (`/a/a/b/...`) and the document stays small;
    /// the leaf's definition changed.
    NestedDefs,
    /// A chain of `size` definitions, each only a `$ref` to the next; the last one changed.
    RefChain,
    /// An `anyOf` of `size` object branches told apart by a `const` on a shared key (a tagged
    /// union), one branch's other key changed. Not one of the pairs: it shows
    /// branches matched by their tag rather than pairwise.
    TaggedBranches,
}

impl PairKind {
    /// Every kind, in the order the benchmark runs them.
    pub const ALL: [PairKind; 6] = [
        PairKind::EnumReplaced,
        PairKind::ConstsAsEnum,
        PairKind::NestedInline,
        PairKind::NestedDefs,
        PairKind::RefChain,
        PairKind::TaggedBranches,
    ];

    /// The name used on the command line and in the table.
    pub fn name(self) -> &'static str {
        match self {
            PairKind::EnumReplaced => "enum-replaced",
            PairKind::ConstsAsEnum => "consts-as-enum",
            PairKind::NestedInline => "nested-inline",
            PairKind::NestedDefs => "nested-defs",
            PairKind::RefChain => "ref-chain",
            PairKind::TaggedBranches => "tagged-branches",
        }
    }

    /// The kind named `name`.
    pub fn named(name: &str) -> Option<PairKind> {
        PairKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The sizes issue 17 reports, and twice the document: one more level for the inline tree,
    /// whose document doubles with each level (24 levels would be 16 million subschemas, a
    /// document no validator loads in 512 MiB).
    pub fn sizes(self) -> [usize; 2] {
        match self {
            PairKind::EnumReplaced => [40_000, 80_000],
            PairKind::ConstsAsEnum => [6_000, 12_000],
            PairKind::NestedInline => [12, 13],
            PairKind::NestedDefs => [20, 40],
            PairKind::RefChain => [20_000, 40_000],
            PairKind::TaggedBranches => [3_000, 6_000],
        }
    }

    /// What the size counts, for the table.
    pub fn unit(self) -> &'static str {
        match self {
            PairKind::EnumReplaced => "values",
            PairKind::ConstsAsEnum | PairKind::TaggedBranches => "branches",
            PairKind::NestedInline | PairKind::NestedDefs => "levels",
            PairKind::RefChain => "refs",
        }
    }

    /// The pair (old, new) of this kind at `size`.
    pub fn pair(self, size: usize) -> (Value, Value) {
        match self {
            PairKind::EnumReplaced => {
                let old: Vec<String> = (0..size).map(|i| format!("value-{i}")).collect();
                let mut new = old.clone();
                if let Some(middle) = new.get_mut(size / 2) {
                    *middle = "replaced".into();
                }
                (json!({"enum": old}), json!({"enum": new}))
            }
            PairKind::ConstsAsEnum => {
                let values: Vec<String> = (0..size).map(|i| format!("value-{i}")).collect();
                let branches: Vec<Value> = values.iter().map(|v| json!({"const": v})).collect();
                (json!({"anyOf": branches}), json!({"enum": values}))
            }
            PairKind::NestedInline => (
                nested_inline(size, &mut true, false),
                nested_inline(size, &mut true, true),
            ),
            PairKind::NestedDefs => (nested_defs(size, false), nested_defs(size, true)),
            PairKind::RefChain => (ref_chain(size, false), ref_chain(size, true)),
            PairKind::TaggedBranches => (tagged(size, false), tagged(size, true)),
        }
    }
}

/// The leaf of the nested kinds, before and after the change.
fn leaf(changed: bool) -> Value {
    if changed {
        json!({"type": "string"})
    } else {
        json!({"type": "integer"})
    }
}

/// A branch of a nesting level: objects with the key `key`, whose value is `next`.
fn branch(key: &str, next: Value) -> Value {
    json!({
        "type": "object",
        "properties": {key: next},
        "required": [key]
    })
}

/// `levels` of nesting written out; the first leaf (reached through every `a` key) is
/// changed when `changed`. `first` says whether this subtree holds that leaf.
fn nested_inline(levels: usize, first: &mut bool, changed: bool) -> Value {
    if levels == 0 {
        let here = *first;
        *first = false;
        return leaf(changed && here);
    }
    let a = nested_inline(levels - 1, first, changed);
    let b = nested_inline(levels - 1, first, changed);
    json!({"anyOf": [branch("a", a), branch("b", b)]})
}

/// `levels` of nesting through `$defs`: `level-k` has two branches, each referring to
/// `level-(k-1)`; `level-0` is the leaf.
fn nested_defs(levels: usize, changed: bool) -> Value {
    let mut defs = serde_json::Map::new();
    defs.insert("level-0".into(), leaf(changed));
    for k in 1..=levels {
        let next = json!({"$ref": format!("#/$defs/level-{}", k - 1)});
        defs.insert(
            format!("level-{k}"),
            json!({"anyOf": [branch("a", next.clone()), branch("b", next)]}),
        );
    }
    json!({"$defs": defs, "$ref": format!("#/$defs/level-{levels}")})
}

/// A chain of `length` definitions, each a `$ref` to the next; the last is the leaf.
fn ref_chain(length: usize, changed: bool) -> Value {
    let mut defs = serde_json::Map::new();
    for i in 0..length {
        defs.insert(
            format!("d{i}"),
            json!({"$ref": format!("#/$defs/d{}", i + 1)}),
        );
    }
    defs.insert(format!("d{length}"), leaf(changed));
    json!({"$defs": defs, "$ref": "#/$defs/d0"})
}

/// A tagged union of `size` branches; the middle one's `value` changed.
fn tagged(size: usize, changed: bool) -> Value {
    let branches: Vec<Value> = (0..size)
        .map(|i| {
            let value = leaf(changed && i == size / 2);
            json!({
                "type": "object",
                "properties": {"kind": {"const": format!("kind-{i}")}, "value": value},
                "required": ["kind", "value"]
            })
        })
        .collect();
    json!({"anyOf": branches})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_changes_what_it_says() {
        let (old, new) = PairKind::EnumReplaced.pair(4);
        assert_eq!(old["enum"][2], "value-2");
        assert_eq!(new["enum"][2], "replaced");
        let (old, new) = PairKind::ConstsAsEnum.pair(3);
        assert_eq!(old["anyOf"][2]["const"], new["enum"][2]);
        // 2 levels: 4 leaves, only the first changed.
        let (old, new) = PairKind::NestedInline.pair(2);
        let first = "/anyOf/0/properties/a/anyOf/0/properties/a/type";
        let other = "/anyOf/1/properties/b/anyOf/0/properties/a/type";
        assert_eq!(
            (&old.pointer(first), &new.pointer(first)),
            (&Some(&json!("integer")), &Some(&json!("string")))
        );
        assert_eq!(old.pointer(other), new.pointer(other));
        let (old, new) = PairKind::NestedDefs.pair(3);
        assert_eq!(
            old["$defs"]["level-3"]["anyOf"][1]["properties"]["b"]["$ref"],
            "#/$defs/level-2"
        );
        assert_ne!(old["$defs"]["level-0"], new["$defs"]["level-0"]);
        let (old, new) = PairKind::RefChain.pair(3);
        assert_eq!(old["$defs"]["d2"]["$ref"], "#/$defs/d3");
        assert_ne!(old["$defs"]["d3"], new["$defs"]["d3"]);
        let (old, new) = PairKind::TaggedBranches.pair(3);
        assert_eq!(old["anyOf"][1]["properties"]["kind"]["const"], "kind-1");
        assert_ne!(old["anyOf"][1], new["anyOf"][1]);
        assert_eq!(old["anyOf"][2], new["anyOf"][2]);
        for kind in PairKind::ALL {
            assert_eq!(PairKind::named(kind.name()), Some(kind));
        }
    }
}
