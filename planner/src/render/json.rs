//! The machine rendering: a versioned JSON document, specified in
//! `docs/plan-json.md`. Its structs are its own, so that the internal plan
//! model can change without breaking the format.

use berth_provider::Value;
use berth_provider::schema::ReplaceOrder;
use serde::Serialize;

use super::value::mask;
use crate::plan::{Action, AttrChange, Duplicate, Plan, ResourceChange};

/// The version of the JSON format. Additive changes keep `1.x`; anything
/// that could break a reader bumps the major.
pub const FORMAT_VERSION: &str = "1.4";

#[derive(Serialize)]
struct Document<'a> {
    format_version: &'static str,
    stack: &'a str,
    region: &'a str,
    summary: Summary,
    resource_changes: Vec<Resource<'a>>,
    /// Since 1.1.
    output_changes: Vec<OutputChange<'a>>,
}

#[derive(Serialize)]
struct OutputChange<'a> {
    name: &'a str,
    /// `null` while a resource it reads does not exist yet.
    before: serde_json::Value,
    after: serde_json::Value,
    sensitive: bool,
    after_unknown: bool,
}

#[derive(Serialize)]
struct Summary {
    add: usize,
    change: usize,
    destroy: usize,
}

#[derive(Serialize)]
struct Resource<'a> {
    address: String,
    kind: &'static str,
    name: &'a str,
    key: Option<&'a str>,
    action: &'static str,
    replace_order: Option<&'static str>,
    changes: Vec<Change<'a>>,
    /// Since 1.2, on deletions of duplicates only.
    #[serde(skip_serializing_if = "Option::is_none")]
    duplicate: Option<&'a Duplicate>,
    /// Since 1.3, on resources a `moved` block moves only.
    #[serde(skip_serializing_if = "Option::is_none")]
    moved_from: Option<String>,
}

#[derive(Serialize)]
struct Change<'a> {
    attribute: &'a str,
    before: serde_json::Value,
    after: serde_json::Value,
    forces_replacement: bool,
    sensitive: bool,
    after_unknown: bool,
}

/// Renders `plan` as pretty-printed JSON (format [`FORMAT_VERSION`]) with a
/// trailing newline. Every resource is listed, unchanged ones included.
pub fn json(plan: &Plan) -> String {
    let summary = plan.summary();
    let doc = Document {
        format_version: FORMAT_VERSION,
        stack: &plan.stack,
        region: &plan.region,
        summary: Summary {
            add: summary.add,
            change: summary.change,
            destroy: summary.destroy,
        },
        resource_changes: plan.resources.iter().map(resource).collect(),
        output_changes: plan
            .outputs
            .iter()
            .map(|o| OutputChange {
                name: &o.name,
                before: o.before.as_ref().map_or(serde_json::Value::Null, Value::to_json),
                after: o.after.to_json(),
                sensitive: o.sensitive,
                after_unknown: o.after.has_unknown(),
            })
            .collect(),
    };
    // Serialising plain structs with string keys cannot fail.
    let mut out = serde_json::to_string_pretty(&doc).expect("plan JSON has only string keys");
    out.push('\n');
    out
}

fn resource(rc: &ResourceChange) -> Resource<'_> {
    let (action, replace_order) = action(rc.action);
    let changes = if rc.action.is_change() {
        rc.changes.iter().map(change).collect()
    } else {
        Vec::new()
    };
    Resource {
        address: rc.address.to_string(),
        kind: rc.address.kind.keyword(),
        name: &rc.address.name,
        key: rc.address.key.as_deref(),
        action,
        replace_order,
        changes,
        duplicate: rc.duplicate.as_ref(),
        moved_from: rc.moved_from.as_ref().map(ToString::to_string),
    }
}

/// The action's name and, for a replacement, its order.
fn action(action: Action) -> (&'static str, Option<&'static str>) {
    match action {
        Action::NoOp => ("no_op", None),
        Action::Create => ("create", None),
        Action::Update => ("update", None),
        Action::Replace(ReplaceOrder::CreateBeforeDestroy) => ("replace", Some("create_before_destroy")),
        Action::Replace(ReplaceOrder::DestroyBeforeCreate) => ("replace", Some("destroy_before_create")),
        Action::Delete => ("delete", None),
    }
}

fn change(c: &AttrChange) -> Change<'_> {
    let shown = |v: &Option<Value>| match v {
        Some(v) if c.sensitive => mask(v).to_json(),
        Some(v) => v.to_json(),
        None => serde_json::Value::Null,
    };
    Change {
        attribute: &c.name,
        before: shown(&c.before),
        after: shown(&c.after),
        forces_replacement: c.forces_replacement,
        sensitive: c.sensitive,
        after_unknown: c.after.as_ref().is_some_and(Value::has_unknown),
    }
}
