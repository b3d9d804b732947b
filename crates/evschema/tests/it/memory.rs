//! Streams are processed as they arrive, with flat memory: 450 MB of NDJSON through standard
//! input stay under 64 MiB of resident memory.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

/// The peak resident set size of a running process, in KiB, from `/proc`.
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn a_450_mb_stream_validates_in_under_64_mib() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let pretty =
        std::fs::read(root.join("fixtures/valid/call_state/platform-call_state_live.json"))
            .expect("the platform's live example is a fixture");
    let value: serde_json::Value = serde_json::from_slice(&pretty).expect("it parses");
    let valid = serde_json::to_string(&value).expect("it serializes");
    let invalid = valid.replacen("\"duration\":2", "\"duration\":\"2\"", 1);
    assert_ne!(valid, invalid);
    // 49 valid events and one invalid, repeated: about 2% faults, as in real traffic.
    let mut block = String::new();
    for _ in 0..49 {
        block.push_str(&valid);
        block.push('\n');
    }
    block.push_str(&invalid);
    block.push('\n');
    let total: usize = 450_000_000;
    let repeats = total.div_ceil(block.len());

    let mut child = Command::new(env!("CARGO_BIN_EXE_evschema"))
        .args(["validate", "--quiet", "--format", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("evschema starts");
    let pid = child.id();
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let writer = std::thread::spawn(move || {
        for _ in 0..repeats {
            stdin
                .write_all(block.as_bytes())
                .expect("evschema reads its input");
        }
    });
    // Sample the peak while the stream flows; the last sample, taken after the whole input
    // was written, covers all but the final batch.
    let mut peak = 0;
    while !writer.is_finished() {
        peak = peak.max(peak_rss_kib(pid).unwrap_or(0));
        std::thread::sleep(Duration::from_millis(50));
    }
    peak = peak.max(peak_rss_kib(pid).unwrap_or(0));
    writer.join().expect("the writer finishes");
    let output = child.wait_with_output().expect("evschema finishes");
    let summary: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("a JSON summary");
    assert_eq!(
        summary["verdicts"]["valid"],
        repeats as u64 * 49,
        "{summary}"
    );
    assert_eq!(summary["verdicts"]["invalid"], repeats as u64, "{summary}");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        peak > 0,
        "the peak resident memory could not be read from /proc"
    );
    assert!(
        peak < 64 * 1024,
        "peak resident memory {peak} KiB, over 64 MiB"
    );
}
