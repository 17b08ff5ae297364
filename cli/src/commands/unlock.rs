//! `berth unlock [DIR] [--force]`: releases a stack's lock left behind by a
//! run that died. Without `--force`, only a lock whose holder is known to be
//! gone (silent for [`lock::STALE_AFTER`], or a process of this host that
//! has ended): a live run's lock is never taken from it by accident.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use berth_planner::lock;

use super::stack;
use crate::args::{Global, Vars};

pub fn run(global: &Global, dir: &Path, vars: &Vars, force: bool) -> anyhow::Result<ExitCode> {
    let runtime = stack::runtime()?;
    // The local cloud's lock is its open file: opening it fails, naming the
    // holder, while another process holds it.
    let Some((stack, cloud)) =
        stack::evaluate_in_cloud(global, dir, vars, &runtime, stack::Lookups::Placeholders)?
    else {
        return Ok(ExitCode::from(1));
    };
    let provider = cloud.provider();
    let holder = runtime
        .block_on(provider.read_lock(&stack.name))
        .with_context(|| format!("cannot read the lock of stack {:?}", stack.name))?;
    let Some(holder) = holder else {
        println!("Stack {:?} is not locked.", stack.name);
        return Ok(ExitCode::SUCCESS);
    };
    let described = lock::describe(&holder);
    if !force && !lock::is_dead(&holder) {
        say!(
            "error: stack {:?} is locked by {described}: that run looks alive.\n  \
             Wait for it; `berth unlock --force` releases the lock anyway (only if you know that run is gone).",
            stack.name
        );
        return Ok(ExitCode::from(1));
    }
    runtime
        .block_on(provider.release_lock(&stack.name, &holder))
        .with_context(|| format!("cannot release the lock of stack {:?}", stack.name))?;
    println!("Released the lock of stack {:?} held by {described}.", stack.name);
    Ok(ExitCode::SUCCESS)
}
