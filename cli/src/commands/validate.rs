//! `berth validate [DIR]`: exit 0 when valid, 1 with diagnostics otherwise.

use std::path::Path;
use std::process::ExitCode;

use super::stack;
use crate::args::Vars;
use crate::{report, stdout};

pub fn run(dir: &Path, vars: &Vars) -> anyhow::Result<ExitCode> {
    let analysis = stack::analyse(dir, vars)?;
    match &analysis.stack {
        Some(stack) => {
            let n = stack.resources.len();
            let plural = if n == 1 { "" } else { "s" };
            stdout::print(&format!(
                "Valid: stack {:?} with {n} resource{plural}.\n",
                stack.name
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        None => {
            report::diagnostics(&analysis.sources, &analysis.diagnostics);
            Ok(ExitCode::from(1))
        }
    }
}
