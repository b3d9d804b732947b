//! The engine every front end checks with: over the schema catalog built into the binary (the
//! committed `schemas/`, embedded by `build.rs`) or over a folder laid out like it.

use std::collections::BTreeMap;
use std::path::Path;

use evcontract::files::read_catalog;
use evcontract::{Engine, UnknownFields, Values};
use serde_json::Value;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// The built-in catalog: (file name, schema text) for every file of the committed `schemas/`,
/// sorted by name.
pub fn built_in() -> &'static [(&'static str, &'static str)] {
    embedded::SCHEMAS
}

/// The engine over the built-in catalog, or over the catalog in `dir` (`--schemas DIR`).
///
/// `policy` is `--unknown-fields`, `values` says whether messages may quote the event's values
/// (`--mask` gives [`Values::Mask`]). The fast path (the models' check twins) is used only when
/// the catalog's schemas are the ones the models generate
/// ([`evcontract::validate::models_match`]), and then the schemas are compiled only when an event
/// first needs them ([`Engine::from_files`]).
///
/// Errors: a folder that cannot be read, a schema that does not parse or compile, as one line
/// that names the file (prefixed with `dir`, or with `built-in schemas:`).
pub fn engine(dir: Option<&Path>, policy: UnknownFields, values: Values) -> Result<Engine, String> {
    let files: BTreeMap<String, Value> = match dir {
        Some(dir) => read_catalog(dir).map_err(|err| format!("cannot load the schemas: {err}"))?,
        None => built_in()
            .iter()
            .map(|(name, text)| {
                let value = evcontract::parse(text.as_bytes())
                    .map_err(|err| format!("the built-in schema {name} does not parse: {err}"))?;
                Ok(((*name).to_owned(), value))
            })
            .collect::<Result<_, String>>()?,
    };
    Engine::from_files(files, policy, values).map_err(|err| match dir {
        Some(dir) => format!("{}/{err}", dir.display()),
        None => format!("built-in schemas: {err}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_catalog_is_the_committed_one_and_takes_the_fast_path() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
        let on_disk = read_catalog(&dir).expect("schemas/ reads");
        let on_disk = opentact_events::catalog::schema_files(&on_disk);
        let names: Vec<&str> = built_in().iter().map(|(name, _)| *name).collect();
        assert_eq!(
            names,
            on_disk.keys().map(String::as_str).collect::<Vec<_>>()
        );
        for policy in [UnknownFields::Deny, UnknownFields::Allow] {
            let engine = engine(None, policy, Values::Show).expect("the built-in catalog");
            assert!(engine.uses_fast_path());
            // Compiled when first needed; it compiles.
            assert!(!engine.is_compiled());
            assert_eq!(engine.catalog().policy(), policy);
        }
    }

    #[test]
    fn a_folder_that_is_not_a_catalog_is_an_error_naming_it() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("no-such-folder");
        let err = engine(Some(&dir), UnknownFields::Deny, Values::Show).expect_err("no folder");
        assert!(err.starts_with("cannot load the schemas: "), "{err}");
        assert!(err.contains("no-such-folder"), "{err}");
    }
}
