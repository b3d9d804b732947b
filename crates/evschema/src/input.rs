//! Finding the inputs (files, folders, standard input) and reading them: whole JSON files, and
//! NDJSON streams one capped line at a time, with flat memory. Gzip-compressed inputs
//! (`.json.gz`, `.ndjson.gz`, `.jsonl.gz`) are decompressed while they are read, under the same
//! limits.

use std::collections::HashSet;
use std::fs;
use std::io::{self, BufRead, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::SyncSender;

use flate2::read::MultiGzDecoder;

use crate::output::Source;

/// How an input holds its events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// One event per file.
    Json,
    /// One event per line.
    Ndjson,
}

/// How an input's bytes are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// As they are.
    None,
    /// Gzip (RFC 1952), one member or several concatenated (as `cat a.gz b.gz` makes).
    Gzip,
}

/// Something to read.
#[derive(Debug, Clone)]
pub enum Input {
    /// Standard input, as NDJSON.
    Stdin,
    /// A file or a stream (a FIFO given by name, such as a shell's `<(...)`).
    Path {
        /// The path, as given or as found in a folder.
        path: PathBuf,
        /// How it holds its events.
        mode: Mode,
        /// How its bytes are stored.
        compression: Compression,
    },
}

impl Input {
    /// The source reports name.
    pub fn source(&self) -> Arc<Source> {
        match self {
            Input::Stdin => Source::stdin(),
            Input::Path { path, .. } => Source::file(path),
        }
    }
}

/// One entry of the discovered inputs: something to read, or a path that could not be used,
/// which gets an I/O error verdict of its own.
#[derive(Debug)]
pub enum Found {
    /// An input to read.
    Input(Input),
    /// A path that could not be read, and why.
    Unreadable {
        /// The path.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

/// What discovery found: the inputs in order, and how many files inside folders were passed
/// over because of their extension (reported in the summary, never dropped in silence).
#[derive(Debug, Default)]
pub struct Discovery {
    /// Inputs and unreadable paths, in the order given (folders sorted by path).
    pub found: Vec<Found>,
    /// Files inside folders whose extension is not `.json`, `.ndjson` or `.jsonl` (compressed
    /// or not).
    pub ignored: Vec<PathBuf>,
}

/// The mode and compression a file's name implies, extensions matched in any case:
/// `.json`, `.ndjson`, `.jsonl`, each optionally followed by `.gz`. `None` for any other name.
pub fn kind_of(path: &Path) -> Option<(Mode, Compression)> {
    let extension = |p: &Path| {
        p.extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
    };
    let (mode_ext, compression) = match extension(path)?.as_str() {
        "gz" => (extension(Path::new(path.file_stem()?))?, Compression::Gzip),
        other => (other.to_owned(), Compression::None),
    };
    match mode_ext.as_str() {
        "json" => Some((Mode::Json, compression)),
        "ndjson" | "jsonl" => Some((Mode::Ndjson, compression)),
        _ => None,
    }
}

/// Finds the inputs named on the command line. No path, or `-`, is standard input. A file
/// named explicitly is read whatever its extension (NDJSON for `.ndjson`/`.jsonl` and for
/// streams, one JSON event otherwise; gzip-compressed when it ends in `.gz`); a folder is
/// searched recursively for `.json`, `.ndjson` and `.jsonl` files (in any case, compressed or
/// not), following symbolic links, with a loop reported as an I/O error.
pub fn discover(paths: &[PathBuf]) -> Discovery {
    let mut discovery = Discovery::default();
    if paths.is_empty() {
        discovery.found.push(Found::Input(Input::Stdin));
    }
    for path in paths {
        if path.as_os_str() == "-" {
            discovery.found.push(Found::Input(Input::Stdin));
            continue;
        }
        match fs::metadata(path) {
            Err(err) => discovery.found.push(Found::Unreadable {
                path: path.clone(),
                message: describe_io(&err),
            }),
            Ok(meta) if meta.is_dir() => {
                let mut ancestors = HashSet::new();
                walk(path, &mut ancestors, &mut discovery);
            }
            Ok(meta) => {
                let gzip = path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
                let compression = if gzip {
                    Compression::Gzip
                } else {
                    Compression::None
                };
                let (mode, compression) = match kind_of(path) {
                    Some(kind) if meta.is_file() => kind,
                    _ if meta.is_file() => (Mode::Json, compression),
                    _ => (Mode::Ndjson, compression),
                };
                discovery.found.push(Found::Input(Input::Path {
                    path: path.clone(),
                    mode,
                    compression,
                }));
            }
        }
    }
    discovery
}

fn walk(dir: &Path, ancestors: &mut HashSet<PathBuf>, discovery: &mut Discovery) {
    let unreadable = |discovery: &mut Discovery, path: &Path, message: String| {
        discovery.found.push(Found::Unreadable {
            path: path.to_owned(),
            message,
        });
    };
    let canonical = match fs::canonicalize(dir) {
        Ok(c) => c,
        Err(err) => return unreadable(discovery, dir, describe_io(&err)),
    };
    if !ancestors.insert(canonical.clone()) {
        return unreadable(
            discovery,
            dir,
            "file system loop: this folder is one of its own ancestors (a symbolic link loop)"
                .into(),
        );
    }
    let mut entries: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(Result::ok).map(|e| e.path()).collect(),
        Err(err) => {
            ancestors.remove(&canonical);
            return unreadable(discovery, dir, describe_io(&err));
        }
    };
    entries.sort();
    for path in entries {
        match fs::metadata(&path) {
            Err(err) => unreadable(discovery, &path, describe_io(&err)),
            Ok(meta) if meta.is_dir() => walk(&path, ancestors, discovery),
            Ok(meta) => match kind_of(&path) {
                Some(_) if !meta.is_file() => unreadable(
                    discovery,
                    &path,
                    "not a regular file (a FIFO, socket or device inside a folder is not read)"
                        .into(),
                ),
                Some((mode, compression)) => discovery.found.push(Found::Input(Input::Path {
                    path,
                    mode,
                    compression,
                })),
                None => discovery.ignored.push(path),
            },
        }
    }
    ancestors.remove(&canonical);
}

/// An I/O error in words, without Rust's "(os error N)" suffix.
pub fn describe_io(err: &io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_lowercase(),
        None => text.to_lowercase(),
    }
}

/// The outcome of reading a whole file.
pub enum FileRead {
    /// Its bytes (decompressed).
    Bytes(Vec<u8>),
    /// It is larger than the limit: what the reader is told.
    TooLarge(String),
}

/// Reads a whole file, refusing one larger than `max` bytes without reading it all; a
/// compressed file is refused as soon as its decompressed bytes pass `max`.
pub fn read_file(path: &Path, max: u64, compression: Compression) -> io::Result<FileRead> {
    let file = fs::File::open(path)?;
    let len = file.metadata()?.len();
    let mut bytes = Vec::new();
    match compression {
        Compression::None => {
            if len > max {
                return Ok(FileRead::TooLarge(format!(
                    "the file has {len} bytes, more than --max-file-bytes {max}"
                )));
            }
            bytes.reserve(usize::try_from(len).unwrap_or(0));
            // The file may grow while it is read: never take more than the limit plus one byte.
            file.take(max + 1).read_to_end(&mut bytes)?;
            if bytes.len() as u64 > max {
                return Ok(FileRead::TooLarge(format!(
                    "the file has more than --max-file-bytes {max} bytes"
                )));
            }
        }
        Compression::Gzip => {
            Gunzip::new(file).take(max + 1).read_to_end(&mut bytes)?;
            if bytes.len() as u64 > max {
                return Ok(FileRead::TooLarge(format!(
                    "the file decompresses to more than --max-file-bytes {max} bytes"
                )));
            }
        }
    }
    Ok(FileRead::Bytes(bytes))
}

/// A gzip decompressor whose errors say that the archive is damaged, and how. Reads every
/// member of a multi-member file; memory is the decompressor's window, whatever the size.
pub struct Gunzip<R> {
    inner: MultiGzDecoder<io::BufReader<R>>,
}

impl<R: Read> Gunzip<R> {
    /// Decompresses `reader`.
    pub fn new(reader: R) -> Gunzip<R> {
        Gunzip {
            inner: MultiGzDecoder::new(io::BufReader::with_capacity(64 << 10, reader)),
        }
    }
}

impl<R: Read> Read for Gunzip<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).map_err(|err| {
            let what = match err.kind() {
                io::ErrorKind::UnexpectedEof => {
                    "the gzip archive ends inside its compressed data (truncated or damaged)"
                        .to_owned()
                }
                _ => format!("the gzip archive is damaged: {}", describe_io(&err)),
            };
            io::Error::new(err.kind(), what)
        })
    }
}

/// One physical line of an NDJSON stream.
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    /// The line's bytes, without its `\n` or `\r\n`.
    Text,
    /// The line was longer than the limit; it was read past and not kept. Holds its length.
    TooLarge(u64),
}

/// Reads NDJSON lines with at most `max` bytes kept per line: a longer line is drained to its
/// end without being stored, so memory stays flat whatever the input.
pub struct LineReader<R> {
    reader: io::BufReader<R>,
    max: usize,
    /// 1-based number of the last line read.
    pub line: usize,
}

impl<R: Read> LineReader<R> {
    /// A reader over `reader`, keeping at most `max` bytes of a line.
    pub fn new(reader: io::BufReader<R>, max: usize) -> Self {
        LineReader {
            reader,
            max,
            line: 0,
        }
    }

    /// Whether every byte read so far has been handed out: the next line needs a read, which
    /// may wait for a slow producer.
    pub fn drained(&self) -> bool {
        self.reader.buffer().is_empty()
    }

    /// Reads the next line into `buf` (cleared first). `None` at the end of the stream; a final
    /// line without `\n` is still a line, and a final `\n` does not start another.
    pub fn next_line(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<Line>> {
        buf.clear();
        let mut total: u64 = 0;
        let mut last = None;
        let mut saw_any = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(available) => available,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => return Err(err),
            };
            if available.is_empty() {
                break;
            }
            saw_any = true;
            let (chunk, done) = match memchr::memchr(b'\n', available) {
                Some(at) => (&available[..at], Some(at + 1)),
                None => (available, None),
            };
            total += chunk.len() as u64;
            if let Some(&b) = chunk.last() {
                last = Some(b);
            }
            if buf.len() < self.max + 1 {
                let room = self.max + 1 - buf.len();
                buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            let consumed = done.unwrap_or(available.len());
            self.reader.consume(consumed);
            if done.is_some() {
                break;
            }
        }
        if !saw_any {
            return Ok(None);
        }
        self.line += 1;
        // A CRLF line ends like an LF one: the `\r` is not part of the line, whether or not
        // the line fits.
        if last == Some(b'\r') {
            total -= 1;
            if buf.len() as u64 > total {
                buf.pop();
            }
        }
        if total > self.max as u64 {
            buf.clear();
            return Ok(Some(Line::TooLarge(total)));
        }
        Ok(Some(Line::Text))
    }
}

/// Lines read together and handed to the validating threads.
pub struct Batch {
    /// The bytes of the batch's lines, one after the other: one buffer per batch rather than
    /// one allocation per line.
    pub text: Vec<u8>,
    /// (line number, length if the line was too large, where the line's bytes are in `text`).
    pub lines: Vec<(usize, Option<u64>, Range<usize>)>,
    /// A read error that ended the stream: (the line it happened on, what it was).
    pub failure: Option<(usize, String)>,
    /// The reader itself failed (a bug), and how: the stream ends with an internal error.
    pub internal: Option<String>,
}

/// Reads `lines` to the end, sending batches: a batch goes as soon as it holds `max_lines`
/// lines or `max_bytes` bytes, or as soon as the next line would have to wait for input, so a
/// slow stream's events are validated as they arrive. Stops when the receiver is gone.
pub fn send_batches<R: Read>(
    mut lines: LineReader<R>,
    max_lines: usize,
    max_bytes: usize,
    tx: &SyncSender<Batch>,
) {
    // One line buffer for the whole stream; each line is copied into its batch's text.
    let mut buf = Vec::new();
    let mut capacity = 0;
    loop {
        let mut batch = Batch {
            // Room for a batch like the last one and a little more, so that the buffer is
            // allocated once rather than doubled on the way.
            text: Vec::with_capacity(capacity + capacity / 4),
            lines: Vec::new(),
            failure: None,
            internal: None,
        };
        let mut bytes = 0;
        let mut end = false;
        loop {
            let result = lines.next_line(&mut buf);
            let start = batch.text.len();
            match result {
                Ok(None) => {
                    end = true;
                    break;
                }
                Ok(Some(Line::Text)) => {
                    bytes += buf.len();
                    batch.text.extend_from_slice(&buf);
                    batch
                        .lines
                        .push((lines.line, None, start..batch.text.len()));
                }
                Ok(Some(Line::TooLarge(len))) => {
                    batch.text.extend_from_slice(&buf);
                    batch
                        .lines
                        .push((lines.line, Some(len), start..batch.text.len()));
                }
                Err(err) => {
                    batch.failure = Some((lines.line + 1, describe_io(&err)));
                    end = true;
                    break;
                }
            }
            if batch.lines.len() >= max_lines || bytes >= max_bytes || lines.drained() {
                break;
            }
        }
        capacity = batch.text.len();
        if (!batch.lines.is_empty() || batch.failure.is_some()) && tx.send(batch).is_err() {
            return;
        }
        if end {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize) -> Vec<(usize, String)> {
        let mut reader = LineReader::new(io::BufReader::with_capacity(4, input), max);
        assert!(reader.drained());
        let mut buf = Vec::new();
        let mut out = Vec::new();
        while let Some(line) = reader
            .next_line(&mut buf)
            .expect("reading memory cannot fail")
        {
            let shown = match line {
                Line::Text => String::from_utf8_lossy(&buf).into_owned(),
                Line::TooLarge(n) => format!("<too large: {n}>"),
            };
            out.push((reader.line, shown));
        }
        out
    }

    #[test]
    fn splits_lines_like_ndjson() {
        assert_eq!(lines(b"", 10), vec![]);
        assert_eq!(lines(b"a\nb", 10), vec![(1, "a".into()), (2, "b".into())]);
        assert_eq!(lines(b"a\nb\n", 10), vec![(1, "a".into()), (2, "b".into())]);
        assert_eq!(
            lines(b"a\r\n\r\nb\r\n", 10),
            vec![(1, "a".into()), (2, "".into()), (3, "b".into())]
        );
        assert_eq!(lines(b"\n", 10), vec![(1, "".into())]);
        assert_eq!(
            lines(b"0123456789\n01234567890\nok", 10),
            vec![
                (1, "0123456789".into()),
                (2, "<too large: 11>".into()),
                (3, "ok".into())
            ]
        );
        assert_eq!(lines(b"0123456789\r\n", 10), vec![(1, "0123456789".into())]);
        assert_eq!(
            lines(b"01234567890\r\n", 10),
            vec![(1, "<too large: 11>".into())]
        );
        assert_eq!(lines(b"a\rb\n", 10), vec![(1, "a\rb".into())]);
    }
}
