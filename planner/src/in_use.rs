//! Replacements AWS cannot carry out. A target group that keeps its fixed
//! `name` must be deleted before its successor is made (ELBv2 has one
//! target group of a name), and ELBv2 refuses to delete a target group a
//! listener forwards to (ResourceInUse) until that listener is gone. A
//! listener that stays and forwards to the successor cannot go first, so
//! such an apply would stop half-way, after the other changes before it.
//! The plan is refused instead, with the way out: a new name lets the
//! successor be made first.

use std::collections::BTreeSet;

use berth_lang::Stack;
use berth_provider::schema::ReplaceOrder;
use berth_provider::{Address, Kind};

use crate::implicit::forwarding_listeners;
use crate::plan::{Action, Plan};

/// One sentence per target group the plan replaces under a listener that
/// stays; empty when the plan can be carried out.
pub fn blocked_replacements(stack: &Stack, plan: &Plan) -> Vec<String> {
    let action_of = |a: &Address| plan.resources.iter().find(|r| &r.address == a).map(|r| r.action);
    plan.resources
        .iter()
        .filter(|r| {
            r.address.kind == Kind::TargetGroup && r.action == Action::Replace(ReplaceOrder::DestroyBeforeCreate)
        })
        .filter_map(|r| {
            let group = BTreeSet::from([&r.address]);
            // A listener replaced destroy-before-create (or deleted) is gone
            // before the group is deleted; any other blocks the delete.
            let staying: Vec<String> = forwarding_listeners(stack, &group)
                .into_iter()
                .filter(|l| {
                    !matches!(
                        action_of(l),
                        Some(Action::Delete | Action::Replace(ReplaceOrder::DestroyBeforeCreate))
                    )
                })
                .map(|l| l.to_string())
                .collect();
            if staying.is_empty() {
                return None;
            }
            let forced: Vec<&str> = r.forcing_replacement().collect();
            Some(format!(
                "{group} must be replaced ({forced} cannot change in place) and keeps its `name`, so the old \
                 target group would be deleted before its successor is made, which ELBv2 refuses while {staying} \
                 forwards to it (ResourceInUse). Give {group} a new `name` in this change (or leave `name` out), \
                 so that its successor is made first.",
                group = r.address,
                forced = forced.join(", "),
                staying = staying.join(" and "),
            ))
        })
        .collect()
}
