//! Writing to standard output. A reader that goes away (`berth plan | head`)
//! is not an error: what it no longer wants is dropped, where `print!` would
//! panic on the broken pipe.

use std::io::{ErrorKind, Write};

/// Writes `text` to standard output; a closed pipe ends the output quietly.
pub fn print(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
