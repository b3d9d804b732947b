//! The library behind the `evschema` command-line tool: the engine over the built-in catalog
//! ([`catalog`]), finding and reading inputs ([`input`]), the verdict on one input's bytes ([`verdict`]), the reports ([`output`]) and the
//! last line of defence against a bug ([`fault`]). The binary (`main.rs`) adds options,
//! threads, signals and exit codes; the fuzz target `render` and the tests drive the same code.

pub mod catalog;
pub mod fault;
pub mod input;
pub mod output;
pub mod verdict;

// Lets the shared properties module name this crate as its other includers do.
#[cfg(test)]
extern crate self as evschema;

/// The report properties of the integration tests and the fuzz target, also run by the unit
/// tests (so `cargo test -p evschema --lib`, which `cargo mutants` uses, checks every format
/// with a real parser).
#[cfg(test)]
#[path = "../tests/it/properties.rs"]
mod properties;

#[cfg(test)]
mod tests {
    use evcontract::{Catalog, Engine, UnknownFields, Values};

    #[test]
    fn the_render_fuzz_corpus_renders_well_in_every_format() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let files = evcontract::files::read_catalog(&root.join("schemas")).expect("schemas/");
        let catalog = Catalog::new(&files, UnknownFields::Deny).expect("schemas/ compiles");
        let engine = Engine::new(
            catalog,
            evcontract::validate::models_match(&files),
            Values::Show,
        );
        let mut inputs = 0;
        for entry in std::fs::read_dir(root.join("fuzz/corpus/render")).expect("the corpus") {
            let path = entry.expect("an entry").path();
            let bytes = std::fs::read(&path).expect("a corpus file");
            if let Err(err) = crate::properties::check_rendering(&engine, &bytes) {
                panic!("{}: {err}", path.display());
            }
            inputs += 1;
        }
        assert!(inputs >= 50, "only {inputs} inputs");
    }
}
