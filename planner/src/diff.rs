//! Compares the desired stack with the live resources it owns and decides,
//! per resource, create / update / replace / delete / no-op, with
//! attribute-level changes.

use std::collections::{BTreeMap, BTreeSet};

use berth_lang::Stack;
use berth_provider::schema::{Presence, ReplaceOrder, Update, canonical};
use berth_provider::{Address, Attrs, Kind, Resource, SENSITIVE_TAG, Value, naming};
use sha2::{Digest, Sha256};

use berth_lang::{DesiredValue, RefTarget};

use crate::desired::{complete, refers_to, resolve_attrs};
use crate::mask::{self, Marks, NO_MARKS};
use crate::outputs::{self, OutputValue};
use crate::plan::{Action, AttrChange, Fingerprint, OutputChange, Plan, ResourceChange, SENSITIVE};
use crate::vpc_move::SubnetVpcs;
use crate::{duplicates, implicit, owned};

/// What the executor needs for one resource change. Holds unmasked values:
/// never rendered, never saved.
#[derive(Clone, Debug)]
pub struct Step {
    pub address: Address,
    pub action: Action,
    /// The declared resource, references pending (`None` for deletes).
    pub desired: Option<DesiredValue>,
    /// The live resource (`None` for creates).
    pub live: Option<Resource>,
    /// Declared resources this one references.
    pub depends_on: Vec<Address>,
    /// Its address before a `moved` block: apply tags it anew first.
    pub moved_from: Option<Address>,
}

/// A plan and the steps that carry it out, index for index.
#[derive(Clone, Debug)]
pub struct Planned {
    pub plan: Plan,
    pub steps: Vec<Step>,
}

/// Diffs `stack` against `live`, the resources the cloud holds for it.
pub fn plan(stack: &Stack, live: Vec<Resource>) -> Planned {
    plan_marked(stack, live, &marks_of(stack))
}

/// Plans the deletion of everything in `live`. `stack`'s declarations
/// only tell which live values came from sensitive variables, to mask them.
pub fn plan_destroy(stack: &Stack, live: Vec<Resource>) -> Planned {
    let nothing = Stack {
        resources: Vec::new(),
        outputs: Vec::new(),
        ..stack.clone()
    };
    plan_marked(&nothing, live, &marks_of(stack))
}

/// What earlier applies marked sensitive of each live resource (its
/// [`SENSITIVE_TAG`], taken out of its tags: berth's record, not a tag of
/// the configuration's).
fn remembered_marks(live: &mut [Resource]) -> BTreeMap<Address, Marks> {
    let mut out: BTreeMap<Address, Marks> = BTreeMap::new();
    for r in live {
        let Some(Value::Map(tags)) = r.attrs.get_mut("tags") else {
            continue;
        };
        if let Some(Value::String(text)) = tags.remove(SENSITIVE_TAG) {
            let marks = Marks::from_tag(&text);
            let all = out
                .get(&r.address)
                .map_or(marks.clone(), |m| m.with(Some(&marks)));
            out.insert(r.address.clone(), all);
        }
    }
    out
}

/// `desired` with what came from sensitive variables of it (`marks`)
/// recorded in its tags ([`SENSITIVE_TAG`]), for later plans to mask what
/// the cloud holds once the configuration no longer marks it.
fn remembering(desired: DesiredValue, marks: &Marks, kind: Kind) -> DesiredValue {
    let Some(tag) = marks.to_tag() else {
        return desired;
    };
    let known = |m: BTreeMap<String, Value>| -> BTreeMap<String, DesiredValue> {
        m.into_iter().map(|(k, v)| (k, DesiredValue::Known(v))).collect()
    };
    let mut attrs = match desired {
        _ if kind.schema().attr("tags").is_none() => return desired,
        DesiredValue::Map(m) => m,
        DesiredValue::Known(Value::Map(m)) => known(m),
        other => return other,
    };
    let mut tags = match attrs.remove("tags") {
        Some(DesiredValue::Map(m)) => m,
        Some(DesiredValue::Known(Value::Map(m))) => known(m),
        None | Some(DesiredValue::Known(Value::Null)) => BTreeMap::new(),
        Some(other) => {
            attrs.insert("tags".to_owned(), other);
            return DesiredValue::map(attrs);
        }
    };
    tags.insert(SENSITIVE_TAG.to_owned(), DesiredValue::Known(Value::from(tag)));
    attrs.insert("tags".to_owned(), DesiredValue::map(tags));
    DesiredValue::map(attrs)
}

/// Which attributes of each declared resource came from sensitive variables.
fn marks_of(stack: &Stack) -> BTreeMap<Address, Marks> {
    stack
        .resources
        .iter()
        .map(|r| (r.address.clone(), Marks::of(&r.body)))
        .filter(|(_, m)| *m != Marks::default())
        .collect()
}

fn plan_marked(
    stack: &Stack,
    mut live: Vec<Resource>,
    marks_by_address: &BTreeMap<Address, Marks>,
) -> Planned {
    let moved = crate::moves::apply(stack, &mut live);
    let remembered = remembered_marks(&mut live);
    let marks_at = |a: &Address| marks_by_address.get(a).unwrap_or(&NO_MARKS);
    let desired: BTreeMap<Address, (DesiredValue, Vec<Address>)> = stack
        .resources
        .iter()
        .map(|r| {
            let pending = complete(&r.body, &r.kind().schema().as_block());
            let mut depends_on = r.depends_on.clone();
            depends_on.extend(implicit::dependencies(stack, &r.address));
            (r.address.clone(), (pending, depends_on.into_iter().collect()))
        })
        .collect();
    let fingerprint = Fingerprint {
        config: config_fingerprint(stack, &desired),
        live: live_fingerprint(&live),
    };
    let outputs_before = outputs::values(stack, &live);
    let mut subnet_vpcs = SubnetVpcs::new(&live);
    let users = duplicates::users(&live);
    let mut live_by_address: BTreeMap<Address, Vec<Resource>> = BTreeMap::new();
    for r in live {
        live_by_address.entry(r.address.clone()).or_default().push(r);
    }

    let mut actions: BTreeMap<Address, Action> = BTreeMap::new();
    let mut chosen: BTreeMap<Address, Resource> = BTreeMap::new();
    // Each resource's attributes once the plan is applied, as far as known
    // now: what outputs will read.
    let mut planned: BTreeMap<Address, Attrs> = BTreeMap::new();
    let mut entries: Vec<(ResourceChange, Step)> = Vec::new();
    for address in dependency_order(&desired) {
        let (pending, depends_on) = &desired[&address];
        // A group allowing itself, a policy naming its own resource: its
        // own id is the live one, if it exists and is kept (a successor's
        // is known after apply: `successor`).
        let own_live = refers_to(pending, &address)
            .then(|| live_by_address.get(&address).and_then(|c| c.first()).cloned())
            .flatten();
        let successor = std::cell::Cell::new(false);
        let lookup = |r: &RefTarget| match actions.get(&r.address) {
            _ if r.address == address => own_live
                .as_ref()
                .filter(|_| !successor.get())
                .and_then(|l| l.attrs.get(&r.attr))
                .cloned()
                .unwrap_or(Value::Unknown),
            Some(Action::Create | Action::Replace(_)) => Value::Unknown,
            // Not planned yet: a group allowing this one back (no
            // dependency orders them); its live id, if it exists.
            None => live_by_address
                .get(&r.address)
                .and_then(|c| c.first())
                .and_then(|l| l.attrs.get(&r.attr))
                .cloned()
                .unwrap_or(Value::Unknown),
            Some(_) => chosen
                .get(&r.address)
                .and_then(|l| l.attrs.get(&r.attr))
                .cloned()
                .unwrap_or(Value::Unknown),
        };
        let resolved = resolve_attrs(pending, &address, &lookup);
        // As a successor would read itself, should the resource be replaced.
        let as_successor = own_live.is_some().then(|| {
            successor.set(true);
            resolve_attrs(pending, &address, &lookup)
        });
        subnet_vpcs.plan(&address, &resolved);
        let declared = marks_at(&address);
        let marks = &declared.with(remembered.get(&address));
        // What `ignore_changes` names is desired as it is live, in the
        // step too, so that apply writes it back unchanged.
        let ignored = stack.resource(&address).map(|r| &r.ignore_changes);
        let settle = |resolved: Attrs, live: Option<&Resource>| {
            let resolved = match ignored {
                Some(ignored) => owned::keep_live(resolved, ignored, live),
                None => resolved,
            };
            // What a deploy owns is desired as it is live.
            owned::apply(&address, resolved, live)
        };
        let copies = live_by_address.remove(&address).unwrap_or_default();
        // Each copy is measured against what the plan would desire of it:
        // a revision `berth deploy` moved to a new image fits as well as
        // the configuration's own.
        let (current, extras) = duplicates::choose(copies, &users, |c| {
            let desired = settle(resolved.clone(), Some(c));
            let changes = differences(&address, &desired, &c.attrs, marks);
            duplicates::Fit {
                replaced: changes.iter().any(|c| c.forces_replacement),
                differences: changes.len(),
            }
        });
        let pending = match ignored.and_then(|i| owned::ignoring(pending, i, current.as_ref())) {
            Some(kept) => std::borrow::Cow::Owned(kept),
            None => std::borrow::Cow::Borrowed(pending),
        };
        let mut resolved = settle(resolved, current.as_ref());
        for (extra, duplicate) in extras {
            let (mut change, step) = deletion(extra, marks);
            change.duplicate = Some(duplicate);
            entries.push((change, step));
        }
        let (action, changes) = match &current {
            None => (Action::Create, creation_changes(&address, &resolved, marks)),
            Some(live) => {
                let mut changes = differences(&address, &resolved, &live.attrs, marks);
                if address.kind == Kind::LoadBalancer
                    && stack
                        .resource(&address)
                        .is_some_and(|r| subnet_vpcs.moves(r, &resolved, &live.attrs))
                {
                    for c in changes.iter_mut().filter(|c| c.name == "subnets") {
                        c.forces_replacement = true;
                    }
                }
                let action = if changes.is_empty() {
                    Action::NoOp
                } else if changes.iter().any(|c| c.forces_replacement) {
                    Action::Replace(replace_order(
                        &address,
                        &resolved,
                        &live.attrs,
                        depends_on,
                        &actions,
                    ))
                } else {
                    Action::Update
                };
                if let (Action::Replace(_), Some(fresh)) = (action, as_successor) {
                    // The successor reads its own id and ARN, not these.
                    resolved = settle(fresh, current.as_ref());
                    let forcing: BTreeSet<String> = changes
                        .iter()
                        .filter(|c| c.forces_replacement)
                        .map(|c| c.name.clone())
                        .collect();
                    changes = differences(&address, &resolved, &live.attrs, marks);
                    for c in changes.iter_mut() {
                        c.forces_replacement |= forcing.contains(&c.name);
                    }
                }
                (action, changes)
            }
        };
        actions.insert(address.clone(), action);
        // Only outputs read these: no copy for a stack without any.
        if !stack.outputs.is_empty() {
            let mut after = match (&current, action) {
                (Some(live), Action::NoOp | Action::Update) => live.attrs.clone(),
                _ => Attrs::new(),
            };
            // A name berth chose or a value AWS chose, left out of the
            // configuration, stays what it is live, or is chosen by the
            // create: not null.
            let schema = address.kind.schema();
            let kept = |k: &str| {
                schema
                    .attr(k)
                    .is_some_and(|a| matches!(a.presence, Presence::Named | Presence::ChosenByAws))
            };
            for (k, v) in resolved {
                match v {
                    Value::Null if kept(&k) && after.contains_key(&k) => {}
                    Value::Null if kept(&k) => {
                        after.insert(k, Value::Unknown);
                    }
                    v => {
                        after.insert(k, v);
                    }
                }
            }
            planned.insert(address.clone(), after);
        }
        if let Some(live) = &current {
            chosen.insert(address.clone(), live.clone());
        }
        let moved_from = current.as_ref().and_then(|_| moved.get(&address).cloned());
        let change = ResourceChange {
            address: address.clone(),
            action,
            changes,
            depends_on: depends_on.clone(),
            duplicate: None,
            moved_from: moved_from.clone(),
        };
        let step = Step {
            desired: Some(remembering(pending.into_owned(), declared, address.kind)),
            address,
            action,
            live: current,
            depends_on: depends_on.clone(),
            moved_from,
        };
        entries.push((change, step));
    }
    for (_, copies) in live_by_address {
        entries.extend(copies.into_iter().map(|c| {
            let marks = marks_at(&c.address).with(remembered.get(&c.address));
            deletion(c, &marks)
        }));
    }
    entries.sort_by(|a, b| a.0.address.cmp(&b.0.address));
    let (resources, steps) = entries.into_iter().unzip();
    let mut plan = Plan {
        stack: stack.name.clone(),
        region: stack.region.clone(),
        resources,
        outputs: output_changes(outputs_before, outputs::resolve(stack, &|a| planned.get(a))),
        fingerprint,
    };
    mask::scrub(&mut plan, &stack.secrets);
    Planned { plan, steps }
}

/// The outputs whose value after the plan (`after`) differs from their
/// value now (`before`), both in the stack's output order.
fn output_changes(before: Vec<OutputValue>, after: Vec<OutputValue>) -> Vec<OutputChange> {
    let placeholder = |v: Value| match v {
        Value::Null => Value::Null,
        _ => Value::from(SENSITIVE),
    };
    before
        .into_iter()
        .zip(after)
        .filter_map(|(before, after)| {
            let was = (!before.value.has_unknown()).then_some(before.value);
            if was.as_ref() == Some(&after.value) {
                return None;
            }
            let (was, will) = match after.sensitive {
                false => (was, after.value),
                true if after.value.has_unknown() => (was.map(placeholder), Value::Unknown),
                true => (was.map(placeholder), placeholder(after.value)),
            };
            Some(OutputChange {
                name: after.name,
                before: was,
                after: will,
                sensitive: after.sensitive,
            })
        })
        .collect()
}

fn deletion(live: Resource, marks: &Marks) -> (ResourceChange, Step) {
    let schema = live.address.kind.schema();
    let changes = schema
        .attrs
        .iter()
        .filter(|a| !a.is_settled_by_cloud())
        .map(|a| (a.name, Some(a), None))
        .chain(schema.blocks.iter().map(|b| (b.name, None, Some(b))))
        .filter_map(|(name, attr, block)| {
            let before = live.attrs.get(name).filter(|v| !is_empty(v))?;
            let (before, _) = mask::pair(attr, block, marks, Some(before), None);
            Some(AttrChange {
                name: name.to_owned(),
                before,
                after: None,
                forces_replacement: false,
                sensitive: attr.is_some_and(|a| marks.attr(a)),
            })
        })
        .collect();
    let change = ResourceChange {
        address: live.address.clone(),
        action: Action::Delete,
        changes,
        depends_on: Vec::new(),
        duplicate: None,
        moved_from: None,
    };
    let step = Step {
        address: live.address.clone(),
        action: Action::Delete,
        desired: None,
        live: Some(live),
        depends_on: Vec::new(),
        moved_from: None,
    };
    (change, step)
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::List(l) => l.is_empty(),
        Value::Map(m) => m.is_empty(),
        _ => false,
    }
}

/// Every attribute of a new resource, computed ones as known after apply.
fn creation_changes(address: &Address, resolved: &Attrs, marks: &Marks) -> Vec<AttrChange> {
    let schema = address.kind.schema();
    let mut out = Vec::new();
    for attr in schema.attrs {
        let named_later = attr.presence == Presence::Named && resolved.get(attr.name).is_none_or(is_empty);
        let after = if attr.presence == Presence::Computed || named_later {
            Value::Unknown
        } else {
            match resolved.get(attr.name) {
                Some(v) if !is_empty(v) => v.clone(),
                _ => continue,
            }
        };
        let (_, after) = mask::pair(Some(attr), None, marks, None, Some(&after));
        out.push(AttrChange {
            name: attr.name.to_owned(),
            before: None,
            after,
            forces_replacement: false,
            sensitive: marks.attr(attr),
        });
    }
    for block in schema.blocks {
        if let Some(v) = resolved.get(block.name).filter(|v| !is_empty(v)) {
            let (_, after) = mask::pair(None, Some(block), marks, None, Some(v));
            out.push(AttrChange {
                name: block.name.to_owned(),
                before: None,
                after,
                forces_replacement: false,
                sensitive: false,
            });
        }
    }
    out
}

/// Whether the live attributes differ from the desired ones (references
/// answered).
pub(crate) fn differs(address: &Address, desired: &Attrs, live: &Attrs) -> bool {
    !differences(address, desired, live, &NO_MARKS).is_empty()
}

/// The attributes whose desired value differs from the live one.
fn differences(address: &Address, desired: &Attrs, live: &Attrs, marks: &Marks) -> Vec<AttrChange> {
    let schema = address.kind.schema();
    let live = canonical(live, &schema.as_block());
    // What AWS chose for a block's attribute left out (a mount target's
    // address) is no change, as for the resource's own attributes below.
    let mut desired = desired.clone();
    berth_provider::attrs::keep_chosen(address.kind, &live, &mut desired);
    let live = prefixed(address.kind, live, &desired);
    let desired = canonical(&desired, &schema.as_block());
    let null = Value::Null;
    let mut out = Vec::new();
    for attr in schema.attrs.iter().filter(|a| a.presence != Presence::Computed) {
        let (want, have) = (
            desired.get(attr.name).unwrap_or(&null),
            live.get(attr.name).unwrap_or(&null),
        );
        let aws_chose =
            matches!(attr.presence, Presence::ChosenByAws | Presence::Named) && *want == Value::Null;
        if want != have && !aws_chose {
            let (before, after) = mask::pair(Some(attr), None, marks, Some(have), Some(want));
            out.push(AttrChange {
                name: attr.name.to_owned(),
                before,
                after,
                forces_replacement: schema.forces_replacement(attr, have, want),
                sensitive: marks.attr(attr),
            });
        }
    }
    for block in schema.blocks {
        let empty = Value::List(Vec::new());
        // None is no block, on either side (a spelling may write it so).
        let want = desired
            .get(block.name)
            .filter(|v| **v != Value::Null)
            .unwrap_or(&empty);
        let have = live
            .get(block.name)
            .filter(|v| **v != Value::Null)
            .unwrap_or(&empty);
        if want != have {
            let (before, after) = mask::pair(None, Some(block), marks, Some(have), Some(want));
            out.push(AttrChange {
                name: block.name.to_owned(),
                before,
                after,
                forces_replacement: block.update == Update::Replace,
                sensitive: false,
            });
        }
    }
    out
}

/// `live` with the `name_prefix` its name starts with, where the
/// configuration names it by one: AWS keeps only the name. A name that
/// does not start with the prefix wanted reads as none, so the change
/// shows (and replaces).
fn prefixed(kind: Kind, mut live: Attrs, desired: &Attrs) -> Attrs {
    if kind.schema().attr(naming::NAME_PREFIX).is_none() {
        return live;
    }
    let prefix = desired.get(naming::NAME_PREFIX).and_then(Value::as_str);
    let name = live.get("name").and_then(Value::as_str);
    let kept = match (prefix, name) {
        (Some(p), Some(n)) if n.starts_with(p) => Value::from(p),
        _ => Value::Null,
    };
    live.insert(naming::NAME_PREFIX.to_owned(), kept);
    live
}

/// Declared resources, each after the resources it references.
fn dependency_order(desired: &BTreeMap<Address, (DesiredValue, Vec<Address>)>) -> Vec<Address> {
    fn visit(
        a: &Address,
        desired: &BTreeMap<Address, (DesiredValue, Vec<Address>)>,
        seen: &mut BTreeSet<Address>,
        out: &mut Vec<Address>,
    ) {
        if !seen.insert(a.clone()) {
            return;
        }
        for d in desired.get(a).map(|(_, deps)| deps.as_slice()).unwrap_or(&[]) {
            visit(d, desired, seen, out);
        }
        if desired.contains_key(a) {
            out.push(a.clone());
        }
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for a in desired.keys() {
        visit(a, desired, &mut seen, &mut out);
    }
    out
}

fn hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn config_fingerprint(stack: &Stack, desired: &BTreeMap<Address, (DesiredValue, Vec<Address>)>) -> String {
    // Debug text is stable within one berth build, which is what a saved
    // plan is applied with (its format version guards the rest).
    let text = format!("{:?}{:?}{desired:?}", stack.name, stack.region);
    hash(text.as_bytes())
}

fn live_fingerprint(live: &[Resource]) -> String {
    let mut texts: Vec<String> = live
        .iter()
        .map(|r| serde_json::to_string(r).unwrap_or_default())
        .collect();
    texts.sort();
    hash(texts.join("\n").as_bytes())
}

/// How `address` is replaced: its kind's order, but destroyed before it
/// is created when something it depends on is (a namespace whose name
/// its successor takes): its successor needs the new one, which comes
/// only once the old one, and so this resource, is gone.
fn replace_order(
    address: &Address,
    resolved: &Attrs,
    live: &Attrs,
    depends_on: &[Address],
    actions: &BTreeMap<Address, Action>,
) -> ReplaceOrder {
    const FIRST_DESTROYED: Action = Action::Replace(ReplaceOrder::DestroyBeforeCreate);
    if depends_on
        .iter()
        .any(|d| actions.get(d) == Some(&FIRST_DESTROYED))
    {
        return ReplaceOrder::DestroyBeforeCreate;
    }
    address.kind.schema().replace_order(resolved, live)
}
