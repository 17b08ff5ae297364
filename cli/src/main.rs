//! The `berth` command line: a thin layer that parses arguments and hands
//! each command to its module.

/// `eprintln!` that never panics: a run whose stderr was closed (`berth
/// apply 2>&1 | head`, a log shipper that died) goes on to its end.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `eprint!` that never panics, as [`say!`].
macro_rules! say_inline {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

mod args;
mod cloud;
mod color;
mod commands;
mod import;
mod interrupt;
mod place;
mod progress;
mod report;
mod stdout;

use std::process::ExitCode;

use clap::Parser;

// The front end builds many small strings and maps; mimalloc makes
// `validate` of a 10,000-resource stack about a quarter faster than the
// system allocator (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    if cli.global.no_color {
        color::disable();
    }
    match commands::run(cli) {
        Ok(code) => code,
        Err(e) if e.is::<interrupt::Interrupted>() => {
            say!("{e}");
            ExitCode::from(interrupt::EXIT_STATUS)
        }
        Err(e) => {
            say!("error: {}", error_text(&e));
            ExitCode::from(1)
        }
    }
}

/// The error and its causes joined by `: `, each said once: an error that
/// already quotes its cause in its message (many library errors do) does
/// not get the cause repeated after it.
pub(crate) fn error_text(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if text.is_empty() || out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::error_text;

    /// An error that quotes its cause, as `thiserror` ones often do.
    #[derive(Debug)]
    struct Quoting {
        source: std::io::Error,
    }

    impl std::fmt::Display for Quoting {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "cannot read x: {}", self.source)
        }
    }

    impl std::error::Error for Quoting {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.source)
        }
    }

    #[test]
    fn a_cause_already_quoted_is_printed_once() {
        let io = || std::io::Error::from(std::io::ErrorKind::NotFound);
        let e = anyhow::Error::new(Quoting { source: io() });
        let text = error_text(&e);
        assert_eq!(text.matches(&io().to_string()).count(), 1, "{text}");
        let e = anyhow::Error::new(io()).context("cannot open y");
        assert_eq!(error_text(&e), format!("cannot open y: {}", io()));
    }
}
