//! The last line of defence: a panic while checking or reporting one input becomes that
//! input's internal-error verdict (exit code 3), never a crash (exit 101) that loses the rest of
//! the run (reliability.md F12).
//!
//! [`install_hook`] replaces the default panic message on standard error (the verdict says what
//! failed instead); [`install_library_hook`] does so only inside [`guarded`] calls, for a host
//! process (Python) whose own panics must still be reported as before; [`describe`] turns a
//! caught panic into words. In debug builds only, the
//! `EVSCHEMA_FAULT=<stage>:<marker>` environment variable makes the `check` or `render` stage
//! panic on inputs containing `<marker>`, so tests can prove the defence on the real binary.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{AssertUnwindSafe, PanicHookInfo, catch_unwind};
use std::sync::Once;

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
    /// How many [`guarded`] calls this thread is inside.
    static GUARDED: Cell<u32> = const { Cell::new(0) };
}

/// Installs a panic hook that records the message and place of a panic for [`describe`]
/// instead of printing it.
pub fn install_hook() {
    std::panic::set_hook(Box::new(record));
}

/// For a library inside another program (the Python module): installs, once per process, a
/// panic hook that records panics inside [`guarded`] calls for [`describe`], as
/// [`install_hook`] does, and hands every other panic to the hook that was there before.
pub fn install_library_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if GUARDED.with(Cell::get) > 0 {
                record(info);
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, catching a panic (as [`catch_unwind`]); while it runs, the hook of
/// [`install_library_hook`] records panics on this thread instead of reporting them.
pub fn guarded<R>(f: impl FnOnce() -> R) -> std::thread::Result<R> {
    GUARDED.with(|g| g.set(g.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(g.get() - 1));
    result
}

fn record(info: &PanicHookInfo<'_>) {
    let place = info
        .location()
        .map(|l| format!(" at {}:{}", l.file(), l.line()))
        .unwrap_or_default();
    let text = format!("{}{place}", payload_text(info.payload()));
    LAST_PANIC.with(|last| *last.borrow_mut() = Some(text));
}

/// A caught panic in words: the message and place recorded by the hook on this thread, or the
/// payload's message.
pub fn describe(payload: &(dyn Any + Send)) -> String {
    LAST_PANIC
        .with(|last| last.borrow_mut().take())
        .unwrap_or_else(|| payload_text(payload))
}

fn payload_text(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".into()
    }
}

/// Debug builds: panics when `EVSCHEMA_FAULT` is `<stage>:<marker>` and `bytes` contain the
/// marker. Release builds: nothing.
#[cfg(debug_assertions)]
pub fn inject(stage: &str, bytes: &[u8]) {
    use std::sync::OnceLock;
    static FAULT: OnceLock<Option<(String, Vec<u8>)>> = OnceLock::new();
    let fault = FAULT.get_or_init(|| {
        let value = std::env::var("EVSCHEMA_FAULT").ok()?;
        let (stage, marker) = value.split_once(':')?;
        Some((stage.to_owned(), marker.as_bytes().to_vec()))
    });
    if let Some((at, marker)) = fault
        && at == stage
        && !marker.is_empty()
        && bytes.windows(marker.len()).any(|w| w == marker.as_slice())
    {
        panic!("fault injected in {stage} by EVSCHEMA_FAULT");
    }
}

/// Debug builds: panics when `EVSCHEMA_FAULT` is `<stage>:<marker>` and `bytes` contain the
/// marker. Release builds: nothing.
#[cfg(not(debug_assertions))]
#[inline(always)]
pub fn inject(_stage: &str, _bytes: &[u8]) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_panics() {
        let caught = catch_unwind(|| panic!("boom {}", 1)).expect_err("it panics");
        assert_eq!(describe(caught.as_ref()), "boom 1");
        let caught = catch_unwind(|| panic!("static")).expect_err("it panics");
        assert_eq!(describe(caught.as_ref()), "static");
        let caught = catch_unwind(|| std::panic::panic_any(7_u8)).expect_err("it panics");
        assert_eq!(describe(caught.as_ref()), "a panic without a message");
    }
}
