//! `berth plan`: diff the stack against the cloud and show the plan.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use berth_planner::render::{self, RenderOptions};
use berth_planner::saved::SavedPlan;
use berth_planner::{Planned, external, plan};
use berth_provider::{External, Resource};
use tokio::runtime::Runtime;

use super::stack;
use crate::args::{Format, Global, Vars};
use crate::cloud::Cloud;
use crate::stdout;

/// What to do with the plan.
pub struct Output {
    pub out: Option<PathBuf>,
    pub format: Format,
    pub detailed_exitcode: bool,
    pub stats: bool,
}

pub fn run(global: &Global, dir: &Path, vars: &Vars, output: Output) -> anyhow::Result<ExitCode> {
    let runtime = stack::runtime()?;
    let Some((stack, cloud)) = stack::evaluate_in_cloud(global, dir, vars, &runtime)? else {
        return Ok(ExitCode::from(1));
    };
    let planned = make(&runtime, &cloud, &stack, &external::parents(&stack))?;
    stdout::print(&render_plan(&planned, output.format))?;
    if let Some(path) = &output.out {
        // Absolute, so the plan applies from any working directory.
        let dir = std::fs::canonicalize(dir).with_context(|| format!("cannot resolve {}", dir.display()))?;
        let sensitive = stack.secrets.keys().cloned().collect();
        let saved = SavedPlan::new(dir, stack::variables(vars)?, &sensitive, planned.plan.clone());
        let text = serde_json::to_string_pretty(&saved)?;
        write_private(path, &text).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!(
            "Saved the plan to {}. Apply exactly it with: berth apply {}",
            path.display(),
            path.display()
        );
    }
    if output.stats {
        print_stats(&cloud);
    }
    Ok(match (output.detailed_exitcode, planned.plan.has_changes()) {
        (true, true) => ExitCode::from(2),
        _ => ExitCode::SUCCESS,
    })
}

/// Writes `text` to `path` readable by its owner only (0600 on Unix): a
/// plan names the stack's resources and what will change.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let mut file = options.open(path)?;
        // `mode` applies to new files only: an existing one is narrowed too.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        file.write_all(text.as_bytes())
    }
    #[cfg(not(unix))]
    {
        options.open(path)?.write_all(text.as_bytes())
    }
}

/// Reads the stack's live resources (also under the `external` parents)
/// and plans against them.
pub fn make(
    runtime: &Runtime,
    cloud: &Cloud,
    stack: &berth_lang::Stack,
    external: &[External],
) -> anyhow::Result<Planned> {
    Ok(plan(stack, read_live(runtime, cloud, stack, external)?))
}

/// The stack's live resources, also those under the `external` parents
/// (see [`berth_planner::external`]).
pub fn read_live(
    runtime: &Runtime,
    cloud: &Cloud,
    stack: &berth_lang::Stack,
    external: &[External],
) -> anyhow::Result<Vec<Resource>> {
    runtime
        .block_on(cloud.provider().read_stack(&stack.name, external))
        .with_context(|| format!("cannot read the live resources of stack {:?}", stack.name))
}

/// The plan in the chosen format; text is coloured on a terminal.
pub fn render_plan(planned: &Planned, format: Format) -> String {
    match format {
        Format::Text => render::text(
            &planned.plan,
            &RenderOptions {
                color: std::io::stdout().is_terminal(),
            },
        ),
        Format::Markdown => render::markdown(&planned.plan),
        Format::Json => render::json(&planned.plan),
    }
}

/// `--stats`: API calls by service and operation, on stderr.
pub fn print_stats(cloud: &Cloud) {
    let stats = cloud.stats();
    let total: u64 = stats.values().sum();
    eprintln!("API calls: {total}");
    for (call, n) in stats {
        eprintln!("  {call:<40} {n}");
    }
}
