//! Plan renderings: terminal [`text`] (Terraform-like, optionally
//! coloured), [`markdown`] for pull requests and versioned [`json`] for
//! machines (documented in `docs/plan-json.md`).
//!
//! Renderers print what the plan holds. Sensitive values arrive masked as
//! `(sensitive)` / `(sensitive, changed)` and print as such; attributes
//! flagged sensitive are masked once more here, and show only their new
//! placeholder, so a secret cannot reach any rendering.

mod json;
mod lines;
mod markdown;
mod outputs;
mod text;
mod value;

use berth_provider::Address;
use berth_provider::schema::ReplaceOrder;

use crate::plan::{Action, Plan};

pub use json::{FORMAT_VERSION, json};
pub use markdown::{DEFAULT_MAX_CHARS, MarkdownOptions, markdown, markdown_failure, markdown_with};
pub use outputs::{outputs_json, outputs_text};
pub use text::text;

/// How to render terminal text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// Colour symbols with ANSI escapes (green `+`, red `-`, yellow `~`):
    /// for a terminal, not for files or pipes.
    pub color: bool,
}

/// `1 to add, 2 to change, 0 to destroy`.
fn counts(plan: &Plan) -> String {
    let s = plan.summary();
    let counts = format!(
        "{} to add, {} to change, {} to destroy",
        s.add, s.change, s.destroy
    );
    match s.moved {
        0 => counts,
        n => format!("{counts}, {n} to move"),
    }
}

/// `Changes to Outputs:` lines, Terraform-like: `+ url = (known after
/// apply)` for an output that reads a resource not there yet, `~ url = old
/// -> new` for one that changes; each with what it shows happening.
fn output_lines(plan: &Plan) -> Vec<(lines::Mark, String)> {
    let width = plan.outputs.iter().map(|o| o.name.len()).max().unwrap_or(0);
    plan.outputs
        .iter()
        .map(|o| match &o.before {
            None => (
                lines::Mark::Add,
                format!("  + {:<width$} = {}", o.name, value::inline(&o.after)),
            ),
            Some(before) => (
                lines::Mark::Change,
                format!(
                    "  ~ {:<width$} = {} -> {}",
                    o.name,
                    value::inline(before),
                    value::inline(&o.after)
                ),
            ),
        })
        .collect()
}

/// The symbol a resource's header line starts with.
fn symbol(action: Action) -> &'static str {
    match action {
        Action::NoOp => " ",
        Action::Create => "+",
        Action::Update => "~",
        Action::Replace(ReplaceOrder::DestroyBeforeCreate) => "-/+",
        Action::Replace(ReplaceOrder::CreateBeforeDestroy) => "+/-",
        Action::Delete => "-",
    }
}

/// What happens to the resource, completing "`address` ...".
/// What happens to `rc`, after its address: `will be updated in place`,
/// `has moved from subnet.a`, `will be updated in place (moved from
/// subnet.a)`.
fn heading(rc: &crate::plan::ResourceChange) -> String {
    let phrase = |action| phrase(rc.address.kind, action);
    match (&rc.moved_from, rc.action) {
        (None, action) => phrase(action).to_owned(),
        (Some(from), Action::NoOp) => format!("has moved from {from}"),
        (Some(from), action) => format!("{} (moved from {from})", phrase(action)),
    }
}

/// What letting go of a part AWS made with its VPC keeps: the plan shows
/// its settings unmarked, as they stay.
fn let_go_note(rc: &crate::plan::ResourceChange) -> Option<&'static str> {
    if rc.action != Action::Delete || !rc.address.kind.taken_over() {
        return None;
    }
    Some(match rc.address.kind {
        berth_provider::Kind::DefaultSecurityGroup => {
            "berth's tags go; its rules stay, except those naming other groups (revoked, so those groups can be deleted)"
        }
        berth_provider::Kind::DefaultRouteTable => "berth's tags go; its routes stay",
        _ => "berth's tags go; its entries stay",
    })
}

fn phrase(kind: berth_provider::Kind, action: Action) -> &'static str {
    match action {
        Action::Create if kind.taken_over() => "will be taken over (AWS made it with its VPC)",
        Action::Delete if kind.taken_over() => "will be let go (AWS deletes it with its VPC)",
        Action::NoOp => "is unchanged",
        Action::Create => "will be created",
        Action::Update => "will be updated in place",
        Action::Replace(ReplaceOrder::CreateBeforeDestroy) => "must be replaced (create before destroy)",
        Action::Replace(ReplaceOrder::DestroyBeforeCreate) => "must be replaced (destroy before create)",
        Action::Delete => "will be destroyed",
    }
}

/// What the plan says about a duplicate it deletes: both copies and why
/// the other stays.
fn duplicate_note(address: &berth_provider::Address, d: &crate::plan::Duplicate) -> String {
    use crate::plan::KeepReason;
    let when = |t: &Option<String>| match t {
        Some(t) => format!("created {t}"),
        None => "creation time unknown".to_owned(),
    };
    let why = match &d.reason {
        KeepReason::UsedBy { address } => format!("used by {address}"),
        KeepReason::FinishesReplacement { used_by, .. } => {
            format!("as configured; finishes the replacement of the copy {used_by} uses")
        }
        KeepReason::Oldest => "the oldest".to_owned(),
        KeepReason::ClosestToConfiguration => "closest to the configuration".to_owned(),
    };
    format!(
        "duplicate: two live resources carry {address}; deletes {} ({}), keeps {} ({}, {why})",
        d.id,
        when(&d.created),
        d.kept_id,
        when(&d.kept_created),
    )
}

/// A short name for the action: `create`, `update in place`, `replace
/// (create before destroy)`, `destroy`.
fn action_label(action: Action) -> &'static str {
    match action {
        Action::NoOp => "no change",
        Action::Create => "create",
        Action::Update => "update in place",
        Action::Replace(ReplaceOrder::CreateBeforeDestroy) => "replace, create before destroy",
        Action::Replace(ReplaceOrder::DestroyBeforeCreate) => "replace, destroy before create",
        Action::Delete => "destroy",
    }
}

/// The resource as its header line names it: `service "login"`, or
/// `subnet "public" ["us-east-1a"]` for one instance of a `for_each`.
fn title(address: &Address) -> String {
    let mut out = format!("{} {}", address.kind, value::quote(&address.name));
    if let Some(key) = &address.key {
        out.push_str(&format!(" [{}]", value::quote(key)));
    }
    out
}
