//! Whether output may be coloured: only on a terminal, and never with
//! `--no-color` or a non-empty `NO_COLOR` (<https://no-color.org>).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once by `--no-color`, before any output.
static DISABLED: AtomicBool = AtomicBool::new(false);

/// Turns colour off for the rest of the run (`--no-color`).
pub fn disable() {
    DISABLED.store(true, Ordering::Relaxed);
}

/// Colour is allowed at all: no `--no-color`, no `NO_COLOR`.
fn allowed() -> bool {
    !DISABLED.load(Ordering::Relaxed) && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Standard output may be coloured.
pub fn stdout() -> bool {
    allowed() && std::io::stdout().is_terminal()
}

/// Standard error may be coloured.
pub fn stderr() -> bool {
    allowed() && std::io::stderr().is_terminal()
}
