//! `berth import task-definition FILE.json`: prints a `task_definition`
//! block for a task definition as ECS's JSON has it (see
//! [`crate::import::task_definition`]), formatted, with no `stack` block,
//! so it drops into any stack directory.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use berth_lang::fmt::format_source;

use crate::import::task_definition::{ImportError, convert};
use crate::stdout;

pub fn task_definition(file: &Path) -> anyhow::Result<ExitCode> {
    let json = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let text = match convert(&json) {
        Ok(text) => text,
        Err(ImportError::Json {
            message,
            line,
            column,
        }) => {
            eprintln!("error: {}:{line}:{column}: not JSON: {message}", file.display());
            return Ok(ExitCode::from(1));
        }
        Err(e) => {
            eprintln!("error: {}: {e}", file.display());
            return Ok(ExitCode::from(1));
        }
    };
    // The converter writes every value quoted and every name as an
    // identifier; text that does not parse is berth's bug, said as such.
    let formatted = format_source(&text)
        .map_err(|_| anyhow::anyhow!("berth wrote a task definition it cannot read back (a bug):\n{text}"))?;
    stdout::print(&formatted)?;
    Ok(ExitCode::SUCCESS)
}
