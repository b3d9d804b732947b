//! Embeds the committed schema catalog (`schemas/`) in the binary, so `evschema` runs with no
//! set-up. The folder's companion documents, the AsyncAPI and OpenAPI documents made of the
//! schemas, are not schemas and are left out (a test holds the embedded names to
//! `opentact_events::catalog::schema_files`, the one rule of what a catalog's schemas are).

use std::fmt::Write as _;
use std::path::Path;

/// The companion documents of `schemas/` (`opentact_events::asyncapi::ASYNCAPI_FILE` and
/// `OPENAPI_FILE`).
const COMPANIONS: [&str; 2] = ["asyncapi.json", "openapi.json"];

fn main() {
    // Read at run time: `env!` would keep the folder the build script was compiled in, and cargo
    // reuses a compiled build script for a checkout elsewhere that shares the target folder.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest_dir).join("../../schemas");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("reading {}: {err}", dir.display()))
        .map(|entry| {
            let entry = entry.expect("a schema folder entry reads");
            println!("cargo:rerun-if-changed={}", entry.path().display());
            entry.file_name().to_string_lossy().into_owned()
        })
        .filter(|name| name.ends_with(".json") && !COMPANIONS.contains(&name.as_str()))
        .collect();
    names.sort();
    let mut code = String::from(
        "/// The committed schema catalog: (file name, contents).\npub const SCHEMAS: &[(&str, &str)] = &[\n",
    );
    for name in &names {
        let path = dir
            .join(name)
            .canonicalize()
            .expect("a schema file resolves");
        writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .expect("writing to a String cannot fail");
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded.rs");
    std::fs::write(&out, code).unwrap_or_else(|err| panic!("writing {}: {err}", out.display()));
}
