//! `berth output [DIR]`: the stack's outputs, read from the cloud.

use std::path::Path;
use std::process::ExitCode;

use berth_planner::{external, outputs, render};

use super::{plan, stack};
use crate::args::{Global, OutputFormat, Vars};
use crate::stdout;

pub fn run(global: &Global, dir: &Path, vars: &Vars, format: OutputFormat) -> anyhow::Result<ExitCode> {
    let runtime = stack::runtime()?;
    let Some((stack, cloud)) = stack::evaluate_in_cloud(global, dir, vars, &runtime, stack::Lookups::Read)?
    else {
        return Ok(ExitCode::from(1));
    };
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
