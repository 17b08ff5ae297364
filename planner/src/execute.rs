//! Carries out a plan through a provider: operations in dependency order,
//! at most `parallelism` at once. A failure stops only what depends on it.
//! Progress reaches the caller through a [`Hook`]; nothing here prints.
//!
//! Retries belong to the provider: an error it returns is final, except an
//! [`ErrorClass::Indeterminate`] one (the call went out and no answer came
//! back). Then the executor reads the stack, and the resource the call may
//! have made or changed is taken as it is found (and brought to the
//! desired state), or, when nothing was made, the call is made again. So a
//! lost response never makes a second copy.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use berth_provider::schema::Type;
use berth_provider::{
    Address, Attrs, ErrorClass, External, Provider, ProviderError, Resource, RetryPolicy, Value, naming,
};
use futures_util::stream::{FuturesUnordered, StreamExt};
use petgraph::Direction;

use berth_lang::RefTarget;

use crate::desired::{refers_to, resolve_attrs, without_unknown};
use crate::diff::{Planned, Step, differs};
use crate::order::{CycleError, Op, OpKind, late_refs, schedule};
use crate::owned;
use crate::plan::Action;

/// Receives progress; implemented by the CLI's display.
pub trait Hook: Send + Sync {
    fn started(&self, _op: &Op, _address: &Address) {}
    /// A call of `op` got no answer; after `delay` the executor looks for
    /// what it did (recovery number `attempt`, from 1).
    fn retrying(
        &self,
        _op: &Op,
        _address: &Address,
        _error: &ProviderError,
        _attempt: u32,
        _delay: Duration,
    ) {
    }
    fn finished(&self, _op: &Op, _address: &Address, _outcome: &Outcome, _elapsed: Duration) {}
}

/// A hook that ignores everything.
pub struct Silent;
impl Hook for Silent {}

/// How one operation ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    Failed(ProviderError),
    /// Not attempted because an operation it waits for did not succeed.
    Skipped {
        because: Address,
    },
}

/// Execution settings.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub parallelism: usize,
    /// Backoff between the attempts of an operation whose call got no
    /// answer (see the module documentation).
    pub recovery: RetryPolicy,
    /// Set (by the user's Ctrl-C), no operation starts any more; those
    /// running finish, so what a call did is known and the next plan reads
    /// it.
    pub interrupt: Option<&'static AtomicBool>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            parallelism: 10,
            recovery: RetryPolicy {
                base_delay: Duration::from_secs(1),
                ..RetryPolicy::default()
            },
            interrupt: None,
        }
    }
}

/// What happened to every operation, in the order they finished.
#[derive(Debug, Default)]
pub struct Report {
    pub outcomes: Vec<(Op, Address, Outcome)>,
    /// Operations attempted again after a call that got no answer.
    pub recoveries: u32,
    /// Operations not started because the run was interrupted.
    pub not_started: usize,
}

impl Report {
    pub fn failed(&self) -> impl Iterator<Item = &(Op, Address, Outcome)> {
        self.outcomes
            .iter()
            .filter(|(_, _, o)| matches!(o, Outcome::Failed(_)))
    }

    pub fn skipped(&self) -> impl Iterator<Item = &(Op, Address, Outcome)> {
        self.outcomes
            .iter()
            .filter(|(_, _, o)| matches!(o, Outcome::Skipped { .. }))
    }

    pub fn done(&self) -> impl Iterator<Item = &(Op, Address, Outcome)> {
        self.outcomes.iter().filter(|(_, _, o)| *o == Outcome::Done)
    }

    pub fn succeeded(&self) -> bool {
        self.failed().next().is_none() && self.skipped().next().is_none() && self.not_started == 0
    }
}

/// Runs every operation of `planned` against `provider`.
pub async fn execute(
    planned: &Planned,
    provider: &dyn Provider,
    options: Options,
    hook: &dyn Hook,
) -> Result<Report, CycleError> {
    let schedule = schedule(&planned.steps)?;
    let graph = &schedule.graph;
    let runner = Runner {
        stack: &planned.plan.stack,
        steps: &planned.steps,
        provider,
        recovery: options.recovery,
        hook,
        state: Mutex::new(initial_state(&planned.steps)),
        created: Mutex::new(BTreeMap::new()),
        recoveries: Mutex::new(0),
        salt: format!("{:016x}", fastrand::u64(..)),
    };
    let mut report = Report::default();
    // Scheduled on completion events: each operation counts the
    // predecessors it still waits for, so a completion touches only its
    // successors (rescanning every node after each one was quadratic).
    let mut waiting: BTreeMap<Op, usize> = graph
        .nodes()
        .map(|op| (op, graph.neighbors_directed(op, Direction::Incoming).count()))
        .collect();
    let mut ready: BTreeSet<Op> = waiting
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(op, _)| *op)
        .collect();
    waiting.retain(|_, n| *n > 0);
    let mut running = FuturesUnordered::new();
    let interrupted = || options.interrupt.is_some_and(|i| i.load(Ordering::SeqCst));
    loop {
        while running.len() < options.parallelism.max(1) && !interrupted() {
            let Some(op) = ready.pop_first() else { break };
            running.push(runner.run(op));
        }
        let Some((op, outcome)) = running.next().await else {
            break;
        };
        let done = outcome == Outcome::Done;
        report
            .outcomes
            .push((op, planned.steps[op.step].address.clone(), outcome));
        if done {
            for next in graph.neighbors_directed(op, Direction::Outgoing) {
                if let Some(n) = waiting.get_mut(&next) {
                    *n -= 1;
                    if *n == 0 {
                        waiting.remove(&next);
                        ready.insert(next);
                    }
                }
            }
        } else {
            skip_dependents(op, graph, &mut waiting, planned, hook, &mut report);
        }
    }
    drop(running);
    report.not_started = ready.len() + waiting.len();
    report.recoveries = *runner.recoveries.lock().unwrap_or_else(|e| e.into_inner());
    Ok(report)
}

/// Marks every operation that waits, directly or not, on `failed` as
/// skipped, each naming the predecessor it waited for.
fn skip_dependents(
    failed: Op,
    graph: &petgraph::graphmap::DiGraphMap<Op, ()>,
    waiting: &mut BTreeMap<Op, usize>,
    planned: &Planned,
    hook: &dyn Hook,
    report: &mut Report,
) {
    let mut stack = vec![failed];
    while let Some(op) = stack.pop() {
        for next in graph.neighbors_directed(op, Direction::Outgoing) {
            if waiting.remove(&next).is_none() {
                continue;
            }
            let because = planned.steps[op.step].address.clone();
            let address = planned.steps[next.step].address.clone();
            let outcome = Outcome::Skipped { because };
            hook.finished(&next, &address, &outcome, Duration::ZERO);
            report.outcomes.push((next, address, outcome));
            stack.push(next);
        }
    }
}

/// What references resolve against: the live resources that stay. A
/// replaced one is left out: whatever refers to it waits for its successor,
/// except a group's rule naming a group that allows it back, which must not
/// get the old group's id.
fn initial_state(steps: &[Step]) -> BTreeMap<Address, Attrs> {
    steps
        .iter()
        .filter(|s| s.desired.is_some() && !matches!(s.action, Action::Replace(_)))
        .filter_map(|s| Some((s.address.clone(), s.live.as_ref()?.attrs.clone())))
        .collect()
}

struct Runner<'a> {
    stack: &'a str,
    steps: &'a [Step],
    provider: &'a dyn Provider,
    recovery: RetryPolicy,
    hook: &'a dyn Hook,
    state: Mutex<BTreeMap<Address, Attrs>>,
    /// What each create op made, so a retry of its follow-up update does not
    /// create a second copy.
    created: Mutex<BTreeMap<Op, Resource>>,
    recoveries: Mutex<u32>,
    /// Draws the names of resources named by a `name_prefix`: one per
    /// apply, so a retried create asks for the same name.
    salt: String,
}

impl Runner<'_> {
    async fn run(&self, op: Op) -> (Op, Outcome) {
        let step = &self.steps[op.step];
        self.hook.started(&op, &step.address);
        let start = Instant::now();
        let mut attempt = 0;
        let outcome = loop {
            // After a call that got no answer, look before calling again;
            // what the recovery itself sends may go unanswered too.
            let result = if attempt == 0 {
                self.call(op, step).await
            } else {
                match self.recover(op, step).await {
                    Ok(true) => Ok(()),
                    Ok(false) => self.call(op, step).await,
                    Err(e) => Err(e),
                }
            };
            match result {
                Ok(()) => break Outcome::Done,
                Err(e)
                    if e.class == ErrorClass::Indeterminate && start.elapsed() < self.recovery.deadline =>
                {
                    let delay = self.recovery.delay(attempt);
                    self.hook.retrying(&op, &step.address, &e, attempt + 1, delay);
                    *self.recoveries.lock().unwrap_or_else(|p| p.into_inner()) += 1;
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                Err(e) => break Outcome::Failed(e),
            }
        };
        self.hook.finished(&op, &step.address, &outcome, start.elapsed());
        (op, outcome)
    }

    /// After a call of `op` that got no answer: finds what it made or
    /// changed and finishes the job on that (`Ok(true)`), or says the call
    /// must be made again (`Ok(false)`: nothing was made). A delete or a
    /// revoke is made again as it is: deleting what is gone succeeds.
    async fn recover(&self, op: Op, step: &Step) -> Result<bool, ProviderError> {
        let found = match op.kind {
            OpKind::Create => self.find(step, |r| !self.known(step, r)).await?,
            OpKind::Update => {
                let Some(live) = self.updated_resource(op, step) else {
                    return Ok(false);
                };
                self.find(step, |r| same_resource(r, &live)).await?
            }
            // Tagging again, or deleting what is gone, succeeds.
            OpKind::Move | OpKind::Delete | OpKind::Revoke => return Ok(false),
        };
        let Some(found) = found else { return Ok(false) };
        if op.kind == OpKind::Create {
            self.lock_created().insert(op, found.clone());
        }
        // A group that groups made alongside allow back is made without
        // the rules naming them, as the create made it: its update adds
        // them once they exist.
        let own = (op.kind != OpKind::Create || late_refs(step).is_empty()).then_some(&found.attrs);
        let desired = self.resolved(step, own)?;
        let now = if differs(&step.address, &desired.attrs, &found.attrs) {
            self.provider.update(self.stack, &found, &desired).await?
        } else {
            found
        };
        if op.kind == OpKind::Create {
            self.lock_created().insert(op, now.clone());
        }
        self.remember(now);
        Ok(true)
    }

    /// The stack's resource at `step`'s address that `pick` accepts, as the
    /// cloud holds it now.
    async fn find(
        &self,
        step: &Step,
        pick: impl Fn(&Resource) -> bool,
    ) -> Result<Option<Resource>, ProviderError> {
        let parents = self.parents(step);
        let live = self.provider.read_stack(self.stack, &parents).await?;
        Ok(live.into_iter().find(|r| r.address == step.address && pick(r)))
    }

    /// Whether `r` was in the cloud when the plan was made: the copy a
    /// create must not take for its own (the one a replacement replaces, a
    /// duplicate the plan deletes).
    fn known(&self, step: &Step, r: &Resource) -> bool {
        self.steps
            .iter()
            .filter(|s| s.address == step.address)
            .filter_map(|s| s.live.as_ref())
            .any(|l| same_resource(l, r))
    }

    /// The resource an update changes: the one created just before, or the
    /// live one.
    fn updated_resource(&self, op: Op, step: &Step) -> Option<Resource> {
        let create = Op {
            step: op.step,
            kind: OpKind::Create,
        };
        self.lock_created()
            .get(&create)
            .cloned()
            .or_else(|| step.live.clone())
    }

    /// The parents the step's resource names, so that a child the cloud
    /// lists only under its parent (a listener, a service) is found.
    fn parents(&self, step: &Step) -> Vec<External> {
        let Ok(desired) = self.resolved(step, None) else {
            return Vec::new();
        };
        step.address
            .kind
            .schema()
            .attrs
            .iter()
            .filter_map(|a| match a.ty {
                Type::Ref(kind) => Some(External {
                    kind,
                    id: desired.attrs.get(a.name)?.as_str()?.to_owned(),
                }),
                _ => None,
            })
            .collect()
    }

    async fn call(&self, op: Op, step: &Step) -> Result<(), ProviderError> {
        match op.kind {
            OpKind::Move => {
                // Its live copy already carries the new address: the
                // provider writes it over the old one.
                let live = step
                    .live
                    .as_ref()
                    .ok_or_else(|| internal(step, "move without a live resource"))?;
                self.provider.adopt(self.stack, live).await?;
            }
            OpKind::Create => {
                let earlier = self.lock_created().get(&op).cloned();
                let created = match earlier {
                    Some(created) => created,
                    None => {
                        let mut desired = self.resolved(step, None)?;
                        if let Some(name) =
                            naming::from_prefix(&desired.attrs, self.stack, &step.address, &self.salt)
                        {
                            desired.attrs.insert("name".to_owned(), Value::String(name));
                        }
                        let created = self.provider.create(self.stack, &desired).await?;
                        self.lock_created().insert(op, created.clone());
                        created
                    }
                };
                self.remember(created.clone());
                // A group allowing itself, a topic's policy naming its ARN:
                // the rules and settings that need what the create settled
                // (with groups that allow it back, a later update adds all).
                if self.refers_to_itself(step) && late_refs(step).is_empty() {
                    let mut desired = self.resolved(step, Some(&created.attrs))?;
                    if naming::draws_name(&desired.attrs)
                        && let Some(name) = created.attrs.get("name")
                    {
                        desired.attrs.insert("name".to_owned(), name.clone());
                    }
                    let updated = self.provider.update(self.stack, &created, &desired).await?;
                    self.remember(updated);
                }
            }
            OpKind::Revoke => {
                // Before deleting groups that allow each other: their rules
                // naming groups go, or AWS refuses the deletes.
                let live = step
                    .live
                    .as_ref()
                    .ok_or_else(|| internal(step, "revoke without a live resource"))?;
                let revoked = Resource {
                    address: live.address.clone(),
                    attrs: without_group_rules(&live.attrs),
                    created: None,
                };
                self.provider.update(self.stack, live, &revoked).await?;
            }
            OpKind::Update => {
                // After a create: the resource just made, for its rules that
                // name groups created alongside.
                let made = self
                    .lock_created()
                    .get(&Op {
                        step: op.step,
                        kind: OpKind::Create,
                    })
                    .cloned();
                let live = made
                    .as_ref()
                    .or(step.live.as_ref())
                    .ok_or_else(|| internal(step, "update without a live resource"))?;
                let desired = self.resolved(step, Some(&live.attrs))?;
                let updated = self.provider.update(self.stack, live, &desired).await?;
                self.remember(updated);
            }
            OpKind::Delete => {
                let live = step
                    .live
                    .as_ref()
                    .ok_or_else(|| internal(step, "delete without a live resource"))?;
                self.provider.delete(self.stack, live).await?;
            }
        }
        Ok(())
    }

    fn remember(&self, r: Resource) {
        self.state
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(r.address, r.attrs);
    }

    fn lock_created(&self) -> std::sync::MutexGuard<'_, BTreeMap<Op, Resource>> {
        self.created.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn refers_to_itself(&self, step: &Step) -> bool {
        step.desired.as_ref().is_some_and(|d| refers_to(d, &step.address))
    }

    /// The step's desired resource with every reference answered; `own`
    /// answers references to the resource itself. Before it exists (`None`),
    /// the nested blocks and settings that need its own id are left out.
    fn resolved(&self, step: &Step, own: Option<&Attrs>) -> Result<Resource, ProviderError> {
        let desired = step
            .desired
            .as_ref()
            .ok_or_else(|| internal(step, "no desired state"))?;
        let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let lookup = |r: &RefTarget| {
            let attrs = if r.address == step.address {
                own
            } else {
                state.get(&r.address)
            };
            attrs
                .and_then(|attrs| attrs.get(&r.attr))
                .cloned()
                .unwrap_or(Value::Unknown)
        };
        let mut attrs = owned::apply(
            &step.address,
            resolve_attrs(desired, &step.address, &lookup),
            step.live.as_ref(),
        );
        if own.is_none() && (refers_to(desired, &step.address) || !late_refs(step).is_empty()) {
            attrs = without_unknown(attrs);
        }
        if attrs.values().any(Value::has_unknown) {
            return Err(internal(step, "a referenced value is still unknown"));
        }
        // A value computed at apply of the wrong type (an encoded list where
        // a map goes) fails here, naming it, not dropped by an SDK.
        if let Some(problem) = step.address.kind.schema().as_block().mistyped(&attrs) {
            return Err(ProviderError::permanent(
                "berth",
                "InvalidParameterValue",
                format!("{}: {problem}", step.address),
            ));
        }
        Ok(Resource {
            address: step.address.clone(),
            attrs,
            created: None,
        })
    }
}

/// A group's attributes without the rules whose source is a group.
fn without_group_rules(attrs: &Attrs) -> Attrs {
    let mut out = attrs.clone();
    for direction in ["ingress", "egress"] {
        if let Some(Value::List(rules)) = out.get_mut(direction) {
            rules.retain(|r| {
                r.as_map()
                    .and_then(|m| m.get("from"))
                    .is_none_or(|f| *f == Value::Null)
            });
        }
    }
    out
}

/// Whether two reads are of one cloud resource: the same identity
/// attribute (id or ARN).
fn same_resource(a: &Resource, b: &Resource) -> bool {
    let field = a.address.kind.schema().identity;
    a.address == b.address && a.attrs.contains_key(field) && a.attrs.get(field) == b.attrs.get(field)
}

fn internal(step: &Step, what: &str) -> ProviderError {
    ProviderError::permanent("berth", "InternalError", format!("{}: {what}", step.address))
}
