//! Running the real `evschema` binary, temporary folders, inputs built from the fixtures, and
//! the checks every `--format json` report must pass.

use std::fs;
use std::io::{self, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::Value;

/// The binary under test, built by cargo for this test run.
pub const BIN: &str = env!("CARGO_BIN_EXE_evschema");

/// Fixtures the inputs are built from (paths under `fixtures/`).
pub const AUTH: &str = "valid/auth/platform-auth_success.json";
pub const CALL_INIT: &str = "valid/call_state/platform-call_state_init.json";
pub const CALL_RINGING: &str = "valid/call_state/ringing_inbound.json";
pub const CALL_BAD_DATE: &str = "invalid/call_state/created_on_space_separator.json";

/// The value in `CALL_BAD_DATE` that breaks the contract: it shows in reports unless masked.
pub const BAD_DATE: &str = "2024-02-20 16:41:36.253Z";

/// The `--max-line-bytes` the mixed input is run with: every event fits, the long line does not.
pub const MIXED_MAX_LINE: &str = "4096";

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root exists")
}

/// A fixture's text.
pub fn fixture(path: &str) -> String {
    let full = root().join("fixtures").join(path);
    fs::read_to_string(&full).unwrap_or_else(|err| panic!("cannot read {}: {err}", full.display()))
}

/// A fixture as one NDJSON line (no newline).
pub fn compact(path: &str) -> String {
    let value: Value = serde_json::from_str(&fixture(path)).expect("a fixture is JSON");
    serde_json::to_string(&value).expect("a value serializes")
}

/// The small mixed NDJSON input every format is shown on (run it with
/// `--max-line-bytes MIXED_MAX_LINE`): line 1 valid, 2 valid, 3 invalid, 4 unparsable, 5 blank,
/// 6 too large, 7 valid.
pub fn mixed_input() -> String {
    let long = format!(
        r#"{{"type":"call_state","message":"{}"}}"#,
        "x".repeat(5000)
    );
    let lines = [
        compact(AUTH),
        compact(CALL_INIT),
        compact(CALL_BAD_DATE),
        r#"{"type": "auth","#.to_owned(),
        String::new(),
        long,
        compact(CALL_RINGING),
    ];
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// The verdicts of `mixed_input`, by line.
pub const MIXED_VERDICTS: [(u64, &str); 7] = [
    (1, "valid"),
    (2, "valid"),
    (3, "invalid"),
    (4, "parse_error"),
    (5, "blank"),
    (6, "too_large"),
    (7, "valid"),
];

/// A folder under the system's temporary folder, unique to this process and call, removed
/// (with everything in it) when dropped.
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("evschema-it-{}-{n}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path)
            .unwrap_or_else(|err| panic!("cannot create {}: {err}", path.display()));
        TempDir { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `bytes` to `relative` (creating folders on the way) and returns the full path.
    pub fn write(&self, relative: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("a folder in the temporary folder is created");
        }
        fs::write(&path, bytes)
            .unwrap_or_else(|err| panic!("cannot write {}: {err}", path.display()));
        path
    }

    /// Creates a folder `relative`.
    pub fn mkdir(&self, relative: &str) -> PathBuf {
        let path = self.path.join(relative);
        fs::create_dir_all(&path).expect("a folder in the temporary folder is created");
        path
    }

    /// Creates a symbolic link `relative` pointing at `target` (as written, not resolved).
    pub fn symlink(&self, target: impl AsRef<Path>, relative: &str) -> PathBuf {
        let path = self.path.join(relative);
        std::os::unix::fs::symlink(target, &path).expect("a symbolic link is created");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        // `remove_dir_all` does not follow symbolic links, so loops and links out are safe.
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// A producer writing to the child's standard input from its own thread.
pub type Producer = Box<dyn FnOnce(&mut dyn Write) -> io::Result<()> + Send>;

/// What the child reads on standard input.
pub enum Stdin {
    /// These bytes, then the end of the stream.
    Bytes(Vec<u8>),
    /// Whatever the producer writes, streamed, then the end of the stream.
    Stream(Producer),
}

impl From<&str> for Stdin {
    fn from(text: &str) -> Stdin {
        Stdin::Bytes(text.as_bytes().to_vec())
    }
}

impl From<String> for Stdin {
    fn from(text: String) -> Stdin {
        Stdin::Bytes(text.into_bytes())
    }
}

impl From<Vec<u8>> for Stdin {
    fn from(bytes: Vec<u8>) -> Stdin {
        Stdin::Bytes(bytes)
    }
}

impl From<&[u8]> for Stdin {
    fn from(bytes: &[u8]) -> Stdin {
        Stdin::Bytes(bytes.to_vec())
    }
}

impl<const N: usize> From<&[u8; N]> for Stdin {
    fn from(bytes: &[u8; N]) -> Stdin {
        Stdin::Bytes(bytes.to_vec())
    }
}

/// How a run of the binary ended.
#[derive(Debug)]
pub struct Outcome {
    /// The exit code; 128 + the signal's number when a signal ended the process.
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The exit code as a shell shows it.
pub fn exit_code(status: ExitStatus) -> i32 {
    status
        .code()
        .unwrap_or_else(|| 128 + status.signal().unwrap_or(0))
}

/// Asserts what holds for every run: no panic message, no panic exit code (101), no death by a
/// signal such as a stack overflow's SIGABRT/SIGSEGV.
#[track_caller]
pub fn assert_no_panic(code: i32, stderr: &str) {
    assert!(
        !stderr.contains("panicked"),
        "evschema panicked (exit {code}):\n{stderr}"
    );
    assert_ne!(code, 101, "evschema exited as a panic does:\n{stderr}");
    assert!(
        !(129..=159).contains(&code) || code == 130 || code == 143,
        "evschema died of signal {}:\n{stderr}",
        code - 128
    );
}

/// Runs `evschema ARGS` in `dir` with `stdin`, `NO_COLOR` unset; returns how it ended, after
/// checking that it did not panic.
#[track_caller]
pub fn evschema(dir: &Path, args: &[&str], stdin: impl Into<Stdin>) -> Outcome {
    evschema_env(dir, args, &[], stdin)
}

/// `evschema` with extra environment variables.
#[track_caller]
pub fn evschema_env(
    dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    stdin: impl Into<Stdin>,
) -> Outcome {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("evschema starts");
    let mut input = child.stdin.take().expect("standard input is piped");
    let stdin = stdin.into();
    let feeder = std::thread::spawn(move || {
        let written = match stdin {
            Stdin::Bytes(bytes) => input.write_all(&bytes),
            Stdin::Stream(produce) => produce(&mut input),
        };
        drop(input);
        written
    });
    let output = child.wait_with_output().expect("evschema runs to its end");
    match feeder
        .join()
        .expect("the standard-input thread does not panic")
    {
        Ok(()) => {}
        // The child stopped reading (it was given paths, or it ended early): not the test's
        // concern; what it reported is checked by the caller.
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => {}
        Err(err) => panic!("cannot write evschema's standard input: {err}"),
    }
    let code = exit_code(output.status);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_no_panic(code, &stderr);
    let stdout = String::from_utf8(output.stdout).unwrap_or_else(|err| {
        panic!("the report is not UTF-8: {err}\nstderr:\n{stderr}");
    });
    Outcome {
        code,
        stdout,
        stderr,
    }
}

/// The seven verdicts.
pub const VERDICTS: [&str; 8] = [
    "valid",
    "invalid",
    "parse_error",
    "too_large",
    "too_deep",
    "io_error",
    "internal_error",
    "blank",
];

/// One error of a record, as `--format json` gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub pointer: String,
    pub kind: String,
    pub message: String,
    pub line: u64,
    pub column: Option<u64>,
}

/// A `--format json` report, checked.
#[derive(Debug)]
pub struct Report {
    pub records: Vec<Value>,
    pub summary: Value,
}

impl Outcome {
    /// The `--format json` report, after checking it: every line is a JSON object; one per
    /// input with `source`, `line`, `verdict`, `valid` (a boolean, false exactly for failing
    /// verdicts), `type` and `errors` (each with `pointer`, `kind`, `message`, `line`); then
    /// exactly one summary, last, whose counts add up to the records and whose exit code is
    /// the process's.
    #[track_caller]
    pub fn report(&self) -> Report {
        let context = || format!("stdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        assert!(
            self.stdout.ends_with('\n'),
            "the report does not end with a newline\n{}",
            context()
        );
        let mut values = Vec::new();
        for (i, line) in self.stdout.lines().enumerate() {
            let value: Value = serde_json::from_str(line)
                .unwrap_or_else(|err| panic!("report line {} is not JSON ({err}): {line}", i + 1));
            assert!(
                value.is_object(),
                "report line {} is not an object: {line}",
                i + 1
            );
            values.push(value);
        }
        let summaries = values
            .iter()
            .filter(|v| v.get("summary") == Some(&Value::Bool(true)))
            .count();
        assert_eq!(summaries, 1, "not exactly one summary\n{}", context());
        let summary = values.pop().expect("one summary");
        assert_eq!(
            summary["summary"],
            Value::Bool(true),
            "the summary is not last\n{}",
            context()
        );
        for record in &values {
            check_record(record);
        }
        // And what every JSON report must be (its own schema, no raw control characters).
        let truth = crate::properties::Truth::from_json_report(&self.stdout);
        if let Err(err) = crate::properties::check("json", &self.stdout, &truth, false) {
            panic!("{err}\n{}", context());
        }
        let count =
            |verdict: &str| values.iter().filter(|r| r["verdict"] == verdict).count() as u64;
        let n = values.len() as u64;
        assert_eq!(summary["inputs"], n, "summary.inputs\n{}", context());
        let mut sum = 0;
        for verdict in VERDICTS {
            let counted = summary["verdicts"][verdict]
                .as_u64()
                .unwrap_or_else(|| panic!("summary.verdicts.{verdict} missing\n{}", context()));
            assert_eq!(
                counted,
                count(verdict),
                "summary.verdicts.{verdict}\n{}",
                context()
            );
            sum += counted;
        }
        assert_eq!(sum, n, "the verdicts do not add up\n{}", context());
        assert_eq!(
            summary["events"],
            n - count("blank"),
            "summary.events\n{}",
            context()
        );
        assert_eq!(
            summary["exit_code"],
            i64::from(self.code),
            "summary.exit_code is not the exit code\n{}",
            context()
        );
        assert!(summary["interrupted"].is_boolean(), "summary.interrupted");
        Report {
            records: values,
            summary,
        }
    }
}

#[track_caller]
fn check_record(record: &Value) {
    assert!(
        record["source"].is_string() || record["source"]["bytes"].is_array(),
        "no source: {record}"
    );
    assert!(
        record["line"].as_u64().is_some_and(|l| l >= 1),
        "no line: {record}"
    );
    let verdict = record["verdict"].as_str().unwrap_or_default();
    assert!(VERDICTS.contains(&verdict), "unknown verdict: {record}");
    assert_eq!(
        record["valid"],
        Value::Bool(matches!(verdict, "valid" | "blank")),
        "`valid` does not match the verdict: {record}"
    );
    assert!(
        record["type"].is_null() || record["type"].is_string(),
        "bad type: {record}"
    );
    let errors = record["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors array: {record}"));
    assert_eq!(
        errors.is_empty(),
        matches!(verdict, "valid" | "blank"),
        "errors do not match the verdict: {record}"
    );
    for error in errors {
        assert!(
            error["pointer"].is_string(),
            "error without pointer: {record}"
        );
        assert!(error["kind"].is_string(), "error without kind: {record}");
        assert!(
            error["message"].as_str().is_some_and(|m| !m.is_empty()),
            "error without message: {record}"
        );
        assert!(
            error["line"].as_u64().is_some_and(|l| l >= 1),
            "error without line: {record}"
        );
    }
}

impl Report {
    /// (line, verdict) of every record, in order.
    pub fn verdicts(&self) -> Vec<(u64, String)> {
        self.records
            .iter()
            .map(|r| {
                (
                    r["line"].as_u64().unwrap_or_default(),
                    r["verdict"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    }

    /// The record of `source` starting at `line`.
    #[track_caller]
    pub fn record(&self, line: u64) -> &Value {
        let found: Vec<&Value> = self.records.iter().filter(|r| r["line"] == line).collect();
        assert_eq!(
            found.len(),
            1,
            "not exactly one record at line {line}: {self:#?}"
        );
        found[0]
    }

    /// The errors of the record at `line`.
    #[track_caller]
    pub fn errors(&self, line: u64) -> Vec<Error> {
        errors_of(self.record(line))
    }
}

/// The errors of one record.
pub fn errors_of(record: &Value) -> Vec<Error> {
    record["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| Error {
                    pointer: e["pointer"].as_str().unwrap_or_default().to_owned(),
                    kind: e["kind"].as_str().unwrap_or_default().to_owned(),
                    message: e["message"].as_str().unwrap_or_default().to_owned(),
                    line: e["line"].as_u64().unwrap_or_default(),
                    column: e["column"].as_u64(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A bad-input case: bytes given on standard input (NDJSON) or as one file, and what the
/// report must say.
pub struct Case {
    name: String,
    file: Option<String>,
    bytes: Vec<u8>,
    code: i32,
    verdicts: Vec<(u64, String)>,
    errors: Vec<Expected>,
}

/// An error a record must carry.
struct Expected {
    record: u64,
    pointer: String,
    kind: String,
    message: String,
    /// The error's line and the columns it may be reported at, when they are pinned.
    at: Option<(u64, u64, u64)>,
}

impl Case {
    /// NDJSON on standard input.
    pub fn stdin(name: &str, bytes: impl Into<Vec<u8>>) -> Case {
        Case {
            name: name.to_owned(),
            file: None,
            bytes: bytes.into(),
            code: 0,
            verdicts: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// A file named `file_name` given as the only path (a `.json` file holds one event).
    pub fn file(name: &str, file_name: &str, bytes: impl Into<Vec<u8>>) -> Case {
        Case {
            file: Some(file_name.to_owned()),
            ..Case::stdin(name, bytes)
        }
    }

    /// The exit code.
    pub fn exits(mut self, code: i32) -> Case {
        self.code = code;
        self
    }

    /// Every record's (line, verdict), in order.
    pub fn verdicts(mut self, verdicts: &[(u64, &str)]) -> Case {
        self.verdicts = verdicts.iter().map(|&(l, v)| (l, v.to_owned())).collect();
        self
    }

    /// The record at `record` has an error at `pointer` of `kind` whose message contains
    /// `message`.
    pub fn error(mut self, record: u64, pointer: &str, kind: &str, message: &str) -> Case {
        self.errors.push(Expected {
            record,
            pointer: pointer.to_owned(),
            kind: kind.to_owned(),
            message: message.to_owned(),
            at: None,
        });
        self
    }

    /// Like `error`, reported at `line` and a column in `columns`.
    pub fn error_at(
        mut self,
        record: u64,
        pointer: &str,
        kind: &str,
        message: &str,
        line: u64,
        columns: std::ops::RangeInclusive<u64>,
    ) -> Case {
        self.errors.push(Expected {
            record,
            pointer: pointer.to_owned(),
            kind: kind.to_owned(),
            message: message.to_owned(),
            at: Some((line, *columns.start(), *columns.end())),
        });
        self
    }

    /// Runs the case with `--format json` and checks the report; returns it for more checks.
    #[track_caller]
    pub fn check(self) -> Report {
        let dir = TempDir::new("case");
        let mut args: Vec<&str> = vec!["validate", "--format", "json"];
        let outcome = match &self.file {
            Some(file_name) => {
                dir.write(file_name, &self.bytes);
                args.push(file_name);
                evschema(dir.path(), &args, "")
            }
            None => evschema(dir.path(), &args, self.bytes.clone()),
        };
        let name = &self.name;
        let report = outcome.report();
        let got: Vec<(u64, String)> = report.verdicts();
        assert_eq!(
            got, self.verdicts,
            "{name}: verdicts\nstdout:\n{}\nstderr:\n{}",
            outcome.stdout, outcome.stderr
        );
        assert_eq!(
            outcome.code, self.code,
            "{name}: exit code\nstdout:\n{}\nstderr:\n{}",
            outcome.stdout, outcome.stderr
        );
        for expected in &self.errors {
            let errors = report.errors(expected.record);
            let found = errors.iter().any(|e| {
                e.pointer == expected.pointer
                    && e.kind == expected.kind
                    && e.message.contains(&expected.message)
                    && expected.at.is_none_or(|(line, from, to)| {
                        e.line == line && e.column.is_some_and(|c| (from..=to).contains(&c))
                    })
            });
            let at = expected
                .at
                .map(|(l, from, to)| format!(" at line {l}, column {from}..={to}"))
                .unwrap_or_default();
            assert!(
                found,
                "{name}: record {} has no {} error at {:?} with {:?}{at}; it has:\n{errors:#?}",
                expected.record, expected.kind, expected.pointer, expected.message
            );
        }
        report
    }
}

/// Whether `text` holds an ANSI escape sequence.
pub fn has_ansi(text: &str) -> bool {
    text.contains("\x1b[")
}

/// How long a live run may stay silent before the test gives up on it (a hang is a failure,
/// never a stuck test run).
const PATIENCE: Duration = Duration::from_secs(60);

/// A run of the binary the test talks to while it runs: it writes standard input a piece at a
/// time, reads the report line by line, and can send signals.
pub struct Live {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
    stderr: Option<JoinHandle<String>>,
}

impl Live {
    /// `evschema ARGS` in `dir`, its standard input a pipe the test writes to.
    pub fn spawn(dir: &Path, args: &[&str]) -> Live {
        let mut command = Command::new(BIN);
        command
            .args(args)
            .current_dir(dir)
            .env_remove("NO_COLOR")
            .stdin(Stdio::piped());
        Live::start(command)
    }

    /// Starts `command` (the binary, with its arguments and standard input set up), reading
    /// its standard output and error.
    pub fn start(mut command: Command) -> Live {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("evschema starts");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("standard output is piped");
        let mut stderr = child.stderr.take().expect("standard error is piped");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        let stderr = std::thread::spawn(move || {
            use std::io::Read;
            let mut text = Vec::new();
            let _ = stderr.read_to_end(&mut text);
            String::from_utf8_lossy(&text).into_owned()
        });
        Live {
            child,
            stdin,
            lines,
            seen: Vec::new(),
            stderr: Some(stderr),
        }
    }

    /// Writes to the child's standard input and flushes.
    pub fn write(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("standard input is open");
        stdin.write_all(bytes).expect("evschema reads its input");
        stdin.flush().expect("the input is flushed");
    }

    /// The next line of the report; fails the test if none comes in time.
    #[track_caller]
    pub fn next_line(&mut self) -> String {
        match self.lines.recv_timeout(PATIENCE) {
            Ok(line) => {
                self.seen.push(line.clone());
                line
            }
            Err(err) => {
                let _ = self.child.kill();
                panic!(
                    "no report line from evschema ({err}); so far:\n{}",
                    self.seen.join("\n")
                );
            }
        }
    }

    /// Sends a signal (`INT`, `TERM`) with `kill`.
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -{name} failed");
    }

    /// Waits until the child catches signal `number` (Linux: `SigCgt` in `/proc/PID/status`):
    /// its handler is installed, so the signal no longer takes the default action. For runs
    /// that print nothing before their end.
    #[track_caller]
    pub fn wait_until_catching(&mut self, number: u32) {
        let bit = 1u64 << (number - 1);
        let path = format!("/proc/{}/status", self.child.id());
        let start = std::time::Instant::now();
        loop {
            let status = fs::read_to_string(&path).unwrap_or_default();
            let caught = status
                .lines()
                .find_map(|l| l.strip_prefix("SigCgt:"))
                .and_then(|mask| u64::from_str_radix(mask.trim(), 16).ok())
                .unwrap_or(0);
            if caught & bit != 0 {
                return;
            }
            if start.elapsed() > PATIENCE {
                let _ = self.child.kill();
                panic!("evschema never catches signal {number}");
            }
            std::thread::yield_now();
        }
    }

    /// Waits until signal `number` is no longer pending for the child (Linux: `ShdPnd` and
    /// `SigPnd` in `/proc/PID/status`): a thread has taken it and run its handler.
    #[track_caller]
    pub fn wait_until_signal_taken(&mut self, number: u32) {
        let bit = 1u64 << (number - 1);
        let path = format!("/proc/{}/status", self.child.id());
        let start = std::time::Instant::now();
        loop {
            let status = fs::read_to_string(&path).unwrap_or_default();
            let pending = status
                .lines()
                .filter(|l| l.starts_with("ShdPnd:") || l.starts_with("SigPnd:"))
                .filter_map(|l| u64::from_str_radix(l[7..].trim(), 16).ok())
                .fold(0, |a, b| a | b);
            if pending & bit == 0 {
                return;
            }
            if start.elapsed() > PATIENCE {
                let _ = self.child.kill();
                panic!("evschema never takes signal {number}");
            }
            std::thread::yield_now();
        }
    }

    /// Closes standard input: the end of the stream.
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Reads the rest of the report and waits for the end, standard input left as it is
    /// (closed only once the child has ended).
    #[track_caller]
    pub fn finish(mut self) -> Outcome {
        loop {
            match self.lines.recv_timeout(PATIENCE) {
                Ok(line) => self.seen.push(line),
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let _ = self.child.kill();
                    panic!("evschema does not end; so far:\n{}", self.seen.join("\n"));
                }
            }
        }
        let status = self.child.wait().expect("evschema ends");
        let stderr = self
            .stderr
            .take()
            .map(|h| h.join().unwrap_or_default())
            .unwrap_or_default();
        let code = exit_code(status);
        assert_no_panic(code, &stderr);
        let mut stdout = self.seen.join("\n");
        stdout.push('\n');
        Outcome {
            code,
            stdout,
            stderr,
        }
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        // Only on a failed test: the child this test started must not outlive it.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
