//! Reading the workspace's folders: the schema catalog and the fixture tree. The only module of
//! this crate that touches the file system; the xtask and the tests share it.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::parse::parse;

/// An error reading a folder, naming the file.
#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    /// A file or folder could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
    /// A schema file is not JSON.
    #[error("{}: {source}", path.display())]
    Parse {
        /// The schema file.
        path: PathBuf,
        /// Why it does not parse.
        source: crate::parse::ParseError,
    },
}

/// Every regular file under `dir`, recursively, as (path relative to `dir` with `/`
/// separators, contents), sorted by path. A symbolic link is followed, and one that leads
/// nowhere is an error, not a silent skip.
pub fn read_tree(dir: &Path) -> Result<Vec<(String, Vec<u8>)>, FilesError> {
    let mut out = Vec::new();
    read_into(dir, "", &mut out, 0)?;
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

fn read_into(
    dir: &Path,
    prefix: &str,
    out: &mut Vec<(String, Vec<u8>)>,
    depth: usize,
) -> Result<(), FilesError> {
    let io_err = |path: &Path| {
        let path = path.to_owned();
        move |source| FilesError::Io { path, source }
    };
    if depth > 32 {
        return Err(FilesError::Io {
            path: dir.to_owned(),
            source: io::Error::other("folders nested more than 32 deep (a symbolic link loop?)"),
        });
    }
    for entry in std::fs::read_dir(dir).map_err(io_err(dir))? {
        let entry = entry.map_err(io_err(dir))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let meta = std::fs::metadata(&path).map_err(io_err(&path))?;
        if meta.is_dir() {
            read_into(&path, &rel, out, depth + 1)?;
        } else if meta.is_file() {
            out.push((rel, std::fs::read(&path).map_err(io_err(&path))?));
        } else {
            return Err(FilesError::Io {
                path,
                source: io::Error::other("not a regular file or folder"),
            });
        }
    }
    Ok(())
}

/// The JSON files of a schema catalog folder (such as `schemas/`), parsed, by relative path.
pub fn read_catalog(dir: &Path) -> Result<BTreeMap<String, Value>, FilesError> {
    let mut files = BTreeMap::new();
    for (rel, bytes) in read_tree(dir)? {
        if rel.ends_with(".json") {
            let value = parse(&bytes).map_err(|source| FilesError::Parse {
                path: dir.join(&rel),
                source,
            })?;
            files.insert(rel, value);
        }
    }
    Ok(files)
}
