//! `berth output [DIR]`: the stack's outputs, read from the cloud.

use std::path::Path;
use std::process::ExitCode;

use berth_planner::{external, outputs, render};

use super::{plan, stack};
use crate::args::{Global, OutputFormat, Vars};
use crate::cloud::Cloud;
use crate::stdout;

pub fn run(global: &Global, dir: &Path, vars: &Vars, format: OutputFormat) -> anyhow::Result<ExitCode> {
    let Some(stack) = stack::evaluate(dir, vars)? else {
        return Ok(ExitCode::from(1));
    };
    let runtime = stack::runtime()?;
    let cloud = Cloud::open(global, dir, &stack.region, &runtime)?;
    let values = outputs::values(
        &stack,
        &plan::read_live(&runtime, &cloud, &stack, &external::parents(&stack))?,
    );
    match format {
        OutputFormat::Text => stdout::print(&render::outputs_text(&values))?,
        OutputFormat::Json => stdout::print(&render::outputs_json(&values))?,
    }
    Ok(ExitCode::SUCCESS)
}
