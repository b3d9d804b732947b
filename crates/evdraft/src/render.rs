//! The draft as Rust source in the catalog's own style: the model module (`events/<type>.rs`:
//! enums declared with `wire_enum!`, then structs declared with `model!`, each with doc
//! comments that say what was seen)
//! and the entry of the declaration (`events.rs`).
//!
//! The module is meant to go through rustfmt (`cargo xtask new-event` runs it); the entry is
//! written as rustfmt leaves a macro's body. Names from the captures reach the source only as
//! string literals (`literal`), doc text (`doc_text`) or identifiers made by `names`.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::Stats;
use crate::infer::{Field, Model, Presence, Ty};
use crate::names::{doc_text, literal};
use crate::reuse::REUSABLE;

/// The names an event type's declaration gives it: its `EventType` variant, `type` tag and
/// event struct with its twins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    /// The `EventType` variant (`Sms`).
    pub variant: String,
    /// The `type` tag's enum (`SmsTag`).
    pub tag: String,
    /// The event struct (`SmsEvent`).
    pub event: String,
}

/// How a type is written: in the model module (names imported with `use`) or in the entry
/// (anything outside the drafted module by its full path, as the entry's file imports nothing
/// for it).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Paths {
    Imported,
    Full,
}

fn scalar(name: &str, paths: Paths) -> String {
    match paths {
        Paths::Imported => name.to_owned(),
        Paths::Full => format!("crate::scalar::{name}"),
    }
}

fn type_text(ty: &Ty, model: &Model, paths: Paths) -> String {
    match ty {
        Ty::Bool => "bool".into(),
        Ty::Integer(name) | Ty::Checked(name) => scalar(name, paths),
        Ty::Number => scalar("Number", paths),
        Ty::String => "String".into(),
        Ty::Enum(i) => model.enums[*i].name.clone(),
        Ty::Struct(i) => model.structs[*i].name.clone(),
        Ty::Reused(rust) => match paths {
            Paths::Imported => (*rust).to_owned(),
            Paths::Full => REUSABLE
                .iter()
                .find(|r| r.rust == *rust)
                .map_or_else(|| (*rust).to_owned(), |r| r.path.to_owned()),
        },
        Ty::Vec(item) => format!("Vec<{}>", type_text(item, model, paths)),
        Ty::Nullable(item) => format!("Option<{}>", type_text(item, model, paths)),
        Ty::Unspecified => scalar("Unspecified", paths),
        Ty::UnspecifiedObject => scalar("UnspecifiedObject", paths),
    }
}

/// The `use` paths a type needs in the model module.
fn imports(ty: &Ty, out: &mut BTreeSet<String>) {
    match ty {
        Ty::Integer(name) | Ty::Checked(name) => {
            out.insert(format!("crate::scalar::{name}"));
        }
        Ty::Number => {
            out.insert("crate::scalar::Number".into());
        }
        Ty::Unspecified => {
            out.insert("crate::scalar::Unspecified".into());
        }
        Ty::UnspecifiedObject => {
            out.insert("crate::scalar::UnspecifiedObject".into());
        }
        Ty::Reused(rust) => {
            if let Some(r) = REUSABLE.iter().find(|r| r.rust == *rust) {
                out.insert(r.path.to_owned());
            }
        }
        Ty::Vec(item) | Ty::Nullable(item) => imports(item, out),
        Ty::Bool | Ty::String | Ty::Enum(_) | Ty::Struct(_) => {}
    }
}

/// `text` as doc comment lines of at most 100 columns after `indent`.
fn doc_lines(out: &mut String, indent: &str, text: &str) {
    let width = 100usize.saturating_sub(indent.len() + 4).max(40);
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            let _ = writeln!(out, "{indent}/// {line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        let _ = writeln!(out, "{indent}/// {line}");
    }
}

/// A paragraph break in a doc comment.
fn doc_break(out: &mut String, indent: &str) {
    let _ = writeln!(out, "{indent}///");
}

/// Whether a type holds an array.
fn has_vec(ty: &Ty) -> bool {
    match ty {
        Ty::Vec(_) => true,
        Ty::Nullable(inner) => has_vec(inner),
        _ => false,
    }
}

/// The proptest strategy of a field whose type holds arrays: a few items each (proptest's
/// default is up to 100, and arrays nest), the rest as the type's own strategy.
fn strategy(ty: &Ty, model: &Model, paths: Paths) -> String {
    match ty {
        Ty::Vec(item) => format!(
            "proptest::collection::vec({}, 0..4)",
            strategy(item, model, paths)
        ),
        Ty::Nullable(inner) => format!("proptest::option::of({})", strategy(inner, model, paths)),
        other => format!(
            "proptest::arbitrary::any::<{}>()",
            type_text(other, model, paths)
        ),
    }
}

/// The field's attributes and line, as `model!` and the envelope take them: docs, `serde`,
/// `schemars`, `cfg_attr` (a proptest strategy), then the field.
fn field_text(out: &mut String, indent: &str, f: &Field, model: &Model, paths: Paths) {
    for (i, line) in f.doc.iter().enumerate() {
        if i > 0 {
            doc_break(out, indent);
        }
        doc_lines(out, indent, line);
    }
    let helper = |name: &str| match paths {
        Paths::Imported => name.to_owned(),
        Paths::Full => format!("crate::scalar::de_helpers::{name}"),
    };
    let ty = type_text(&f.ty, model, paths);
    let mut serde: Vec<String> = Vec::new();
    if f.ident != f.key {
        serde.push(format!("rename = {}", literal(&f.key)));
    }
    let (schemars, rust) = match f.presence {
        Presence::Required => (None, ty),
        Presence::Nullable => {
            serde.push(format!("deserialize_with = \"{}\"", helper("nullable")));
            (None, format!("Option<{ty}>"))
        }
        Presence::Optional | Presence::OptionalNullable => {
            serde.push("default".into());
            serde.push("skip_serializing_if = \"Option::is_none\"".into());
            serde.push(format!("deserialize_with = \"{}\"", helper("present")));
            if f.presence == Presence::Optional {
                (Some(ty.clone()), format!("Option<{ty}>"))
            } else {
                (
                    Some(format!("Option<{ty}>")),
                    format!("Option<Option<{ty}>>"),
                )
            }
        }
    };
    if !serde.is_empty() {
        let _ = writeln!(out, "{indent}#[serde({})]", serde.join(", "));
    }
    if let Some(with) = schemars {
        let _ = writeln!(out, "{indent}#[schemars(with = \"{with}\")]");
    }
    if has_vec(&f.ty) {
        let inner = strategy(&f.ty, model, paths);
        let whole = match f.presence {
            Presence::Required => inner,
            Presence::Nullable | Presence::Optional => format!("proptest::option::of({inner})"),
            Presence::OptionalNullable => {
                format!("proptest::option::of(proptest::option::of({inner}))")
            }
        };
        let _ = writeln!(
            out,
            "{indent}#[cfg_attr(feature = \"proptest\", proptest(strategy = \"{whole}\"))]"
        );
    }
    let _ = writeln!(out, "{indent}pub {}: {rust},", f.ident);
}

/// The model module's source, `crates/opentact-events/src/events/<type>.rs`.
pub fn module(type_name: &str, model: &Model, stats: &Stats) -> String {
    let mut out = String::new();
    let header = format!(
        "The `{}` event type, drafted by `cargo xtask new-event` from {} capture{}{}.",
        doc_text(type_name),
        stats.captures,
        if stats.captures == 1 { "" } else { "s" },
        stats.dates()
    );
    for line in [
        header.as_str(),
        "",
        "Every doc comment says what the captures showed, not what the field means: confirm each with the platform's documentation, then say what it means (README, \"Adding an event type\").",
    ] {
        if line.is_empty() {
            out.push_str("//!\n");
        } else {
            let mut lines = String::new();
            doc_lines(&mut lines, "", line);
            out.push_str(&lines.replace("/// ", "//! "));
        }
    }
    out.push('\n');

    let mut uses: BTreeSet<String> = BTreeSet::new();
    let mut helpers: BTreeSet<&str> = BTreeSet::new();
    for s in &model.structs {
        for f in &s.fields {
            imports(&f.ty, &mut uses);
            match f.presence {
                Presence::Required => {}
                Presence::Nullable => {
                    helpers.insert("nullable");
                }
                Presence::Optional | Presence::OptionalNullable => {
                    helpers.insert("present");
                }
            }
        }
    }
    if !model.structs.is_empty() {
        out.push_str("use crate::borrowed::model;\n");
    }
    if !helpers.is_empty() {
        let helpers: Vec<&str> = helpers.into_iter().collect();
        let _ = writeln!(
            out,
            "use crate::scalar::de_helpers::{{{}}};",
            helpers.join(", ")
        );
    }
    for path in &uses {
        let _ = writeln!(out, "use {path};");
    }
    if !model.enums.is_empty() {
        out.push_str("use crate::wire_enum;\n");
    }

    for e in &model.enums {
        out.push_str("\nwire_enum! {\n");
        for line in &e.doc {
            doc_lines(&mut out, "", line);
        }
        let _ = writeln!(out, "pub enum {} {{", e.name);
        for v in &e.variants {
            doc_lines(
                &mut out,
                "    ",
                &format!(
                    "`{}`: seen {} time{}.",
                    doc_text(&v.value),
                    v.count,
                    if v.count == 1 { "" } else { "s" }
                ),
            );
            let _ = writeln!(out, "    #[serde(rename = {})]", literal(&v.value));
            let _ = writeln!(out, "    {},", v.name);
        }
        out.push_str("}\n}\n");
    }

    for s in &model.structs {
        out.push_str("\nmodel! {\n");
        for line in &s.doc {
            doc_lines(&mut out, "", line);
        }
        out.push_str("#[serde(deny_unknown_fields)]\n");
        let _ = writeln!(out, "pub struct {0} => {0}Ref, {0}Check {{", s.name);
        for f in &s.fields {
            field_text(&mut out, "    ", f, model, Paths::Imported);
        }
        out.push_str("}\n}\n");
    }
    out
}

/// The event type's entry in the declaration (`crates/opentact-events/src/events.rs`), indented
/// as the entries there are.
pub fn entry(type_name: &str, names: &Names, model: &Model, stats: &Stats) -> String {
    let mut out = String::new();
    let indent = "    ";
    doc_lines(
        &mut out,
        indent,
        &format!(
            "`{}` events as captured: drafted by `cargo xtask new-event` from {} capture{}{}. The platform's documentation gives no payload for this type; confirm each field with it.",
            doc_text(type_name),
            stats.captures,
            if stats.captures == 1 { "" } else { "s" },
            stats.dates()
        ),
    );
    let _ = writeln!(out, "{indent}{} = {} {{", names.variant, literal(type_name));
    let inner = "        ";
    let _ = writeln!(out, "{inner}status: Inferred,");
    let _ = writeln!(out, "{inner}fills: {},", model.fills);
    let _ = writeln!(out, "{inner}event: {0} => {0}Ref, {0}Check,", names.event);
    let _ = writeln!(out, "{inner}tag: {},", names.tag);
    for f in &model.envelope {
        field_text(&mut out, inner, f, model, Paths::Full);
    }
    let _ = writeln!(out, "{indent}}}");
    // The entry's fields are written as struct fields (`pub key: T,`); the declaration takes
    // them without `pub`.
    out.lines()
        .map(|line| match line.strip_prefix(&format!("{inner}pub ")) {
            Some(rest) => format!("{inner}{rest}\n"),
            None => format!("{line}\n"),
        })
        .collect()
}
