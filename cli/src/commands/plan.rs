//! `berth plan`: diff the stack against the cloud and show the plan.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use berth_lang::diagnostic::{redact_text, secret_texts};
use berth_planner::render::{self, MarkdownOptions, RenderOptions};
use berth_planner::saved::SavedPlan;
use berth_planner::{Planned, external, plan};
use berth_provider::{External, Resource};
use tokio::runtime::Runtime;

use super::stack;
use crate::args::{Format, Global, Vars};
use crate::cloud::{Cloud, StackLock};
use crate::interrupt::OnInterrupt;
use crate::{place, stdout};

/// What to do with the plan.
pub struct Output {
    pub out: Option<PathBuf>,
    pub format: Format,
    pub detailed_exitcode: bool,
    pub stats: bool,
    /// `--max-chars`: the markdown comment's bound.
    pub max_chars: usize,
    /// `--full-plan-url`: where the markdown says the whole plan is.
    pub full_plan: Option<String>,
}

/// What is known of the stack when a plan fails, for the markdown comment
/// that reports it.
#[derive(Default)]
struct Known {
    name: Option<String>,
    place: Option<String>,
    /// Texts of sensitive values: a cloud error may quote one, and the
    /// comment is public.
    secrets: Vec<String>,
    /// The plan is on stdout already: a later error (writing `--out`) must
    /// not add a second comment after it.
    shown: bool,
}

/// `berth plan`: with `--format markdown`, stdout is a comment even when
/// the plan fails.
pub fn run(global: &Global, dir: &Path, vars: &Vars, output: Output) -> anyhow::Result<ExitCode> {
    let mut known = Known::default();
    let result = plan_and_show(global, dir, vars, &output, &mut known);
    let (Format::Markdown, Err(e), false) = (output.format, &result, known.shown) else {
        return result;
    };
    // A pull request shows why the plan failed, in place of the plan.
    let text = redact_text(&crate::error_text(e), &known.secrets);
    say!("error: {text}");
    let name = known.name.unwrap_or_else(|| stack::default_name(dir));
    let opts = markdown_options(&output, known.place);
    stdout::print(&render::markdown_failure(
        &name,
        "berth could not make the plan.",
        &text,
        &opts,
    ))?;
    Ok(ExitCode::from(1))
}

/// Plans and prints the plan, noting in `known` what a failure report
/// needs as it is learnt.
fn plan_and_show(
    global: &Global,
    dir: &Path,
    vars: &Vars,
    output: &Output,
    known: &mut Known,
) -> anyhow::Result<ExitCode> {
    let (stack, reads) = match stack::evaluate_or_invalid(dir, vars)? {
        Ok(evaluated) => evaluated,
        Err(invalid) => {
            if output.format == Format::Markdown {
                let plural = if invalid.count == 1 { "" } else { "s" };
                let problem = format!(
                    "the configuration is invalid ({} problem{plural}).",
                    invalid.count
                );
                let opts = markdown_options(output, None);
                stdout::print(&render::markdown_failure(
                    &invalid.name,
                    &problem,
                    &invalid.text,
                    &opts,
                ))?;
            }
            return Ok(ExitCode::from(1));
        }
    };
    known.name = Some(stack.name.clone());
    known.secrets = secret_texts(stack.secrets.values());
    known.place = Some(place::describe(global, dir, &stack.region, None));
    let runtime = stack::runtime()?;
    let cloud = Cloud::open(global, dir, &stack.region, &runtime)?;
    let stack = match reads.zones || reads.lookups {
        false => stack,
        true => match stack::in_cloud(dir, vars, &runtime, &cloud, reads)? {
            Some(stack) => stack,
            None => return Ok(ExitCode::from(1)),
        },
    };
    let account = stack::account(&runtime, &cloud)?;
    let place = place::describe(global, dir, &stack.region, account.as_deref());
    place::announce("Planning", &stack.name, &place);
    known.place = Some(place.clone());
    // A saved plan is made under the lock, so no other run changes the
    // stack while it is computed.
    let lock = match &output.out {
        Some(_) => Some(cloud.lock(
            &runtime,
            &stack.name,
            "berth plan --out",
            global.lock_timeout,
            dir,
            OnInterrupt::Release,
        )?),
        None => None,
    };
    let planned = make(&runtime, &cloud, &stack, &external::parents(&stack))?;
    let text = match output.format {
        Format::Markdown => render::markdown_with(&planned.plan, &markdown_options(output, Some(place))),
        format => render_plan(&planned, format),
    };
    stdout::print(&text)?;
    known.shown = true;
    if let Some(path) = &output.out {
        // Absolute, so the plan applies from any working directory.
        let dir = std::fs::canonicalize(dir).with_context(|| format!("cannot resolve {}", dir.display()))?;
        let sensitive = stack.secrets.keys().cloned().collect();
        let saved = SavedPlan::new(
            dir.clone(),
            stack::variables(&dir, vars)?.values,
            &sensitive,
            planned.plan.clone(),
        );
        let text = serde_json::to_string_pretty(&saved)?;
        write_private(path, &text).with_context(|| format!("cannot write {}", path.display()))?;
        say!(
            "Saved the plan to {}. Apply exactly it with: berth apply {}",
            path.display(),
            path.display()
        );
    }
    // Released before the figures, so that every call is counted.
    lock.map(StackLock::release).transpose()?;
    if output.stats {
        print_stats(&cloud);
    }
    Ok(match (output.detailed_exitcode, planned.plan.has_changes()) {
        (true, true) => ExitCode::from(2),
        _ => ExitCode::SUCCESS,
    })
}

fn markdown_options(output: &Output, place: Option<String>) -> MarkdownOptions {
    MarkdownOptions {
        place,
        max_chars: output.max_chars,
        full_plan: output.full_plan.clone(),
    }
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
/// and plans against them; see [`refused`].
pub fn make(
    runtime: &Runtime,
    cloud: &Cloud,
    stack: &berth_lang::Stack,
    external: &[External],
) -> anyhow::Result<Planned> {
    let planned = plan(stack, read_live(runtime, cloud, stack, external)?);
    refused(stack, &planned)?;
    Ok(planned)
}

/// A plan AWS would refuse half-way through (see
/// [`berth_planner::blocked_replacements`]), that destroys what the
/// configuration protects ([`berth_planner::protected_destroys`]) or whose
/// operations cannot be ordered (the apply would stop before any change)
/// is an error, before any change: `plan` says so, not only `apply`.
pub fn refused(stack: &berth_lang::Stack, planned: &Planned) -> anyhow::Result<()> {
    let mut reasons = berth_planner::blocked_replacements(stack, &planned.plan);
    reasons.extend(berth_planner::protected_destroys(stack, &planned.plan));
    if let Err(cycle) = berth_planner::order::schedule(&planned.steps) {
        reasons.push(cycle.to_string());
    }
    if !reasons.is_empty() {
        anyhow::bail!(reasons.join("\n"));
    }
    Ok(())
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

/// The plan in the chosen format (markdown with the default options);
/// text is coloured on a terminal unless colour is off.
pub fn render_plan(planned: &Planned, format: Format) -> String {
    match format {
        Format::Text => render::text(
            &planned.plan,
            &RenderOptions {
                color: crate::color::stdout(),
            },
        ),
        Format::Markdown => render::markdown(&planned.plan),
        Format::Json => render::json(&planned.plan),
    }
}

/// `--stats`: API calls by service and operation, on stderr.
pub fn print_stats(cloud: &Cloud) {
    let stats = cloud.provider().stats();
    let calls: u64 = stats.values().map(|s| s.calls).sum();
    let retries: u64 = stats.values().map(|s| s.retries).sum();
    let throttles: u64 = stats.values().map(|s| s.throttles).sum();
    say!("API calls: {calls}");
    say!(
        "  {:<40} {:>6} {:>8} {:>10}",
        "service:Operation",
        "calls",
        "retries",
        "throttles"
    );
    for (call, s) in stats {
        say!("  {call:<40} {:>6} {:>8} {:>10}", s.calls, s.retries, s.throttles);
    }
    say!("Throttles: {throttles}");
    say!("Retries: {retries}");
}
