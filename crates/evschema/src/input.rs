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
use std::sync::mpsc::{Receiver, SyncSender};

use flate2::bufread::GzDecoder;

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

/// An I/O error in words, without Rust's "(os error N)" suffix, starting lower-case (the rest
/// is kept: it may quote bytes or names).
pub fn describe_io(err: &io::Error) -> String {
    let text = err.to_string();
    let text = match text.find(" (os error") {
        Some(at) => &text[..at],
        None => &text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
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

/// A gzip decompressor that reads archives as `gzip -d`, `zcat` and Python's `gzip` do, and
/// whose errors say what is wrong with the archive:
/// - every member of a multi-member file (`cat a.gz b.gz`) is read, as one stream;
/// - zero bytes after a member (padding to a block size, as tape and some archivers write) are
///   skipped, and a member may follow them;
/// - bytes after the last member that are neither zeros nor a member are trailing data: the
///   stream ends with an error that says so, how many bytes there are and how they start, once
///   everything before them has been read (never "truncated": nothing is missing);
/// - an empty file is an empty stream; a file that does not start as gzip (`1F 8B`) is not gzip
///   data; a member cut short is truncated; anything else is damage, named.
///
/// Memory is the decompressor's window and one buffer, whatever the size.
pub struct Gunzip<R> {
    state: State<R>,
}

/// Where a [`Gunzip`] is in its file.
enum State<R> {
    /// Before the first member: the start of the file is checked for gzip's magic.
    Start(Compressed<R>),
    /// Inside a member.
    Member(GzDecoder<Compressed<R>>),
    /// The stream has ended (or failed).
    Done,
}

/// gzip's magic bytes, which start every member.
const GZIP_MAGIC: [u8; 2] = [0x1F, 0x8B];

impl<R: Read> Gunzip<R> {
    /// Decompresses `reader`.
    pub fn new(reader: R) -> Gunzip<R> {
        Gunzip {
            state: State::Start(Compressed {
                inner: io::BufReader::with_capacity(64 << 10, reader),
                back: Vec::new(),
            }),
        }
    }

    /// What follows a whole member: `true` for another member, `false` for the end; an error
    /// for trailing data that is not gzip.
    fn next_member(compressed: &mut Compressed<R>) -> io::Result<bool> {
        compressed.skip_zeros()?;
        let head = compressed.look(GZIP_MAGIC.len())?;
        if head.is_empty() {
            return Ok(false);
        }
        // A member, or the start of one cut short (which the decoder then calls truncated).
        if GZIP_MAGIC.starts_with(&head) {
            return Ok(true);
        }
        let start: Vec<String> = compressed
            .look(4)?
            .iter()
            .map(|b| format!("0x{b:02X}"))
            .collect();
        let count = io::copy(compressed, &mut io::sink())?;
        Err(io::Error::new(
            io::ErrorKind::InvalidData,
            TrailingData(format!(
                "trailing data after the gzip archive: {count} byte{} that {} not gzip (starting {}), \
                 not read; everything before {} was read",
                if count == 1 { "" } else { "s" },
                if count == 1 { "is" } else { "are" },
                start.join(" "),
                if count == 1 { "it" } else { "them" },
            )),
        ))
    }
}

impl<R: Read> Read for Gunzip<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return Ok(0),
                State::Start(mut compressed) => {
                    let head = compressed.look(GZIP_MAGIC.len())?;
                    if head.is_empty() {
                        return Ok(0);
                    }
                    if !GZIP_MAGIC.starts_with(&head) {
                        let start: Vec<String> =
                            head.iter().map(|b| format!("0x{b:02X}")).collect();
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!(
                                "not gzip data: the file starts with {}, not gzip's 0x1F 0x8B",
                                start.join(" ")
                            ),
                        ));
                    }
                    self.state = State::Member(GzDecoder::new(compressed));
                }
                State::Member(mut decoder) => {
                    let n = decoder.read(buf).map_err(damaged)?;
                    if n > 0 || buf.is_empty() {
                        self.state = State::Member(decoder);
                        return Ok(n);
                    }
                    // A member is whole: what follows decides.
                    let mut compressed = decoder.into_inner();
                    if Gunzip::next_member(&mut compressed)? {
                        self.state = State::Member(GzDecoder::new(compressed));
                    } else {
                        return Ok(0);
                    }
                }
            }
        }
    }
}

/// The error that ends a stream whose data is whole but is followed by bytes that are not part
/// of it (trailing data after a gzip archive): a last line without its newline is still a line.
#[derive(Debug)]
pub struct TrailingData(String);

impl std::fmt::Display for TrailingData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TrailingData {}

/// A decompression error in words.
fn damaged(err: io::Error) -> io::Error {
    let what = match err.kind() {
        io::ErrorKind::UnexpectedEof => {
            "the gzip archive ends inside a member (truncated or damaged)".to_owned()
        }
        _ => format!("the gzip archive is damaged: {}", describe_io(&err)),
    };
    io::Error::new(err.kind(), what)
}

/// Compressed bytes, buffered, where the bytes looked at between members can be read again.
struct Compressed<R> {
    inner: io::BufReader<R>,
    /// Bytes taken from `inner` to look at, not yet handed out.
    back: Vec<u8>,
}

impl<R: Read> Compressed<R> {
    /// The next `n` bytes (fewer at the end), left to be read.
    fn look(&mut self, n: usize) -> io::Result<Vec<u8>> {
        while self.back.len() < n {
            let available = self.inner.fill_buf()?;
            if available.is_empty() {
                break;
            }
            let take = available.len().min(n - self.back.len());
            self.back.extend_from_slice(&available[..take]);
            self.inner.consume(take);
        }
        Ok(self.back[..n.min(self.back.len())].to_vec())
    }

    /// Skips zero bytes.
    fn skip_zeros(&mut self) -> io::Result<()> {
        loop {
            let available = self.fill_buf()?;
            let zeros = available.iter().take_while(|&&b| b == 0).count();
            if zeros == 0 {
                return Ok(());
            }
            self.consume(zeros);
        }
    }
}

impl<R: Read> Read for Compressed<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Compressed<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.back.is_empty() {
            self.inner.fill_buf()
        } else {
            Ok(&self.back)
        }
    }

    fn consume(&mut self, amount: usize) {
        if self.back.is_empty() {
            self.inner.consume(amount);
        } else {
            self.back.drain(..amount.min(self.back.len()));
        }
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
    /// A [`TrailingData`] error met at the end of a last line without its newline: the line is
    /// handed out first, the error on the next call.
    pending: Option<io::Error>,
}

impl<R: Read> LineReader<R> {
    /// A reader over `reader`, keeping at most `max` bytes of a line.
    pub fn new(reader: io::BufReader<R>, max: usize) -> Self {
        LineReader {
            reader,
            max,
            line: 0,
            pending: None,
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
        if let Some(err) = self.pending.take() {
            return Err(err);
        }
        let mut total: u64 = 0;
        let mut last = None;
        let mut saw_any = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(available) => available,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                // The data is whole: its last line is a line, and the error comes next.
                Err(err) if saw_any && err.get_ref().is_some_and(|e| e.is::<TrailingData>()) => {
                    self.pending = Some(err);
                    break;
                }
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
            // `max` may be `usize::MAX` (`--max-line-bytes` 2^64 - 1): no overflow.
            let keep = self.max.saturating_add(1);
            if buf.len() < keep {
                let room = keep - buf.len();
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
    /// The buffer the batch's lines were read into: each line's bytes are at its range; the
    /// bytes outside the ranges are not the batch's (a buffer is reused, see [`send_batches`]).
    pub text: Vec<u8>,
    /// (line number, length if the line was too large, where the line's bytes are in `text`).
    /// A too-large line's range is empty: its bytes were not kept.
    pub lines: Vec<(usize, Option<u64>, Range<usize>)>,
    /// A read error that ended the stream: (the line it happened on, what it was).
    pub failure: Option<(usize, String)>,
    /// The reader itself failed (a bug), and how: the stream ends with an internal error.
    pub internal: Option<String>,
}

impl Batch {
    fn new(text: Vec<u8>) -> Batch {
        Batch {
            text,
            lines: Vec::new(),
            failure: None,
            internal: None,
        }
    }
}

/// Reads `reader` to the end as NDJSON lines (split as [`LineReader`] splits them: `\n` or
/// `\r\n`; a last line without `\n` is a line; a line of more than `max_line` bytes is
/// [`Line::TooLarge`], read past without being kept) and sends them in batches. The bytes are
/// read straight into the batch's buffer, once, with no copy but the unfinished line at a
/// buffer's end; a batch goes as soon as a read has given it lines (the next read may wait for a
/// slow producer), or when it holds `max_lines` lines. Each read asks for about `max_lines`
/// lines' worth of bytes (judged from the lines so far), at most `max_bytes`.
///
/// Buffers come from `recycled` when one is there (the receiver's batches, given back once
/// reported), else are allocated: memory stays flat and a buffer's pages are touched once. A read
/// error ends the stream with [`Batch::failure`] on the line after the last one read (the
/// unfinished line is lost, except before a [`TrailingData`] error: the data before it is whole).
/// Stops when the receiver is gone.
pub fn send_batches<R: Read>(
    mut reader: R,
    max_line: usize,
    max_lines: usize,
    max_bytes: usize,
    tx: &SyncSender<Batch>,
    recycled: &Receiver<Vec<u8>>,
) {
    let max_lines = max_lines.max(1);
    let size = max_bytes.max(1);
    let mut lines = Lines {
        batch: Batch::new(buffer(recycled, size, 0)),
        start: 0,
        filled: 0,
        line: 0,
        dropped: None,
        max_line,
    };
    // Bytes per line so far (for the size of each read), counted over whole lines.
    let (mut line_bytes, mut line_count) = (0u64, 0u64);
    loop {
        if lines.filled == lines.batch.text.len() {
            // No room left: an unfinished line fills the buffer from its start (a read that
            // finishes a line hands the batch over, carrying the rest to the front of the next
            // buffer), and is at most `max_line + 1` bytes, else it is being dropped. It gets a
            // larger buffer, never more than the longest line kept and one read after it: a
            // buffer stays in use (given back, reused) once grown, so a doubling past that would
            // be memory held for nothing in every buffer in flight.
            debug_assert_eq!(lines.start, 0);
            let most = max_line.saturating_add(1).saturating_add(64 << 10);
            let grown = lines.batch.text.len().saturating_mul(2).min(most);
            lines.batch.text.resize(grown, 0);
        }
        let average = line_bytes
            .checked_div(line_count)
            .map_or(size as u64, |average| average + 1);
        let want = usize::try_from(average.saturating_mul(max_lines as u64))
            .unwrap_or(usize::MAX)
            .clamp(64 << 10, size.max(64 << 10));
        let end = lines.batch.text.len().min(lines.filled + want);
        let read = match reader.read(&mut lines.batch.text[lines.filled..end]) {
            Ok(read) => read,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => {
                // The data before a trailing-data error is whole: its unfinished line is a line.
                let whole = err.get_ref().is_some_and(|e| e.is::<TrailingData>());
                if whole {
                    lines.finish(lines.filled, false);
                }
                let at = lines.line + 1;
                lines.batch.failure = Some((at, describe_io(&err)));
                let _ = tx.send(lines.batch);
                return;
            }
        };
        if read == 0 {
            lines.finish(lines.filled, false);
            if !lines.batch.lines.is_empty() {
                let _ = tx.send(lines.batch);
            }
            return;
        }
        let mut from = lines.filled;
        lines.filled += read;
        while let Some(at) = memchr::memchr(b'\n', &lines.batch.text[from..lines.filled]) {
            let end = from + at;
            line_bytes += (end - lines.start) as u64 + 1;
            line_count += 1;
            lines.finish(end, true);
            lines.start = end + 1;
            // At `max_lines`, the batch goes and the bytes after the line are carried over.
            if lines.batch.lines.len() >= max_lines && !lines.hand_over(tx, recycled, size) {
                return;
            }
            from = lines.start;
        }
        lines.drop_if_too_large();
        // A read gave lines: they go now, the next read may wait for a slow producer.
        if !lines.batch.lines.is_empty() && !lines.hand_over(tx, recycled, size) {
            return;
        }
    }
}

/// A buffer of at least `size` bytes (and room for `carry` more than that), reused when the
/// receiver gave one back.
fn buffer(recycled: &Receiver<Vec<u8>>, size: usize, carry: usize) -> Vec<u8> {
    let want = size.max(carry.saturating_add(64 << 10));
    match recycled.try_recv() {
        Ok(buffer) if buffer.len() >= want => buffer,
        // Zeroed by the allocator (fresh pages from the kernel): no page is touched before a
        // read writes it.
        _ => vec![0; want],
    }
}

/// The state of [`send_batches`]: the batch being filled and the line being read.
struct Lines {
    batch: Batch,
    /// Where the unfinished line starts in `batch.text`.
    start: usize,
    /// How much of `batch.text` holds bytes read.
    filled: usize,
    /// The number of the last line finished.
    line: usize,
    /// The unfinished line is too large: its bytes are dropped as they come. Its length so far
    /// and its last byte.
    dropped: Option<(u64, u8)>,
    max_line: usize,
}

impl Lines {
    /// Finishes the line from `start` to `end`: ended by its `\n` (`terminated`), or by the end
    /// of the data, where it is a line only if it has a byte. A CRLF line's `\r` is not part of
    /// it, and a line past `max_line` bytes is too large (its range is empty).
    fn finish(&mut self, end: usize, terminated: bool) {
        let kept = &self.batch.text[self.start..end];
        let dropped = self.dropped.take();
        let last = kept.last().copied().or(dropped.map(|(_, last)| last));
        if !terminated && last.is_none() {
            return;
        }
        self.line += 1;
        let mut total = dropped.map_or(0, |(len, _)| len) + kept.len() as u64;
        let mut text_end = end;
        if last == Some(b'\r') {
            total -= 1;
            text_end = text_end.saturating_sub(usize::from(!kept.is_empty()));
        }
        let entry = if total > self.max_line as u64 {
            (self.line, Some(total), self.start..self.start)
        } else {
            (self.line, None, self.start..text_end)
        };
        self.batch.lines.push(entry);
    }

    /// Starts or continues dropping the unfinished line once it is longer than any line kept
    /// can be (`max_line + 1` bytes: a last `\r` is not counted).
    fn drop_if_too_large(&mut self) {
        let unfinished = self.filled - self.start;
        if unfinished == 0 {
            return;
        }
        let last = self.batch.text[self.filled - 1];
        match &mut self.dropped {
            Some((len, was)) => {
                *len += unfinished as u64;
                *was = last;
            }
            None if unfinished > self.max_line.saturating_add(1) => {
                self.dropped = Some((unfinished as u64, last));
            }
            None => return,
        }
        self.filled = self.start;
    }

    /// Sends the batch and starts the next in another buffer, the unfinished line carried over.
    /// False when the receiver is gone.
    fn hand_over(
        &mut self,
        tx: &SyncSender<Batch>,
        recycled: &Receiver<Vec<u8>>,
        size: usize,
    ) -> bool {
        let carry = self.filled - self.start;
        let mut next = Batch::new(buffer(recycled, size, carry));
        next.text[..carry].copy_from_slice(&self.batch.text[self.start..self.filled]);
        let full = std::mem::replace(&mut self.batch, next);
        self.start = 0;
        self.filled = carry;
        tx.send(full).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(bytes).expect("in memory");
        encoder.finish().expect("in memory")
    }

    /// What reading `archive` whole gives: its data, or the data before the error and the
    /// error's message. Read through a buffer of 3 bytes at a time, so every boundary is met.
    fn gunzip(archive: &[u8]) -> (Vec<u8>, Option<String>) {
        let mut reader = Gunzip::new(archive);
        let mut out = Vec::new();
        let mut buf = [0u8; 3];
        loop {
            match reader.read(&mut buf) {
                Ok(0) => return (out, None),
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(err) => return (out, Some(err.to_string())),
            }
        }
    }

    #[test]
    fn io_errors_in_words() {
        assert_eq!(
            describe_io(&io::Error::from_raw_os_error(2)),
            "no such file or directory"
        );
        let quoting = io::Error::other("Not gzip: 0x7B 0x22");
        assert_eq!(describe_io(&quoting), "not gzip: 0x7B 0x22");
        assert_eq!(describe_io(&io::Error::other("")), "");
    }

    #[test]
    fn gzip_read_as_gzip_and_python_read_it() {
        let (a, b) = (gzip(b"one\n"), gzip(b"two\n"));
        let cat = |parts: &[&[u8]]| parts.concat();
        assert_eq!(gunzip(&a), (b"one\n".to_vec(), None));
        assert_eq!(gunzip(&cat(&[&a, &b])), (b"one\ntwo\n".to_vec(), None));
        // Zero padding after the last member, or between members, as Python reads it.
        let zeros = [0u8; 512];
        assert_eq!(gunzip(&cat(&[&a, &zeros])), (b"one\n".to_vec(), None));
        assert_eq!(
            gunzip(&cat(&[&a, &zeros, &b, &[0]])),
            (b"one\ntwo\n".to_vec(), None)
        );
        // An empty file is an empty stream.
        assert_eq!(gunzip(b""), (Vec::new(), None));
    }

    #[test]
    fn trailing_data_is_named_after_everything_before_it() {
        let a = gzip(b"one\n");
        let garbage = [a.as_slice(), &[0, 0], b"garbage"].concat();
        assert_eq!(
            gunzip(&garbage),
            (
                b"one\n".to_vec(),
                Some(
                    "trailing data after the gzip archive: 7 bytes that are not gzip (starting \
                     0x67 0x61 0x72 0x62), not read; everything before them was read"
                        .into()
                )
            )
        );
        let one = [a.as_slice(), b"\n"].concat();
        assert_eq!(
            gunzip(&one).1.as_deref(),
            Some(
                "trailing data after the gzip archive: 1 byte that is not gzip (starting 0x0A), \
                 not read; everything before it was read"
            )
        );
        let mut reader = Gunzip::new(garbage.as_slice());
        let err = io::copy(&mut reader, &mut io::sink()).expect_err("trailing data");
        assert!(err.get_ref().is_some_and(|e| e.is::<TrailingData>()));
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        // Once it has ended, the stream stays ended.
        assert_eq!(reader.read(&mut [0; 8]).expect("the end"), 0);
    }

    #[test]
    fn damage_is_named_for_what_it_is() {
        let a = gzip(b"one\ntwo\n");
        let message = |archive: &[u8]| gunzip(archive).1.unwrap_or_default();
        assert_eq!(
            message(b"{\"type\": 1}"),
            "not gzip data: the file starts with 0x7B 0x22, not gzip's 0x1F 0x8B"
        );
        assert_eq!(
            message(b"x"),
            "not gzip data: the file starts with 0x78, not gzip's 0x1F 0x8B"
        );
        assert!(
            message(&a[..a.len() - 3]).starts_with("the gzip archive ends inside a member"),
            "a member cut short"
        );
        for cut in [&a[..1], &[a.as_slice(), &[0x1F]].concat()[..]] {
            assert!(
                message(cut).starts_with("the gzip archive ends inside a member"),
                "{cut:?}"
            );
        }
        let mut crc = a.clone();
        let at = crc.len() - 8;
        crc[at] ^= 1;
        assert!(message(&crc).starts_with("the gzip archive is damaged: "));
        let mut bad_member = [a.as_slice(), &a].concat();
        let second = a.len() + 2;
        bad_member[second] = 0x99;
        assert!(message(&bad_member).starts_with("the gzip archive is damaged: "));
    }

    #[test]
    fn a_last_line_before_trailing_data_is_a_line() {
        let archive = [gzip(b"one\ntwo").as_slice(), b"junk"].concat();
        let mut reader = LineReader::new(io::BufReader::new(Gunzip::new(archive.as_slice())), 100);
        let mut buf = Vec::new();
        for expected in [&b"one"[..], b"two"] {
            assert_eq!(
                reader.next_line(&mut buf).expect("a line"),
                Some(Line::Text)
            );
            assert_eq!(buf, expected);
        }
        let err = reader
            .next_line(&mut buf)
            .expect_err("then the trailing data");
        assert!(
            err.to_string()
                .starts_with("trailing data after the gzip archive: 4 bytes")
        );
        assert_eq!(reader.line, 2);
        // A cut archive loses its cut line: it is not whole.
        let whole = gzip(b"one\ntwo");
        let cut = &whole[..whole.len() - 4];
        let mut reader = LineReader::new(io::BufReader::new(Gunzip::new(cut)), 100);
        let mut lines = 0;
        while let Ok(Some(_)) = reader.next_line(&mut buf) {
            lines += 1;
        }
        assert!(lines <= 1, "{lines}");
    }

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

    /// `--max-line-bytes 18446744073709551615` (`usize::MAX`): every line is kept whole (the
    /// limit plus one byte once wrapped to 0 and kept none: every event was `blank`).
    #[test]
    fn the_largest_limit_keeps_every_line() {
        let expected = vec![
            (1, "{}".into()),
            (2, "ab".into()),
            (3, "".into()),
            (4, "c".into()),
        ];
        assert_eq!(lines(b"{}\nab\r\n\nc", usize::MAX), expected);
        let data: &'static [u8] = b"{}\nab\r\n\nc";
        let reader = Pieces {
            data,
            sizes: vec![2],
            reads: 0,
            error: None,
        };
        let (read, failure, _) = by_batches(reader, usize::MAX, 2, 1 << 20);
        assert_eq!(failure, None);
        let expected: Vec<Read_> = expected
            .into_iter()
            .map(|(n, s): (usize, String)| (n, Ok(s.into_bytes())))
            .collect();
        assert_eq!(read, expected);
    }

    /// Hands out `data` in pieces of the given sizes (in turn), an interruption before every
    /// third read, then `error` (once) or the end.
    struct Pieces<'a> {
        data: &'a [u8],
        sizes: Vec<usize>,
        reads: usize,
        error: Option<io::Error>,
    }

    impl Read for Pieces<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.reads += 1;
            if self.reads.is_multiple_of(3) {
                return Err(io::ErrorKind::Interrupted.into());
            }
            if self.data.is_empty() {
                return self.error.take().map_or(Ok(0), Err);
            }
            let size = self.sizes[self.reads % self.sizes.len()].max(1);
            let n = size.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    /// A line as read: its number, and its bytes or its length when too large.
    type Read_ = (usize, Result<Vec<u8>, u64>);

    fn error(kind: u8) -> Option<io::Error> {
        match kind % 3 {
            0 => None,
            1 => Some(io::Error::other("the disk went away")),
            _ => Some(io::Error::new(
                io::ErrorKind::InvalidData,
                TrailingData("trailing data after the gzip archive: 4 bytes".into()),
            )),
        }
    }

    /// What [`LineReader`] reads: the truth.
    fn by_line_reader(reader: Pieces<'_>, max: usize) -> (Vec<Read_>, Option<(usize, String)>) {
        let mut lines = LineReader::new(io::BufReader::with_capacity(7, reader), max);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        loop {
            match lines.next_line(&mut buf) {
                Ok(None) => return (out, None),
                Ok(Some(Line::Text)) => out.push((lines.line, Ok(buf.clone()))),
                Ok(Some(Line::TooLarge(len))) => out.push((lines.line, Err(len))),
                Err(err) => return (out, Some((lines.line + 1, describe_io(&err)))),
            }
        }
    }

    /// What [`send_batches`] sends, with each batch's buffer given back scribbled over (no
    /// batch may rely on a fresh buffer), and the most lines a batch held.
    fn by_batches(
        reader: Pieces<'static>,
        max: usize,
        max_lines: usize,
        max_bytes: usize,
    ) -> (Vec<Read_>, Option<(usize, String)>, usize) {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let (give_back, recycled) = std::sync::mpsc::channel();
        let reading = std::thread::spawn(move || {
            send_batches(reader, max, max_lines, max_bytes, &tx, &recycled);
        });
        let (mut out, mut failure, mut most) = (Vec::new(), None, 0);
        // No buffer is larger than a batch's size, or than what a buffer may have to hold: the
        // longest line kept and a read (carried over whole when a batch fills mid-read), and
        // one read more.
        let read = max_bytes.max(64 << 10);
        let largest = read.max(max.saturating_add(1).saturating_add(2 * read));
        for mut batch in rx {
            assert!(failure.is_none(), "a batch after the failure");
            assert!(
                batch.text.len() <= largest,
                "a buffer of {} bytes, more than {largest}",
                batch.text.len()
            );
            most = most.max(batch.lines.len());
            for (line, too_large, range) in &batch.lines {
                out.push((
                    *line,
                    match too_large {
                        Some(len) => Err(*len),
                        None => Ok(batch.text[range.clone()].to_vec()),
                    },
                ));
                if too_large.is_some() {
                    assert!(range.is_empty(), "a too-large line's bytes were kept");
                }
            }
            failure = batch.failure.take();
            batch.text.fill(b'\n');
            let _ = give_back.send(batch.text);
        }
        reading.join().expect("the reader does not panic");
        (out, failure, most)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// The batches hold exactly the lines [`LineReader`] reads, numbered alike, and the same
        /// failure, whatever the limits and however the bytes arrive.
        #[test]
        fn batches_read_what_the_line_reader_reads(
            data in proptest::collection::vec(
                proptest::sample::select(vec![b'\n', b'\r', b'a', b'{', 0xE2u8]),
                0..120,
            ),
            sizes in proptest::collection::vec(1usize..40, 1..5),
            max in 0usize..12,
            max_lines in 1usize..6,
            max_bytes in 1usize..50,
            kind in 0u8..3,
        ) {
            let data: &'static [u8] = Box::leak(data.into_boxed_slice());
            let pieces = || Pieces { data, sizes: sizes.clone(), reads: 0, error: error(kind) };
            let truth = by_line_reader(pieces(), max);
            let (lines, failure, most) = by_batches(pieces(), max, max_lines, max_bytes);
            proptest::prop_assert_eq!((&lines, &failure), (&truth.0, &truth.1));
            proptest::prop_assert!(most <= max_lines, "{} lines in a batch", most);
        }
    }

    #[test]
    fn a_batch_goes_when_a_read_gave_it_lines() {
        // A slow producer: each read gives one line; each line is sent before the next read.
        let reader = Pieces {
            data: b"one\ntwo\n",
            sizes: vec![4],
            reads: 0,
            error: None,
        };
        let (tx, rx) = std::sync::mpsc::sync_channel(8);
        let (_give_back, recycled) = std::sync::mpsc::channel();
        send_batches(reader, 100, 1000, 1 << 20, &tx, &recycled);
        drop(tx);
        let sizes: Vec<usize> = rx.iter().map(|b| b.lines.len()).collect();
        assert_eq!(sizes, vec![1, 1]);
    }

    #[test]
    fn long_lines_grow_the_buffer_and_too_long_ones_are_not_kept() {
        let long = "x".repeat(300_000);
        let data = format!("{long}\n{long}y\nz");
        let data: &'static [u8] = Box::leak(data.into_bytes().into_boxed_slice());
        let reader = Pieces {
            data,
            sizes: vec![100_000],
            reads: 0,
            error: None,
        };
        let (lines, failure, _) = by_batches(reader, 300_000, 10, 1000);
        assert_eq!(failure, None);
        assert_eq!(
            lines,
            vec![
                (1, Ok(long.into_bytes())),
                (2, Err(300_001)),
                (3, Ok(b"z".to_vec()))
            ]
        );
    }
}
