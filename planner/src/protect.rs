//! `prevent_destroy = true` (Terraform's `lifecycle { prevent_destroy }`):
//! a plan that would delete or replace such a resource is refused before
//! any change, with the way out. Like Terraform's, the guard is in the
//! configuration: a block removed from it no longer protects anything.

use berth_lang::Stack;

use crate::plan::{Action, Plan};

/// One sentence per protected resource the plan would destroy; empty when
/// it destroys none.
pub fn protected_destroys(stack: &Stack, plan: &Plan) -> Vec<String> {
    plan.resources
        .iter()
        .filter(|r| matches!(r.action, Action::Delete | Action::Replace(_)))
        .filter(|r| stack.resource(&r.address).is_some_and(|d| d.prevent_destroy))
        .map(|r| {
            let why = match r.action {
                Action::Delete => "delete it".to_owned(),
                _ => {
                    let forced: Vec<&str> = r.forcing_replacement().collect();
                    format!("replace it ({} cannot change in place)", forced.join(", "))
                }
            };
            format!(
                "{} has `prevent_destroy = true`, and this plan would {why}. Keep it (undo the change), \
                 or first apply `prevent_destroy = false` if it is to go.",
                r.address
            )
        })
        .collect()
}
