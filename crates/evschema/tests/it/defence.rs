//! The last line of defence (reliability.md F12): a bug that panics while checking or reporting
//! one input gives that input an `internal_error` verdict with a "please report" message; the
//! run goes on, every other input keeps its verdict, the summary adds up, and the exit code is
//! 3, never 101 (a panic) or 134 (an abort). The bug is injected with `EVSCHEMA_FAULT`, which
//! debug builds (the ones tests run) obey.

use crate::properties::{self, FORMATS, Truth};
use crate::support::{AUTH, TempDir, compact, evschema_env};

const MARKER: &str = "INJECTED-FAULT";

#[test]
fn a_panic_while_checking_or_rendering_is_one_internal_error() {
    let dir = TempDir::new("defence");
    let auth = compact(AUTH);
    let poisoned = format!("{{\"type\":\"auth\",\"{MARKER}\":1}}");
    let stream = format!("{auth}\n{poisoned}\n{auth}\n");
    dir.write("one.json", &poisoned);
    for stage in ["check", "render"] {
        let fault = format!("{stage}:{MARKER}");
        let run = |format: &str| {
            evschema_env(
                dir.path(),
                &["validate", "--format", format, "-", "one.json"],
                &[("EVSCHEMA_FAULT", &fault)],
                stream.clone(),
            )
        };
        let json = run("json");
        let report = json.report();
        assert_eq!(json.code, 3, "{stage}: {}", json.stdout);
        assert_eq!(
            report.verdicts(),
            [
                (1, "valid".to_owned()),
                (2, "internal_error".to_owned()),
                (3, "valid".to_owned()),
                (1, "internal_error".to_owned()),
            ],
            "{stage}"
        );
        let message = &report.errors(2)[0];
        assert_eq!(message.kind, "internal");
        assert!(
            message.message.contains("please report") && message.message.contains(stage),
            "{message:?}"
        );
        assert!(json.stderr.is_empty(), "{}", json.stderr);
        let truth = Truth::from_json_report(&json.stdout);
        for format in FORMATS {
            let outcome = run(format);
            assert_eq!(outcome.code, 3, "{stage} {format}: {}", outcome.stdout);
            if let Err(err) = properties::check(format, &outcome.stdout, &truth, false) {
                panic!("{stage}: {err}\n{}", outcome.stdout);
            }
        }
    }
}
