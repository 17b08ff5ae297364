//! The `berth` command line: a thin layer that parses arguments and hands
//! each command to its module.

mod args;
mod cloud;
mod commands;
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
    match commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
