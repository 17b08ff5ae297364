//! Orders a plan's operations on a DAG: creates and updates after what they
//! reference, deletes after whatever still points at the deleted resource,
//! and replacements create-before-destroy or destroy-before-create as the
//! kind allows.

use std::collections::BTreeMap;

use berth_provider::schema::ReplaceOrder;
use berth_provider::{Address, Resource, Value};
use petgraph::graphmap::DiGraphMap;

use crate::diff::Step;
use crate::plan::Action;

/// One call to the provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Op {
    /// Index of the step (and of the plan's resource change).
    pub step: usize,
    pub kind: OpKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OpKind {
    Create,
    Update,
    Delete,
}

/// The operations of a plan and what each must wait for.
#[derive(Debug)]
pub struct Schedule {
    pub graph: DiGraphMap<Op, ()>,
}

/// A dependency cycle among operations: a bug in the planner, reported
/// instead of deadlocking.
#[derive(Debug, thiserror::Error)]
#[error("the operations of this plan depend on each other in a cycle (at {0})")]
pub struct CycleError(pub Address);

/// The operations one step needs, in the order they run.
pub fn ops_of(step: usize, action: Action) -> Vec<Op> {
    let op = |kind| Op { step, kind };
    match action {
        Action::NoOp => vec![],
        Action::Create => vec![op(OpKind::Create)],
        Action::Update => vec![op(OpKind::Update)],
        Action::Delete => vec![op(OpKind::Delete)],
        Action::Replace(ReplaceOrder::CreateBeforeDestroy) => vec![op(OpKind::Create), op(OpKind::Delete)],
        Action::Replace(ReplaceOrder::DestroyBeforeCreate) => vec![op(OpKind::Delete), op(OpKind::Create)],
    }
}

/// Builds the operation graph of `steps`.
pub fn schedule(steps: &[Step]) -> Result<Schedule, CycleError> {
    let mut graph: DiGraphMap<Op, ()> = DiGraphMap::new();
    let by_address: BTreeMap<&Address, usize> = steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.desired.is_some())
        .map(|(i, s)| (&s.address, i))
        .collect();
    // The operation after which a step's new state exists.
    let ready_op = |i: usize| {
        ops_of(i, steps[i].action)
            .into_iter()
            .find(|o| o.kind != OpKind::Delete)
    };

    for (i, step) in steps.iter().enumerate() {
        let ops = ops_of(i, step.action);
        for op in &ops {
            graph.add_node(*op);
        }
        for pair in ops.windows(2) {
            graph.add_edge(pair[0], pair[1], ());
        }
        // Creates and updates wait for what they reference.
        for op in ops.iter().filter(|o| o.kind != OpKind::Delete) {
            for dep in &step.depends_on {
                if let Some(before) = by_address.get(dep).and_then(|d| ready_op(*d)) {
                    graph.add_edge(before, *op, ());
                }
            }
        }
    }
    // A live resource is deleted only after whatever points at it has been
    // deleted or moved off it.
    for (i, step) in steps.iter().enumerate() {
        let Some(delete) = ops_of(i, step.action)
            .into_iter()
            .find(|o| o.kind == OpKind::Delete)
        else {
            continue;
        };
        let Some(target) = &step.live else { continue };
        let names = identities(target);
        for (j, other) in steps.iter().enumerate() {
            if i == j
                || !other
                    .live
                    .as_ref()
                    .is_some_and(|l| refers_to(&Value::Map(l.attrs.clone()), &names))
            {
                continue;
            }
            for op in ops_of(j, other.action) {
                let moves_off = op.kind != OpKind::Delete;
                // A destroy-before-create replacement cannot wait for
                // dependents that need its successor first.
                if moves_off && step.action == Action::Replace(ReplaceOrder::DestroyBeforeCreate) {
                    continue;
                }
                if !graph.contains_edge(delete, op) {
                    graph.add_edge(op, delete, ());
                }
            }
        }
    }
    if let Err(cycle) = petgraph::algo::toposort(&graph, None) {
        return Err(CycleError(steps[cycle.node_id().step].address.clone()));
    }
    Ok(Schedule { graph })
}

/// The values other resources use to point at this one.
fn identities(r: &Resource) -> Vec<&str> {
    ["id", "arn", "name"]
        .iter()
        .filter_map(|k| r.attrs.get(*k).and_then(Value::as_str))
        .collect()
}

fn refers_to(v: &Value, names: &[&str]) -> bool {
    match v {
        Value::String(s) => names.contains(&s.as_str()),
        Value::List(items) => items.iter().any(|i| refers_to(i, names)),
        Value::Map(m) => m.values().any(|i| refers_to(i, names)),
        _ => false,
    }
}
