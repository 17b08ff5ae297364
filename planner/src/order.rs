//! Orders a plan's operations on a DAG: creates and updates after what they
//! reference, deletes after whatever still points at the deleted resource,
//! and replacements create-before-destroy or destroy-before-create as the
//! kind allows.

use std::collections::{BTreeMap, BTreeSet};

use berth_lang::DesiredValue;
use berth_provider::schema::{Block, ReplaceOrder, Type};
use berth_provider::{Address, Attrs, Kind, Resource, Value};
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
    /// Tags a live resource with the address a `moved` block gives it,
    /// before anything else of its step.
    Move,
    Create,
    Update,
    /// Revokes a security group's rules that name groups, before it is
    /// deleted (with groups that allow it back, AWS refuses the deletes).
    Revoke,
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

/// Resources `step` refers to without depending on them: groups its
/// rules allow that refer back to it (the groups allow each other), a
/// topic its policy names that delivers to it. Their ids may not exist
/// when it is created, so those rules and settings come in a follow-up
/// update.
pub fn late_refs(step: &Step) -> BTreeSet<Address> {
    let Some(desired) = &step.desired else {
        return BTreeSet::new();
    };
    desired
        .refs()
        .into_iter()
        .map(|r| r.address.clone())
        .filter(|a| *a != step.address && !step.depends_on.contains(a))
        .collect()
}

/// Whether the step's resource gets a new identity (created or replaced).
fn is_new(action: Action) -> bool {
    matches!(action, Action::Create | Action::Replace(_))
}

/// The operations of every step: [`ops_of`], plus an update after the
/// create of a step with [`late_refs`] (its rules naming groups created
/// alongside), and a revoke of the rules of a deleted group that
/// allows another deleted group allowing it back (AWS refuses to delete a
/// group another group's rule names).
pub fn step_ops(steps: &[Step]) -> Vec<Vec<Op>> {
    let revokes = revoking_deletes(steps);
    steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let mut ops = ops_of(i, step.action);
            if is_new(step.action) && !late_refs(step).is_empty() {
                let at = ops
                    .iter()
                    .position(|o| o.kind == OpKind::Create)
                    .map_or(ops.len(), |p| p + 1);
                ops.insert(
                    at,
                    Op {
                        step: i,
                        kind: OpKind::Update,
                    },
                );
            }
            if step.moved_from.is_some() {
                ops.insert(
                    0,
                    Op {
                        step: i,
                        kind: OpKind::Move,
                    },
                );
            }
            if revokes.contains(&i) {
                let at = ops.iter().position(|o| o.kind == OpKind::Delete).unwrap_or(0);
                ops.insert(
                    at,
                    Op {
                        step: i,
                        kind: OpKind::Revoke,
                    },
                );
            }
            ops
        })
        .collect()
}

/// Deleted (or replaced) security groups in a cycle of rules naming each
/// other: each revokes its rules before any of them is deleted.
fn revoking_deletes(steps: &[Step]) -> BTreeSet<usize> {
    let deleted: Vec<usize> = steps
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            matches!(s.action, Action::Delete | Action::Replace(_))
                && s.address.kind.stands_for() == Kind::SecurityGroup
                && s.live.is_some()
        })
        .map(|(i, _)| i)
        .collect();
    let mut graph: DiGraphMap<usize, ()> = DiGraphMap::new();
    for &i in &deleted {
        graph.add_node(i);
        let Some(live) = &steps[i].live else { continue };
        for &j in &deleted {
            let Some(target) = &steps[j].live else { continue };
            if i != j && points_at(live, target) {
                graph.add_edge(i, j, ());
            }
        }
    }
    petgraph::algo::tarjan_scc(&graph)
        .into_iter()
        .filter(|scc| scc.len() > 1)
        .flatten()
        .collect()
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
    let all_ops = step_ops(steps);
    // The operation after which a step's new state exists.
    let ready_op = |i: usize| {
        all_ops[i]
            .iter()
            .copied()
            .find(|o| !matches!(o.kind, OpKind::Delete | OpKind::Move))
    };
    let op_of = |i: usize, kind: OpKind| all_ops[i].iter().copied().find(|o| o.kind == kind);

    for (i, step) in steps.iter().enumerate() {
        let ops = &all_ops[i];
        for op in ops {
            graph.add_node(*op);
        }
        for pair in ops.windows(2) {
            graph.add_edge(pair[0], pair[1], ());
        }
        // Creates and updates wait for what they reference; not for the
        // update of a live resource that refers back to them late (a live
        // queue whose policy will name this new topic): what they read of
        // it exists, and that update waits for them.
        for op in ops
            .iter()
            .filter(|o| !matches!(o.kind, OpKind::Delete | OpKind::Move))
        {
            for dep in &step.depends_on {
                let Some(&d) = by_address.get(dep) else { continue };
                if !is_new(steps[d].action) && late_refs(&steps[d]).contains(&step.address) {
                    continue;
                }
                if let Some(before) = ready_op(d) {
                    graph.add_edge(before, *op, ());
                }
            }
        }
        // Rules naming groups that refer back wait, in an update, for those
        // groups' new ids.
        for op in ops.iter().filter(|o| o.kind == OpKind::Update) {
            for peer in late_refs(step) {
                let Some(&d) = by_address.get(&peer) else { continue };
                if is_new(steps[d].action)
                    && let Some(before) = op_of(d, OpKind::Create)
                {
                    graph.add_edge(before, *op, ());
                }
            }
        }
    }
    // A live resource is deleted only after whatever points at it has been
    // deleted or moved off it.
    for (i, step) in steps.iter().enumerate() {
        let Some(delete) = op_of(i, OpKind::Delete) else {
            continue;
        };
        let Some(target) = &step.live else { continue };
        for (j, other) in steps.iter().enumerate() {
            if i == j || !other.live.as_ref().is_some_and(|l| points_at(l, target)) {
                continue;
            }
            // An alarm names what it watches and triggers as text: AWS
            // deletes a service and its scaling policies while an alarm
            // still names them, and the alarm's update to a successor waits
            // for that successor (a service swapped for another of its
            // name, which is made only once the old one is gone).
            if other.address.kind.stands_for() == Kind::MetricAlarm {
                continue;
            }
            // A group that revokes its rules first is off this group then
            // (groups name groups only in rules).
            let revokes = all_ops[j].iter().any(|o| o.kind == OpKind::Revoke)
                && step.address.kind.stands_for() == Kind::SecurityGroup;
            for op in all_ops[j].iter().copied() {
                let moves_off = op.kind != OpKind::Delete;
                if revokes && !moves_off {
                    continue;
                }
                // A destroy-before-create replacement cannot wait for
                // dependents that need its successor first.
                if moves_off && step.action == Action::Replace(ReplaceOrder::DestroyBeforeCreate) {
                    continue;
                }
                // AWS lets a log group or role go while task definitions
                // still name them (a NAT gateway while routes do); replaced,
                // they need not wait for their dependents' old revisions
                // (which wait for the successor): a NAT gateway keeps its
                // Elastic IP, so it goes first even when its VPC is replaced.
                if step.action == Action::Replace(ReplaceOrder::DestroyBeforeCreate)
                    && deleted_while_named(step.address.kind)
                {
                    continue;
                }
                if !graph.contains_edge(delete, op) {
                    graph.add_edge(op, delete, ());
                }
            }
        }
    }
    // A resource moved to another address that keeps its AWS name: AWS
    // holds one of a name in its scope (a service's and a cluster's ARN is
    // their name), so the old one goes before the new one is made. Made
    // first, the new one fails (a role, a log group, a service) or is the
    // old one answered again (CreateCluster, CreateTargetGroup) and then
    // deleted with it.
    let mut creates_by_name: BTreeMap<(Kind, &str), Vec<Op>> = BTreeMap::new();
    for (j, new) in steps.iter().enumerate() {
        if new.action != Action::Create {
            continue;
        }
        if let (Some(name), Some(create)) = (
            new.desired.as_ref().and_then(desired_name),
            op_of(j, OpKind::Create),
        ) {
            creates_by_name
                .entry((new.address.kind, name))
                .or_default()
                .push(create);
        }
    }
    for (i, old) in steps.iter().enumerate() {
        let Some(name) = old
            .live
            .as_ref()
            .and_then(|l| l.attrs.get("name"))
            .and_then(Value::as_str)
        else {
            continue;
        };
        let (Some(delete), Some(creates)) = (
            op_of(i, OpKind::Delete),
            creates_by_name.get(&(old.address.kind, name)),
        ) else {
            continue;
        };
        for &create in creates {
            if !petgraph::algo::has_path_connecting(&graph, create, delete, None) {
                graph.add_edge(delete, create, ());
            }
        }
    }
    // AWS detaches an internet gateway only once its VPC has no mapped
    // public address: without this edge the detach is retried until the
    // retries give up whenever such a delete fails (deletion protection).
    // Not where the gateway's replacement must exist before the holder's
    // (a VPC replaced with all it holds): the edge would close a cycle, and
    // the detach's retries cover that case.
    for (gateway, holder) in public_addresses(steps) {
        if let (Some(before), Some(after)) = (op_of(holder, OpKind::Delete), op_of(gateway, OpKind::Delete))
            && !petgraph::algo::has_path_connecting(&graph, after, before, None)
        {
            graph.add_edge(before, after, ());
        }
    }
    // ELB holds a priority once in a listener: a rule given one another
    // rule of the listener gives up in this plan (moved by an update, or
    // deleted) is made or moved after it (navjot's rules numbered by their
    // keys' sorted position, a key added before the others). A swap stays
    // a cycle left out: the apply's PriorityInUse says it.
    for (holder, taker) in priorities_given_up(steps, &by_address) {
        let before = op_of(holder, OpKind::Update).or_else(|| op_of(holder, OpKind::Delete));
        let after = op_of(taker, OpKind::Create).or_else(|| op_of(taker, OpKind::Update));
        if let (Some(before), Some(after)) = (before, after)
            && !petgraph::algo::has_path_connecting(&graph, after, before, None)
        {
            graph.add_edge(before, after, ());
        }
    }
    if let Err(cycle) = petgraph::algo::toposort(&graph, None) {
        return Err(CycleError(steps[cycle.node_id().step].address.clone()));
    }
    Ok(Schedule { graph })
}

/// Pairs of (a live listener rule giving up its priority, a rule taking
/// it on the same listener), by step index.
fn priorities_given_up(steps: &[Step], by_address: &BTreeMap<&Address, usize>) -> Vec<(usize, usize)> {
    let rule = |s: &Step| s.address.kind == Kind::ListenerRule;
    let desired = |s: &Step, attr: &str| match s.desired.as_ref()? {
        DesiredValue::Map(attrs) => attrs.get(attr).cloned(),
        DesiredValue::Known(Value::Map(attrs)) => attrs.get(attr).cloned().map(DesiredValue::Known),
        _ => None,
    };
    let live = |s: &Step, attr: &str| s.live.as_ref()?.attrs.get(attr).cloned();
    // The ARN of the listener a rule is to be on: written, or the live
    // one of the stack's listener it names.
    let listener_arn = |s: &Step| match desired(s, "listener")? {
        DesiredValue::Known(Value::String(arn)) => Some(arn),
        DesiredValue::Ref(r) => by_address
            .get(&r.address)
            .and_then(|&i| live(&steps[i], "arn"))
            .and_then(|v| v.as_str().map(str::to_owned)),
        _ => None,
    };
    let mut pairs = Vec::new();
    for (t, taker) in steps.iter().enumerate() {
        if !rule(taker) || !matches!(taker.action, Action::Create | Action::Update) {
            continue;
        }
        let (Some(DesiredValue::Known(wanted)), Some(listener)) =
            (desired(taker, "priority"), listener_arn(taker))
        else {
            continue;
        };
        for (h, holder) in steps.iter().enumerate() {
            let gives_up = match holder.action {
                Action::Delete => true,
                Action::Update => desired(holder, "priority") != Some(DesiredValue::Known(wanted.clone())),
                _ => false,
            };
            if h != t
                && rule(holder)
                && gives_up
                && live(holder, "priority").as_ref() == Some(&wanted)
                && live(holder, "listener")
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .as_ref()
                    == Some(&listener)
            {
                pairs.push((h, t));
            }
        }
    }
    pairs
}

/// The `name` a declared resource asks for, when known before apply.
fn desired_name(desired: &DesiredValue) -> Option<&str> {
    match desired {
        DesiredValue::Known(Value::Map(attrs)) => attrs.get("name")?.as_str(),
        DesiredValue::Map(attrs) => match attrs.get("name")? {
            DesiredValue::Known(value) => value.as_str(),
            _ => None,
        },
        _ => None,
    }
}

/// Pairs of (internet gateway, live resource holding a public address in
/// its VPC: an internet-facing load balancer, a NAT gateway, a service
/// whose tasks get public IPs), by step index.
fn public_addresses(steps: &[Step]) -> Vec<(usize, usize)> {
    fn live(s: &Step) -> Option<&Attrs> {
        s.live.as_ref().map(|r| &r.attrs)
    }
    let subnet_vpcs: BTreeMap<&str, &str> = steps
        .iter()
        .filter(|s| s.address.kind == Kind::Subnet)
        .filter_map(|s| {
            let a = live(s)?;
            Some((a.get("id")?.as_str()?, a.get("vpc")?.as_str()?))
        })
        .collect();
    let vpcs_of = |a: &Attrs| -> BTreeSet<&str> {
        let subnets = match (a.get("subnets"), a.get("subnet")) {
            (Some(Value::List(list)), _) => list.iter().filter_map(Value::as_str).collect(),
            (_, Some(Value::String(one))) => vec![one.as_str()],
            _ => Vec::new(),
        };
        subnets
            .iter()
            .filter_map(|s| subnet_vpcs.get(s).copied())
            .collect()
    };
    let public = |s: &Step| {
        let a = live(s)?;
        let flag = |name: &str| a.get(name).and_then(Value::as_bool);
        let holds = match s.address.kind {
            Kind::LoadBalancer => flag("internal") != Some(true),
            Kind::NatGateway => true,
            Kind::Service => flag("public_ip") == Some(true),
            _ => false,
        };
        holds.then(|| vpcs_of(a))
    };
    let holders: Vec<(usize, BTreeSet<&str>)> = steps
        .iter()
        .enumerate()
        .filter_map(|(i, s)| Some((i, public(s)?)))
        .collect();
    let mut pairs = Vec::new();
    for (g, step) in steps.iter().enumerate() {
        if step.address.kind != Kind::InternetGateway {
            continue;
        }
        let Some(vpc) = live(step).and_then(|a| a.get("vpc")).and_then(Value::as_str) else {
            continue;
        };
        pairs.extend(
            holders
                .iter()
                .filter(|(_, vpcs)| vpcs.contains(vpc))
                .map(|(h, _)| (g, *h)),
        );
    }
    pairs
}

/// Kinds AWS deletes even while other resources name them (nothing checks
/// a task definition's log group, roles, image repository or secrets'
/// parameters, nor a service's deployment alarms; a route to a deleted NAT
/// gateway turns into a blackhole).
fn deleted_while_named(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::LogGroup
            | Kind::Role
            | Kind::EcrRepository
            | Kind::NatGateway
            | Kind::SsmParameter
            | Kind::MetricAlarm
            | Kind::Secret
    )
}

/// The values other resources use to point at this one.
fn identities(r: &Resource) -> Vec<&str> {
    ["id", "arn", "name"]
        .iter()
        .filter_map(|k| r.attrs.get(*k).and_then(Value::as_str))
        .collect()
}

/// Whether the live resource `from` points at the live resource `to`.
fn points_at(from: &Resource, to: &Resource) -> bool {
    let schema = from.address.kind.schema().as_block();
    refers_to(&schema, &from.attrs, to.address.kind, &identities(to))
        || holds_arn(from, to)
        || names_another(&schema, from, to)
}

/// Whether `from` points at what `to` made with itself and names by an
/// attribute of its own (a record in a DNS namespace's hosted zone).
fn names_another(schema: &Block, from: &Resource, to: &Resource) -> bool {
    berth_provider::schema::NAMES_ANOTHER
        .iter()
        .filter(|(kind, ..)| *kind == to.address.kind)
        .filter_map(|(_, attr, named)| Some((to.attrs.get(*attr)?.as_str()?, *named)))
        .any(|(id, named)| refers_to(schema, &from.attrs, named, &[id]))
}

/// Whether a setting of `from` is `to`'s ARN, whatever its type: an ARN
/// names one resource, so a string that is one points at it (a log
/// group's or a secret's `kms_key`, which AWS takes as any of a key's
/// names and so is no reference type).
fn holds_arn(from: &Resource, to: &Resource) -> bool {
    let Some(arn) = to
        .attrs
        .get("arn")
        .and_then(Value::as_str)
        .filter(|a| a.starts_with("arn:"))
    else {
        return false;
    };
    from.attrs
        .iter()
        .any(|(k, v)| k != "arn" && v.as_str() == Some(arn))
}

/// Whether `attrs`, a body of `block`'s shape, points at the resource of
/// `kind` known by one of `names`. Only reference attributes to that kind
/// count: a container or a Cloud Map service that merely shares a name
/// with a service does not point at it.
fn refers_to(block: &Block, attrs: &Attrs, kind: Kind, names: &[&str]) -> bool {
    let by_attr = block
        .attrs
        .iter()
        .filter(|a| references(&a.ty, kind))
        .any(|a| attrs.get(a.name).is_some_and(|v| holds(v, names)));
    by_attr
        || block.blocks.iter().any(|b| match attrs.get(b.name) {
            Some(Value::List(items)) => items
                .iter()
                .any(|i| i.as_map().is_some_and(|m| refers_to(b, m, kind, names))),
            Some(Value::Map(m)) => refers_to(b, m, kind, names),
            _ => false,
        })
}

/// Whether a value of type `ty` holds references to `kind`.
fn references(ty: &Type, kind: Kind) -> bool {
    match ty {
        Type::Ref(k) => *k == kind,
        Type::List(t) | Type::Set(t) | Type::Map(t) => references(t, kind),
        _ => false,
    }
}

/// Whether `v` is, or holds, one of `names`.
fn holds(v: &Value, names: &[&str]) -> bool {
    match v {
        Value::String(s) => names.contains(&s.as_str()),
        Value::List(items) => items.iter().any(|i| holds(i, names)),
        Value::Map(m) => m.values().any(|i| holds(i, names)),
        _ => false,
    }
}
