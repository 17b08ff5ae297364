//! `berth apply [DIR|PLANFILE]` and `berth destroy [DIR]`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use berth_lang::Stack;
use berth_lang::diagnostic::{redact_text, secret_texts};
use berth_planner::execute::{self, Outcome, Report};
use berth_planner::order::OpKind;
use berth_planner::saved::SavedPlan;
use berth_planner::{Action, Plan, external, outputs, render};
use berth_provider::Resource;

use super::{plan, stack};
use crate::args::{Format, Global, Vars};
use crate::interrupt::OnInterrupt;
use crate::progress::Progress;
use crate::{place, stdout};

/// How to apply.
pub struct How {
    pub auto_approve: bool,
    pub parallelism: usize,
    pub stats: bool,
    /// Plan the deletion of everything the stack owns.
    pub destroy: bool,
    /// Wait for changed ECS services to reach a steady state.
    pub wait: bool,
}

/// How long `--wait` waits for one service.
const WAIT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(600);

pub fn run(global: &Global, target: &Path, vars: &Vars, how: How) -> anyhow::Result<ExitCode> {
    let saved = if target.is_file() {
        Some(load_saved(target)?)
    } else {
        None
    };
    let dir = saved.as_ref().map_or(target, |s| &s.dir).to_owned();
    let given = stack::variables(&dir, vars)?;
    let vars_map = match &saved {
        Some(s) => s
            .settings(&given.values)
            .context("refusing to apply the saved plan")?,
        None => given.values.clone(),
    };
    // What the directory's own variables files set is read from them again,
    // so that a value there the stack does not declare stays no error.
    let from_auto_file = |(name, value): &(String, String)| {
        given.optional.contains(name) && given.values.get(name) == Some(value)
    };
    let vars = Vars {
        vars: vars_map.into_iter().filter(|v| !from_auto_file(v)).collect(),
        var_files: Vec::new(),
    };
    let runtime = stack::runtime()?;
    let lookups = match how.destroy {
        true => stack::Lookups::WhereFound,
        false => stack::Lookups::Read,
    };
    let Some((stack, cloud)) = stack::evaluate_in_cloud(global, &dir, &vars, &runtime, lookups)? else {
        return Ok(ExitCode::from(1));
    };
    // Read before planning: children of external parents are found only
    // under them, also by a destroy.
    let external = external::parents(&stack);
    let verb = if how.destroy { "Destroying" } else { "Applying" };
    let account = stack::account(&runtime, &cloud)?;
    place::announce(
        verb,
        &stack.name,
        &place::describe(global, &dir, &stack.region, account.as_deref()),
    );
    let command = if how.destroy {
        "berth destroy"
    } else {
        "berth apply"
    };
    // Taken before reading the cloud, held until the end of the run.
    // From here a Ctrl-C stops the run in order, and the lock is released.
    let lock = cloud.lock(
        &runtime,
        &stack.name,
        command,
        global.lock_timeout,
        &dir,
        OnInterrupt::Finish,
    )?;
    let planned = if how.destroy {
        // Nothing is declared any more; the declarations only say which
        // live values are sensitive and which resources are protected.
        let planned =
            berth_planner::plan_destroy(&stack, plan::read_live(&runtime, &cloud, &stack, &external)?);
        plan::refused(&stack, &planned)?;
        planned
    } else {
        plan::make(&runtime, &cloud, &stack, &external)?
    };
    if let Some(saved) = &saved {
        saved
            .check(&planned.plan)
            .context("refusing to apply the saved plan")?;
    } else {
        stdout::print(&plan::render_plan(&planned, Format::Text))?;
    }
    if !planned.plan.has_changes() {
        if !how.destroy {
            // Nothing changes: the live resources the plan was made from.
            let live: Vec<Resource> = planned.steps.iter().filter_map(|s| s.live.clone()).collect();
            print_outputs(&stack, &live)?;
        }
        lock.release()?;
        return Ok(ExitCode::SUCCESS);
    }
    if saved.is_none() && !how.auto_approve && !confirm(&stack, how.destroy)? {
        say!("Apply cancelled.");
        return Ok(ExitCode::from(1));
    }
    if crate::interrupt::interrupted() {
        say!("Interrupted before any change: nothing was applied.");
        return Ok(ExitCode::from(crate::interrupt::EXIT_STATUS));
    }
    if !lock.still_held()? {
        anyhow::bail!(
            "the lock of stack {:?} was released by someone else (`berth unlock --force`) while this run waited: \
             nothing was applied; another run may be changing the stack, so plan again",
            stack.name
        );
    }
    let options = execute::Options {
        parallelism: how.parallelism,
        interrupt: Some(crate::interrupt::flag()),
        ..Default::default()
    };
    let report = runtime.block_on(execute::execute(
        &planned,
        cloud.provider(),
        options,
        &Progress::new(secret_texts(stack.secrets.values())),
    ))?;
    let mut code = summarise(
        &report,
        &planned.plan,
        how.destroy,
        &secret_texts(stack.secrets.values()),
    );
    if report.succeeded() && !how.destroy && (how.wait || !stack.outputs.is_empty()) {
        let live = plan::read_live(&runtime, &cloud, &stack, &external)?;
        if how.wait {
            let changed: Vec<_> = live
                .iter()
                .filter(|r| planned.plan.changes().any(|c| c.address == r.address))
                .cloned()
                .collect();
            // A Ctrl-C ends the wait at once, the lock released.
            match cloud.wait_unless_interrupted(&runtime, &changed, WAIT_TIMEOUT) {
                Some(waited) => waited?,
                None => {
                    say!(
                        "Interrupted while waiting for the services to be steady: the changes are applied, \
                         and ECS goes on deploying them (`berth apply --wait` waits again)."
                    );
                    code = ExitCode::from(crate::interrupt::EXIT_STATUS);
                }
            }
        }
        print_outputs(&stack, &live)?;
    }
    // Released before the figures, so that every call of the run is
    // counted.
    lock.release()?;
    if how.stats {
        plan::print_stats(&cloud);
    }
    Ok(code)
}

/// The stack's outputs, after a blank line, if it has any.
fn print_outputs(stack: &Stack, live: &[Resource]) -> std::io::Result<()> {
    let text = render::outputs_text(&outputs::values(stack, live));
    if text.is_empty() {
        return Ok(());
    }
    stdout::print(&format!("\n{text}"))
}

fn load_saved(path: &Path) -> anyhow::Result<SavedPlan> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not a berth plan file", path.display()))
}

/// Asks on the terminal; only `yes` goes ahead (as Terraform does).
fn confirm(stack: &Stack, destroy: bool) -> anyhow::Result<bool> {
    let what = if destroy {
        "destroy every resource of"
    } else {
        "perform these actions on"
    };
    say_inline!(
        "\nDo you want to {what} stack {:?}?\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ",
        stack.name
    );
    std::io::stderr().flush()?;
    let answer = crate::interrupt::read_line()?;
    Ok(answer.is_some_and(|a| a.trim() == "yes"))
}

/// Prints what was done, what failed (with the API error) and what was
/// skipped; exit 1 unless everything succeeded.
fn summarise(report: &Report, plan: &Plan, destroy: bool, secrets: &[String]) -> ExitCode {
    let mut counts: BTreeMap<OpKind, usize> = BTreeMap::new();
    for (op, _, _) in report.done() {
        // Rules added after a create or revoked before a delete are part
        // of that create or delete, as the plan counted them.
        let action = plan.resources.get(op.step).map(|r| r.action);
        if op.kind == OpKind::Revoke || (op.kind == OpKind::Update && action != Some(Action::Update)) {
            continue;
        }
        *counts.entry(op.kind).or_default() += 1;
    }
    let n = |k| counts.get(&k).copied().unwrap_or(0);
    let verb = if destroy { "Destroy" } else { "Apply" };
    let moved = match n(OpKind::Move) {
        0 => String::new(),
        m => format!(", {m} moved"),
    };
    if report.succeeded() {
        say!(
            "\n{verb} complete! Resources: {} added, {} changed, {} destroyed{moved}.",
            n(OpKind::Create),
            n(OpKind::Update),
            n(OpKind::Delete)
        );
        return ExitCode::SUCCESS;
    }
    let how = if report.not_started > 0 {
        "interrupted"
    } else {
        "failed"
    };
    say!(
        "\n{verb} {how}. Done: {} added, {} changed, {} destroyed{moved}.",
        n(OpKind::Create),
        n(OpKind::Update),
        n(OpKind::Delete)
    );
    if report.not_started > 0 {
        say!("  not started: {} operations", report.not_started);
    }
    for (_, address, outcome) in report.failed() {
        if let Outcome::Failed(e) = outcome {
            say!("  error: {address}: {}", redact_text(&e.to_string(), secrets));
        }
    }
    for (op, address, outcome) in report.skipped() {
        match outcome {
            Outcome::Skipped { because } if because == address && op.kind == OpKind::Delete => {
                say!("  kept: the old {address}, until its replacement is made");
            }
            Outcome::Skipped { because } if because == address => {
                say!("  not finished: {address}, whose create failed");
            }
            Outcome::Skipped { because } => {
                say!("  skipped: {address} (depends on {because}, which failed)")
            }
            _ => {}
        }
    }
    // An apply would make again what a destroy already deleted.
    match destroy {
        true => say!("Run `berth destroy` again to finish the job."),
        false => say!("Run `berth plan` to see what remains; `berth apply` finishes the job."),
    }
    ExitCode::from(if report.not_started > 0 {
        crate::interrupt::EXIT_STATUS
    } else {
        1
    })
}
