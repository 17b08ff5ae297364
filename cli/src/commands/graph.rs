//! `berth graph [DIR]`: the dependency graph as Graphviz DOT on stdout.

use std::path::Path;
use std::process::ExitCode;

use super::stack;
use crate::args::Vars;
use crate::stdout;

pub fn run(dir: &Path, vars: &Vars) -> anyhow::Result<ExitCode> {
    let Some(stack) = stack::evaluate(dir, vars)? else {
        return Ok(ExitCode::from(1));
    };
    stdout::print(&berth_planner::graph::dot(&stack))?;
    Ok(ExitCode::SUCCESS)
}
