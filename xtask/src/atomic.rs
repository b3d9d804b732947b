//! Writing generated files so that a reader (another `cargo xtask`, an editor, CI) never sees
//! a part of one (reliability.md E7–E9): a file is written to a temporary file beside it,
//! synced, and renamed over it; a folder (a release) is written whole to a temporary folder
//! beside it and renamed into place. On any failure (a full disk, a folder that cannot be
//! written) the error names the file, the old contents stay as they were, and nothing
//! temporary is left behind.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// A temporary name beside `path`: hidden, and unique to this process and call.
fn temporary(path: &Path) -> Result<PathBuf> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = path
        .parent()
        .context("a generated path has a parent folder")?;
    let name = path.file_name().context("a generated path has a name")?;
    Ok(dir.join(format!(
        ".{}.tmp{}-{}",
        name.to_string_lossy(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )))
}

/// Replaces `path` with `contents`, atomically.
pub fn write_file(path: &Path, contents: &[u8]) -> Result<()> {
    write_file_with(path, |file| file.write_all(contents))
}

/// Replaces `path` with what `write` writes into the temporary file, atomically.
fn write_file_with(path: &Path, write: impl FnOnce(&mut fs::File) -> io::Result<()>) -> Result<()> {
    let tmp = temporary(path)?;
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        write(&mut file)?;
        file.sync_all()?;
        fs::rename(&tmp, path)?;
        sync_folder(path)
    })();
    if let Err(err) = result {
        let _ = fs::remove_file(&tmp);
        return Err(err).with_context(|| format!("writing {}", path.display()));
    }
    Ok(())
}

/// Creates the folder `dir` holding `files` (relative path, contents), atomically: it appears
/// complete or not at all. Fails if `dir` exists.
pub fn write_folder(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    write_folder_with(dir, files, |file, bytes| file.write_all(bytes))
}

fn write_folder_with(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    write: impl Fn(&mut fs::File, &[u8]) -> io::Result<()>,
) -> Result<()> {
    if dir.exists() {
        bail!("{} exists already", dir.display());
    }
    let tmp = temporary(dir)?;
    let result = (|| -> Result<()> {
        fs::create_dir(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        for (relative, contents) in files {
            let path = tmp.join(relative);
            let shown = dir.join(relative);
            (|| {
                let mut file = fs::File::create(&path)?;
                write(&mut file, contents)?;
                file.sync_all()
            })()
            .with_context(|| format!("writing {}", shown.display()))?;
        }
        fs::File::open(&tmp)
            .and_then(|folder| folder.sync_all())
            .with_context(|| format!("syncing {}", tmp.display()))?;
        fs::rename(&tmp, dir).with_context(|| format!("moving {} into place", dir.display()))?;
        sync_folder(dir).with_context(|| format!("syncing the folder of {}", dir.display()))
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}

/// Syncs the folder holding `path`, so the rename itself is durable.
fn sync_folder(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(parent) => fs::File::open(parent)?.sync_all(),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder under the system's temporary folder, removed at the end.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let path =
                std::env::temp_dir().join(format!("xtask-atomic-{}-{name}", std::process::id()));
            let _ = fs::remove_dir_all(&path);
            fs::create_dir_all(&path).expect("a scratch folder");
            Scratch(path)
        }

        /// The names in the folder (temporary files included).
        fn names(&self) -> Vec<String> {
            let mut names: Vec<String> = fs::read_dir(&self.0)
                .expect("the scratch folder reads")
                .map(|e| {
                    e.expect("an entry")
                        .file_name()
                        .to_string_lossy()
                        .into_owned()
                })
                .collect();
            names.sort();
            names
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn concurrent_writers_and_a_reader_see_whole_files_only() {
        // E7: two writers and one reader, bounded; every read is one writer's whole text.
        let scratch = Scratch::new("concurrent");
        let path = scratch.0.join("schema.json");
        let texts: Vec<Vec<u8>> = (0..2u8)
            .map(|w| {
                let mut text = vec![b'a' + w; 256 * 1024];
                text.push(b'\n');
                text
            })
            .collect();
        write_file(&path, &texts[0]).expect("the first write");
        std::thread::scope(|scope| {
            for text in &texts {
                let path = &path;
                scope.spawn(move || {
                    for _ in 0..40 {
                        write_file(path, text).expect("a write");
                    }
                });
            }
            let reader = scope.spawn(|| {
                for _ in 0..400 {
                    let read = fs::read(&path).expect("the file is always there");
                    assert!(
                        texts.contains(&read),
                        "a partial file: {} bytes",
                        read.len()
                    );
                }
            });
            reader.join().expect("the reader saw whole files only");
        });
        assert_eq!(scratch.names(), ["schema.json"], "no temporary file left");
    }

    #[test]
    fn a_full_disk_leaves_the_old_file_and_no_temporary_one() {
        // E8: the write fails halfway with ENOSPC.
        let scratch = Scratch::new("full");
        let path = scratch.0.join("event.json");
        fs::write(&path, "old\n").expect("the old file");
        let err = write_file_with(&path, |file| {
            file.write_all(b"{\"half\":")?;
            Err(io::Error::from_raw_os_error(28))
        })
        .expect_err("the disk is full");
        let text = format!("{err:#}");
        assert!(text.contains("event.json"), "{text}");
        assert!(text.contains("No space left on device"), "{text}");
        assert_eq!(fs::read_to_string(&path).expect("still there"), "old\n");
        assert_eq!(scratch.names(), ["event.json"]);
    }

    #[test]
    fn a_folder_that_cannot_be_written_is_a_clear_error() {
        // E9: the target's folder is a file (root ignores permission bits, this it cannot).
        let scratch = Scratch::new("blocked");
        fs::write(scratch.0.join("schemas"), "a file, not a folder").expect("a file");
        let err = write_file(&scratch.0.join("schemas/event.json"), b"{}").expect_err("no folder");
        assert!(format!("{err:#}").contains("schemas/event.json"), "{err:#}");
        assert_eq!(scratch.names(), ["schemas"]);
    }

    #[test]
    fn a_release_folder_appears_whole_or_not_at_all() {
        let scratch = Scratch::new("release");
        let dir = scratch.0.join("2.1.0");
        let files = vec![
            ("event.json".to_owned(), b"{}\n".to_vec()),
            (
                "index.json".to_owned(),
                b"{\"version\":\"2.1.0\"}\n".to_vec(),
            ),
        ];
        // The disk fills up at the second file: no release, no temporary folder.
        let err = write_folder_with(&dir, &files, |file, bytes| {
            if bytes.starts_with(b"{\"version") {
                return Err(io::Error::from_raw_os_error(28));
            }
            file.write_all(bytes)
        })
        .expect_err("the disk is full");
        assert!(format!("{err:#}").contains("2.1.0/index.json"), "{err:#}");
        assert!(scratch.names().is_empty(), "{:?}", scratch.names());
        // Then it succeeds, whole.
        write_folder(&dir, &files).expect("the release is written");
        assert_eq!(scratch.names(), ["2.1.0"]);
        assert_eq!(
            fs::read(dir.join("index.json")).expect("written"),
            files[1].1
        );
        // And a release is never overwritten.
        let err = write_folder(&dir, &files).expect_err("it exists");
        assert!(format!("{err:#}").contains("exists already"), "{err:#}");
    }
}
