//! The berth language server, `berth lsp`: diagnostics from the real
//! validator, go-to-definition on references, hover with schema docs,
//! completion, formatting, document symbols and "did you mean" quick fixes
//! for `.berth` files, spoken over stdio with the Language Server
//! Protocol.
//!
//! A stack is a directory, so every request looks at all `.berth` files of
//! the document's directory, taking open documents' unsaved text in place of
//! what is on disk.

mod completion;
mod definition;
mod diagnostics;
mod documents;
mod error;
mod formatting;
mod hover;
mod position;
mod quick_fix;
mod schema;
mod server;
mod stack;
mod symbols;
mod uri;

pub use error::Error;
pub use server::{capabilities, run};

use std::process::ExitCode;

use lsp_server::Connection;

/// Runs the language server on stdin/stdout until the client says `exit`.
///
/// The exit code follows the protocol: success when `shutdown` came before
/// `exit`, failure otherwise (including the client closing stdin).
pub fn run_stdio() -> Result<ExitCode, Error> {
    let (connection, io_threads) = Connection::stdio();
    let code = run(connection)?;
    io_threads.join().map_err(Error::Io)?;
    Ok(code)
}
