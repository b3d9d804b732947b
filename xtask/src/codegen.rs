//! `cargo xtask codegen`: writes every generated file, atomically, leaving unchanged files
//! untouched.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};
use evcontract::fixtures::platform_examples;
use opentact_events::schema::GeneratedFile;

/// Generates every artifact in memory, by folder (`schemas`, `docs/events`, `types`), from the
/// models and the platform's examples among the fixtures.
pub fn generated(root: &Path) -> Result<Vec<(&'static str, Vec<GeneratedFile>)>> {
    let (fixtures, problems) = crate::load_fixtures(root)?;
    if let Some(problem) = problems.first() {
        bail!("fixtures/{problem}");
    }
    let examples = platform_examples(&fixtures).map_err(|p| anyhow::anyhow!("fixtures/{p}"))?;
    Ok(opentact_events::artifacts::all(&examples)?)
}

/// The generated schema catalog alone.
pub fn generated_schemas(root: &Path) -> Result<Vec<GeneratedFile>> {
    Ok(generated(root)?
        .into_iter()
        .find(|(dir, _)| *dir == "schemas")
        .map(|(_, files)| files)
        .unwrap_or_default())
}

pub fn run(root: &Path) -> Result<bool> {
    let (mut written, mut unchanged, mut removed) = (0, 0, 0);
    for (folder, files) in generated(root)? {
        let dir = root.join(folder);
        fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        for file in &files {
            let path = dir.join(&file.path);
            if fs::read(&path).ok().as_deref() == Some(file.contents.as_bytes()) {
                unchanged += 1;
                continue;
            }
            crate::atomic::write_file(&path, file.contents.as_bytes())?;
            println!("wrote {folder}/{}", file.path);
            written += 1;
        }
        // A file the generator no longer produces (a removed event type) must not linger.
        for entry in fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.file_type()?.is_file() && !files.iter().any(|f| f.path == name) {
                fs::remove_file(entry.path())
                    .with_context(|| format!("removing {}", entry.path().display()))?;
                println!("removed {folder}/{name}");
                removed += 1;
            }
        }
    }
    println!("codegen: {written} written, {unchanged} unchanged, {removed} removed");
    write_release_2022(root)?;
    Ok(true)
}

/// The older (2022) format's catalog is release 1.0.0: written once, from its models, then
/// frozen (a test keeps the models from drifting from it).
fn write_release_2022(root: &Path) -> Result<()> {
    let dir = root
        .join("releases")
        .join(opentact_events::schema::VERSION_2022);
    if dir.exists() {
        return Ok(());
    }
    let files: Vec<(String, Vec<u8>)> =
        opentact_events::schema::generate_2022(&Default::default())?
            .into_iter()
            .map(|f| (f.path, f.contents.into_bytes()))
            .collect();
    if let Some(parent) = dir.parent() {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    crate::atomic::write_folder(&dir, &files)?;
    println!(
        "wrote releases/{}/ (the 2022 format)",
        opentact_events::schema::VERSION_2022
    );
    Ok(())
}
