//! `berth import ADDRESS ID [DIR]`: adopts a live resource made outside
//! berth (the console, CloudFormation, Terraform) into the stack, by
//! tagging it with `berth:stack` and `berth:address`. It refuses what the
//! next apply would replace, what another stack or address owns, and an
//! address the stack already has a live resource at; `--dry-run` says what
//! it would tag and changes nothing.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use berth_lang::DesiredResource;
use berth_planner::render::{self, RenderOptions};
use berth_planner::{Action, Plan, external, plan};
use berth_provider::adopt::{Found, adoption_tags, label_rules, read_call, unreported};
use berth_provider::{Address, Kind, Resource, Value};

use super::{plan as planning, stack};
use crate::args::{Global, Vars};
use crate::cloud::StackLock;
use crate::{place, stdout};

/// What to adopt, and where.
pub struct Adopt<'a> {
    pub address: &'a str,
    pub id: &'a str,
    pub dir: &'a Path,
    pub vars: &'a Vars,
    pub dry_run: bool,
}

pub fn run(global: &Global, what: &Adopt<'_>) -> anyhow::Result<ExitCode> {
    let address: Address = what
        .address
        .parse()
        .with_context(|| format!("{:?} is not an address such as vpc.main", what.address))?;
    let runtime = stack::runtime()?;
    let Some((stack, cloud)) =
        stack::evaluate_in_cloud(global, what.dir, what.vars, &runtime, stack::Lookups::Read)?
    else {
        return Ok(ExitCode::from(1));
    };
    let Some(declared) = stack.resource(&address) else {
        let mut known: Vec<String> = stack.resources.iter().map(|r| r.address.to_string()).collect();
        known.sort();
        bail!(
            "the stack in {} has no block at {address}; its addresses: {}",
            what.dir.display(),
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        );
    };
    let kind = address.kind;
    let account = stack::account(&runtime, &cloud)?;
    let verb = if what.dry_run {
        "Checking an import into"
    } else {
        "Importing into"
    };
    place::announce(
        verb,
        &stack.name,
        &place::describe(global, what.dir, &stack.region, account.as_deref()),
    );
    // Like apply: no other run changes the stack between the checks and
    // the tagging. A dry run changes nothing and reads as a plan does.
    let lock = if what.dry_run {
        None
    } else {
        Some(cloud.lock(
            &runtime,
            &stack.name,
            "berth import",
            global.lock_timeout,
            what.dir,
            crate::interrupt::OnInterrupt::Release,
        )?)
    };
    let external = external::parents(&stack);
    let live = planning::read_live(&runtime, &cloud, &stack, &external)?;
    if let Some(there) = live.iter().find(|r| r.address == address) {
        bail!(
            "stack {:?} already has a live resource at {address} ({}): destroy it or choose another address",
            stack.name,
            identity(kind, there)
        );
    }
    let mut found = runtime
        .block_on(cloud.provider().read_one(&address, what.id))
        .with_context(|| format!("cannot read {kind} {:?}", what.id))?
        .with_context(|| format!("{} found no {kind} {:?}", read_call(kind), what.id))?;
    refuse_owned(&found, what.id, &stack.name, &address)?;
    label_rules(&mut found.resource.attrs, &declared_rules(declared));
    let change = only(&plan(&stack, with(&live, &found.resource)).plan, &address);
    let change = if settle_unreported(&mut found.resource, &change) {
        only(&plan(&stack, with(&live, &found.resource)).plan, &address)
    } else {
        change
    };
    let diff = render::text(
        &change,
        &RenderOptions {
            color: crate::color::stdout(),
        },
    );
    if let Some(forced) = replaced(&change) {
        say_inline!("{diff}");
        bail!(
            "{kind} {:?} does not match {address}: the next apply would replace it ({} cannot change in place). \
             Make the block say what the resource has, or adopt what it references first.",
            what.id,
            forced.join(", ")
        );
    }
    let tags = adoption_tags(&stack.name, &address)
        .into_iter()
        .map(|(k, v)| format!("{k} = {v:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    if what.dry_run {
        stdout::print(&format!("Would tag {kind} {:?} with {tags}.\n", what.id))?;
    } else {
        runtime
            .block_on(cloud.provider().adopt(&stack.name, &found.resource))
            .with_context(|| format!("cannot tag {kind} {:?}", what.id))?;
        stdout::print(&format!(
            "Adopted {kind} {:?} as {address}: tagged {tags}.\n",
            what.id
        ))?;
    }
    if change.has_changes() {
        stdout::print(&format!("The next plan shows these differences:\n\n{diff}"))?;
    } else {
        stdout::print(&format!("The next plan shows no change for {address}.\n"))?;
    }
    lock.map(StackLock::release).transpose()?;
    Ok(ExitCode::SUCCESS)
}

/// Refuses a resource that carries another stack's or another address's
/// tags: adopting it would take it from its owner.
fn refuse_owned(found: &Found, id: &str, stack: &str, address: &Address) -> anyhow::Result<()> {
    let Some(owner) = &found.owner else {
        return Ok(());
    };
    let mut whose = Vec::new();
    if let Some(s) = &owner.stack {
        whose.push(format!("berth:stack = {s:?}"));
    }
    if let Some(a) = &owner.address {
        whose.push(format!("berth:address = {a:?}"));
    }
    let same =
        owner.stack.as_deref() == Some(stack) && owner.address.as_deref() == Some(&address.to_string());
    if same {
        // Read by the stack already unless its kind or address differs.
        bail!("{id:?} already carries {}: it is the stack's", whose.join(", "));
    }
    bail!(
        "{id:?} already belongs to berth ({}): remove those tags first if it is to move to {stack:?} at {address}",
        whose.join(", ")
    )
}

/// The live resources with `found` among them.
fn with(live: &[Resource], found: &Resource) -> Vec<Resource> {
    let mut all = live.to_vec();
    all.push(found.clone());
    all
}

/// The labels of the rules the block declares, by priority (a listener's
/// rules made outside berth take them: see [`label_rules`]).
fn declared_rules(declared: &DesiredResource) -> BTreeMap<i64, String> {
    declared
        .body
        .blocks("rule")
        .iter()
        .filter_map(|rule| {
            let priority = rule.body.known("priority")?.as_int()?;
            Some((priority, rule.label.as_ref()?.node.clone()))
        })
        .collect()
}

/// Takes from the block, into `found`, what the cloud does not report of
/// a resource made outside berth ([`unreported`]) and `change` (the plan
/// of `found`) knows; whether there was any.
fn settle_unreported(found: &mut Resource, change: &Plan) -> bool {
    let Some(planned) = change.resources.first() else {
        return false;
    };
    let mut settled = false;
    for name in unreported(found.address.kind) {
        let missing = found.attrs.get(*name).is_none_or(|v| *v == Value::Null);
        let after = planned
            .changes
            .iter()
            .find(|c| c.name == *name)
            .and_then(|c| c.after.clone())
            .filter(|v| !v.has_unknown());
        if let (true, Some(value)) = (missing, after) {
            found.attrs.insert((*name).to_owned(), value);
            settled = true;
        }
    }
    settled
}

/// The plan for `address` alone: what the next plan says of it.
fn only(plan: &Plan, address: &Address) -> Plan {
    let mut one = plan.clone();
    one.resources.retain(|r| &r.address == address);
    one.outputs.clear();
    one
}

/// The attributes forcing a replacement, when the plan replaces.
fn replaced(plan: &Plan) -> Option<Vec<String>> {
    let change = plan.resources.first()?;
    matches!(change.action, Action::Replace(_))
        .then(|| change.forcing_replacement().map(str::to_owned).collect())
}

/// The id of a live resource, as its kind's schema names it.
fn identity(kind: Kind, live: &berth_provider::Resource) -> String {
    berth_provider::attrs::str_of(&live.attrs, kind.schema().identity)
        .unwrap_or_default()
        .to_owned()
}
