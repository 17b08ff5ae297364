//! Printing diagnostics to the terminal.

use berth_lang::diagnostic::{self, termcolor};
use berth_lang::{Diagnostic, Sources};

/// Writes diagnostics to stderr, coloured when it is a terminal and colour is not off.
pub fn diagnostics(sources: &Sources, diags: &[Diagnostic]) {
    let choice = if crate::color::stderr() {
        termcolor::ColorChoice::Auto
    } else {
        termcolor::ColorChoice::Never
    };
    let mut out = termcolor::StandardStream::stderr(choice);
    diagnostic::emit(sources, diags, &mut out);
    let n = diags.len();
    say!("error: {n} problem{} found", if n == 1 { "" } else { "s" });
}
