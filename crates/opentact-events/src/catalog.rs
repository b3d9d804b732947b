//! Reading a catalog's index (`index.json`, written by [`crate::schema::generate`]) back: which
//! event types a catalog has, in which files, as which Rust types. The one reader of it, for
//! validation, the breaking-change check and the xtask. No I/O: it takes parsed files.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::schema::{ANY_EVENT_FILE, INDEX_FILE};

/// An `index.json` that does not describe a catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexError {
    /// The file at fault (`index.json`, or a schema file it names).
    pub file: String,
    /// What is wrong with it.
    pub message: String,
}

impl std::fmt::Display for IndexError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

impl std::error::Error for IndexError {}

/// One event type of a catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    /// The schema file, relative to the catalog's folder.
    pub schema: String,
    /// The Rust type the schema is generated from, when the index says.
    pub rust_type: Option<String>,
    /// `published-example` (backed by an example the platform published) or `inferred`, when
    /// the index says.
    pub status: Option<String>,
    /// The envelope slot the type fills (required and non-null in it), when the index says.
    pub slot: Option<String>,
}

/// What a catalog's `index.json` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogIndex {
    /// The event types (values of `type`), with their files.
    pub types: BTreeMap<String, IndexEntry>,
    /// The any-event schema's file (`any_event.schema`, `event.json` by default).
    pub any_event: String,
    /// The catalog's version (`MAJOR.MINOR.PATCH`), when the index says.
    pub version: Option<String>,
    /// The name of the platform's event format (`2024`), when the index says.
    pub format: Option<String>,
}

/// What [`CatalogIndex::read`] says of a file the catalog lacks.
pub const MISSING: &str = "missing from the schema catalog";

impl CatalogIndex {
    /// Reads a parsed `index.json`.
    ///
    /// # Errors
    ///
    /// When it has no `events` array, an entry lacks a string `type` or `schema`, or a type is
    /// listed twice.
    pub fn from_value(index: &Value) -> Result<CatalogIndex, IndexError> {
        let fail = |message: String| IndexError {
            file: INDEX_FILE.to_owned(),
            message,
        };
        let entries = index
            .get("events")
            .and_then(Value::as_array)
            .ok_or_else(|| fail("expected an `events` array".into()))?;
        let mut types = BTreeMap::new();
        for entry in entries {
            let name = entry
                .get("type")
                .and_then(Value::as_str)
                .ok_or_else(|| fail("an entry of `events` has no string `type`".into()))?;
            let schema = entry
                .get("schema")
                .and_then(Value::as_str)
                .ok_or_else(|| fail("an entry of `events` has no string `schema`".into()))?;
            let text = |key: &str| entry.get(key).and_then(Value::as_str).map(str::to_owned);
            let entry = IndexEntry {
                schema: schema.to_owned(),
                rust_type: text("rust_type"),
                status: text("status"),
                slot: text("slot"),
            };
            if types.insert(name.to_owned(), entry).is_some() {
                return Err(fail(format!("the event type `{name}` is listed twice")));
            }
        }
        let any_event = index
            .get("any_event")
            .and_then(|a| a.get("schema"))
            .and_then(Value::as_str)
            .unwrap_or(ANY_EVENT_FILE)
            .to_owned();
        let text = |key: &str| index.get(key).and_then(Value::as_str).map(str::to_owned);
        Ok(CatalogIndex {
            types,
            any_event,
            version: text("version"),
            format: text("format"),
        })
    }

    /// Reads the index of a catalog (parsed files by path relative to its folder) and checks
    /// that every file it names is there.
    ///
    /// # Errors
    ///
    /// As [`CatalogIndex::from_value`], and when `index.json` or a file it names is missing.
    pub fn read(files: &BTreeMap<String, Value>) -> Result<CatalogIndex, IndexError> {
        let index = files.get(INDEX_FILE).ok_or_else(|| IndexError {
            file: INDEX_FILE.to_owned(),
            message: MISSING.into(),
        })?;
        let catalog = CatalogIndex::from_value(index)?;
        if let Some(missing) = catalog.files().find(|f| !files.contains_key(*f)) {
            return Err(IndexError {
                file: missing.to_owned(),
                message: MISSING.into(),
            });
        }
        Ok(catalog)
    }

    /// Every schema file the index names: each event type's, then the any-event schema.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.types
            .values()
            .map(|e| e.schema.as_str())
            .chain(std::iter::once(self.any_event.as_str()))
    }
}

/// The files of a catalog folder that are its schema catalog: `index.json` and the schema
/// files it names (each event type's and the any-event schema). Any other file of the folder
/// is a companion document, never compiled or compared as a schema: in `schemas/`, the AsyncAPI
/// and OpenAPI documents ([`crate::asyncapi`]), which are made of the schemas. When the index
/// cannot be read, every file is returned, for the reader of the catalog to report the error.
pub fn schema_files(files: &BTreeMap<String, Value>) -> BTreeMap<String, Value> {
    schema_files_borrowed(files)
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.clone()))
        .collect()
}

/// [`schema_files`] without copying them: each file's name and document, borrowed.
pub fn schema_files_borrowed(files: &BTreeMap<String, Value>) -> BTreeMap<&str, &Value> {
    let all = || files.iter().map(|(name, value)| (name.as_str(), value));
    let Ok(index) = CatalogIndex::read(files) else {
        return all().collect();
    };
    let listed: std::collections::BTreeSet<&str> =
        index.files().chain(std::iter::once(INDEX_FILE)).collect();
    all().filter(|(name, _)| listed.contains(name)).collect()
}
