//! `cargo xtask site`: the reference site, static HTML and CSS and a little vanilla JavaScript,
//! written to `target/site/`.
//!
//! - `index.html`: the current catalog's event types, a search over every field, the releases
//!   and the changelogs.
//! - `events/<version>/`: every release (and the current catalog when it is not released yet):
//!   each schema file at the path of its `$id` (`https://schemas.opentact.org/events/2.0.0/
//!   call_state.json` is `events/2.0.0/call_state.json`, so the `$id`s resolve when the site is
//!   hosted at that base), a page per version and a page per event type (the fields in the order
//!   the platform sends them, as a tree whose nested objects expand, and the platform example).
//! - `changes/<old>...<new>.html`: the changelog between consecutive versions, as `evschema
//!   compat` reports it.
//! - `consuming.html`: how to consume the events with each package.

mod changelog;
mod order;
mod pages;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use evcontract::files::{read_catalog, read_tree};
use opentact_events::schema::{INDEX_FILE, VERSION};
use serde_json::Value;

/// Where the `$id`s point: the site is meant to be hosted here.
pub const ID_BASE: &str = "https://schemas.opentact.org/";

/// One version of the catalog.
pub struct Version {
    pub version: String,
    /// Whether it is frozen in `releases/`.
    pub released: bool,
    /// Its files by name, parsed.
    pub files: BTreeMap<String, Value>,
    /// Its files by name, as published (exact bytes).
    pub raw: BTreeMap<String, String>,
    /// The order of keys the platform sends, from the examples of this version's format.
    pub order: order::KeyOrder,
}

impl Version {
    pub fn index(&self) -> &Value {
        &self.files[INDEX_FILE]
    }

    /// The event types: (type, schema file, status).
    pub fn events(&self) -> Vec<(String, String, String)> {
        opentact_events::catalog::CatalogIndex::from_value(self.index())
            .map(|catalog| {
                catalog
                    .types
                    .into_iter()
                    .map(|(name, e)| (name, e.schema, e.status.unwrap_or_default()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The site path of a file: its `$id` under [`ID_BASE`], or beside the version's other files.
    pub fn path_of(&self, file: &str) -> String {
        format!("events/{}/{file}", self.version)
    }
}

fn semver(v: &str) -> Vec<u64> {
    v.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

/// Every version: the releases, oldest first, then the current catalog if it is not released.
fn versions(root: &Path) -> Result<Vec<Version>> {
    let (fixtures, _) = crate::load_fixtures(root)?;
    let current: Vec<(String, String, Vec<u8>)> = fixtures
        .into_iter()
        .filter(|f| f.expected.is_none())
        .map(|f| (f.folder_type, f.path, f.bytes))
        .collect();
    let dir_2022 = root.join("fixtures").join("2022").join("valid");
    let format_2022: Vec<(String, String, Vec<u8>)> = read_tree(&dir_2022)
        .with_context(|| format!("reading {}", dir_2022.display()))?
        .into_iter()
        .filter(|(path, _)| path.ends_with(".json"))
        .map(|(path, bytes)| {
            let event_type = path.split('/').next().unwrap_or_default().to_owned();
            (event_type, path, bytes)
        })
        .collect();
    let order_of = |files: &BTreeMap<String, Value>| {
        let format = files.get(INDEX_FILE).and_then(|i| i["format"].as_str());
        order::for_version(if format == Some("2022") {
            format_2022.clone()
        } else {
            current.clone()
        })
    };
    let mut out = Vec::new();
    let releases = root.join("releases");
    let mut names: Vec<String> = fs::read_dir(&releases)
        .with_context(|| format!("reading {}", releases.display()))?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort_by_key(|n| semver(n));
    for name in names {
        let dir = releases.join(&name);
        let files = read_catalog(&dir).with_context(|| format!("reading {}", dir.display()))?;
        let mut raw = BTreeMap::new();
        for file in files.keys() {
            raw.insert(file.clone(), fs::read_to_string(dir.join(file))?);
        }
        out.push(Version {
            order: order_of(&files),
            version: name,
            released: true,
            files,
            raw,
        });
    }
    if !out.iter().any(|v| v.version == VERSION) {
        let generated = crate::codegen::generated_schemas(root)?;
        let mut files = BTreeMap::new();
        let mut raw = BTreeMap::new();
        for file in generated {
            files.insert(file.path.clone(), serde_json::from_str(&file.contents)?);
            raw.insert(file.path, file.contents);
        }
        out.push(Version {
            order: order_of(&files),
            version: VERSION.to_owned(),
            released: false,
            files,
            raw,
        });
    }
    Ok(out)
}

pub fn run(root: &Path) -> Result<bool> {
    let versions = versions(root)?;
    let out = root.join("target").join("site");
    if out.exists() {
        fs::remove_dir_all(&out).with_context(|| format!("removing {}", out.display()))?;
    }
    let mut written = Vec::new();
    let mut write = |path: &str, contents: &str| -> Result<()> {
        let full = out.join(path);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&full, contents).with_context(|| format!("writing {}", full.display()))?;
        written.push(PathBuf::from(path));
        Ok(())
    };
    write("style.css", pages::STYLE)?;
    write("site.js", pages::SCRIPT)?;
    let mut changes = Vec::new();
    for pair in versions.windows(2) {
        let (old, new) = (&pair[0], &pair[1]);
        let text = changelog::report(&old.files, &new.files)
            .with_context(|| format!("comparing {} with {}", old.version, new.version))?;
        let path = format!("changes/{}...{}.html", old.version, new.version);
        write(&path, &pages::changelog(old, new, &text))?;
        changes.push((old.version.clone(), new.version.clone(), path));
    }
    for version in &versions {
        for (file, text) in &version.raw {
            // Each schema at the path of its `$id`; the index beside them.
            let path = match version.files[file].get("$id").and_then(Value::as_str) {
                Some(id) => match id.strip_prefix(ID_BASE) {
                    Some(path) if path == version.path_of(file) => path.to_owned(),
                    _ => bail!(
                        "{} {file}: `$id` {id} is not {ID_BASE}{}",
                        version.version,
                        version.path_of(file)
                    ),
                },
                None => version.path_of(file),
            };
            write(&path, text)?;
        }
        write(
            &format!("events/{}/index.html", version.version),
            &pages::version_page(version, &versions, &changes),
        )?;
        for (event_type, file, status) in version.events() {
            write(
                &format!("events/{}/{event_type}.html", version.version),
                &pages::event_page(version, &event_type, &file, &status)?,
            )?;
        }
    }
    let current = versions.last().context("no catalog version")?;
    write("index.html", &pages::home(current, &versions, &changes)?)?;
    write("consuming.html", &pages::consuming(current))?;
    let pages = written
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .count();
    println!(
        "site: {} files ({pages} pages) in {}",
        written.len(),
        out.strip_prefix(root).unwrap_or(&out).display()
    );
    Ok(true)
}
