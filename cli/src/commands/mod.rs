//! One module per command.

mod fmt;
mod stack;
mod validate;

use std::process::ExitCode;

use crate::args::{Cli, Command};

/// Runs a parsed command line; the exit code follows the CLI contract.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Validate { dir, vars } => validate::run(&dir, &vars),
        Command::Fmt { dir, check } => fmt::run(&dir, check),
        Command::Lsp => Ok(berth_lsp::run_stdio()?),
    }
}
