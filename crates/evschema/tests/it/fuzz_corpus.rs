//! The corpus of the fuzz target `render` (`fuzz/corpus/render/`), replayed on every test run:
//! every input found to matter is checked again, in every format, by the same properties.

use evcontract::{Catalog, Engine, UnknownFields, Values};

use crate::properties::check_rendering;
use crate::support::root;

#[test]
fn the_render_fuzz_corpus_replays_in_every_format() {
    let files = evcontract::files::read_catalog(&root().join("schemas")).expect("schemas/ reads");
    let catalog = Catalog::new(&files, UnknownFields::Deny).expect("schemas/ compiles");
    let engine = Engine::new(
        catalog,
        evcontract::validate::models_match(&files),
        Values::Show,
    );
    let dir = root().join("fuzz/corpus/render");
    let mut inputs = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("the render corpus exists")
        .map(|e| e.expect("a corpus entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let bytes = std::fs::read(&path).expect("a corpus file reads");
        if let Err(err) = check_rendering(&engine, &bytes) {
            panic!("{}: {err}", path.display());
        }
        inputs += 1;
    }
    assert!(inputs >= 50, "only {inputs} corpus inputs");
}
