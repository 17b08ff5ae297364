//! The plan: plain data saying what will change, resource by resource.
//! Computing it (`diff`) and showing it (`render`) are separate. Sensitive
//! values are masked before they get here, so no rendering or saved plan
//! can leak them.

use berth_provider::schema::ReplaceOrder;
use berth_provider::{Address, Value};
use serde::{Deserialize, Serialize};

/// What happens to one resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    NoOp,
    Create,
    Update,
    /// Replaced because an attribute that AWS cannot change did change.
    Replace(ReplaceOrder),
    Delete,
}

impl Action {
    /// Whether the resource changes at all.
    pub fn is_change(self) -> bool {
        self != Action::NoOp
    }
}

/// Stands in for a sensitive value in a plan.
pub const SENSITIVE: &str = "(sensitive)";
/// Stands in for a sensitive value that changes.
pub const SENSITIVE_CHANGED: &str = "(sensitive, changed)";

/// One attribute's change. Nested blocks change as a whole attribute whose
/// value is a list of maps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttrChange {
    pub name: String,
    /// `None` when the attribute is new (a create).
    pub before: Option<Value>,
    /// `None` when the attribute goes away (a delete); may hold
    /// [`Value::Unknown`] parts for values known only after apply.
    pub after: Option<Value>,
    /// Changing it forces the resource to be replaced.
    pub forces_replacement: bool,
    /// Never to be shown: renderers print `(sensitive)`.
    pub sensitive: bool,
}

/// The planned change of one resource.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceChange {
    pub address: Address,
    pub action: Action,
    /// Changed attributes (every attribute for creates and deletes).
    pub changes: Vec<AttrChange>,
    /// Resources this one references (creates and updates wait for them).
    pub depends_on: Vec<Address>,
    /// For the deletion of a second live resource with this address: both
    /// copies and why the other is kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate: Option<Duplicate>,
    /// The address a `moved` block moves it from: apply tags it anew.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved_from: Option<Address>,
}

impl ResourceChange {
    /// The attributes whose change forces the replacement.
    pub fn forcing_replacement(&self) -> impl Iterator<Item = &str> {
        self.changes
            .iter()
            .filter(|c| c.forces_replacement)
            .map(|c| c.name.as_str())
    }
}

/// A live resource sharing its address with the one berth keeps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duplicate {
    /// This copy's id or ARN, and when the cloud made it (if it says).
    pub id: String,
    pub created: Option<String>,
    /// The copy berth keeps.
    pub kept_id: String,
    pub kept_created: Option<String>,
    pub reason: KeepReason,
}

/// Why berth keeps one copy of a duplicated address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum KeepReason {
    /// Another resource of the stack uses it.
    UsedBy { address: Address },
    /// It is already as configured, where the copy another resource uses
    /// would be replaced: what a replacement interrupted after its create
    /// left. The plan finishes it: users move to this copy, the other
    /// goes.
    FinishesReplacement {
        /// What uses the other copy, and moves to this one.
        used_by: Address,
    },
    /// It is the oldest.
    Oldest,
    /// No copy is in use and the cloud tells no creation times: the one
    /// whose attributes differ least from the configuration.
    ClosestToConfiguration,
}

/// A stack's plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub stack: String,
    pub region: String,
    /// Every declared or owned resource, in address order, no-ops included.
    /// An address appears twice only when the cloud holds two resources
    /// tagged with it (a crash, a hand copy): the extra one is deleted, its
    /// [`ResourceChange::duplicate`] saying which is kept and why.
    pub resources: Vec<ResourceChange>,
    /// Outputs whose value the resource changes change, in name order.
    #[serde(default)]
    pub outputs: Vec<OutputChange>,
    pub fingerprint: Fingerprint,
}

/// An output whose value changes. berth keeps no state, so `before` is the
/// output read from the live resources, as `berth output` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputChange {
    pub name: String,
    /// `None` while a resource it reads does not exist yet.
    pub before: Option<Value>,
    /// May hold [`Value::Unknown`] parts, known only after apply.
    pub after: Value,
    /// Both values are `(sensitive)` placeholders.
    pub sensitive: bool,
}

/// What a saved plan was computed from, so `apply PLANFILE` can refuse a
/// plan that no longer matches the configuration or the cloud.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    pub config: String,
    pub live: String,
}

/// Counts for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub add: usize,
    pub change: usize,
    pub destroy: usize,
    /// Resources that move to a new address.
    #[serde(default)]
    pub moved: usize,
}

impl Plan {
    /// The resources that change, or move to a new address.
    pub fn changes(&self) -> impl Iterator<Item = &ResourceChange> {
        self.resources
            .iter()
            .filter(|r| r.action.is_change() || r.moved_from.is_some())
    }

    pub fn has_changes(&self) -> bool {
        self.changes().next().is_some()
    }

    /// Terraform's counting: a replacement adds one and destroys one.
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for r in self.changes() {
            s.moved += usize::from(r.moved_from.is_some());
            match r.action {
                Action::Create => s.add += 1,
                Action::Update => s.change += 1,
                Action::Delete => s.destroy += 1,
                Action::Replace(_) => {
                    s.add += 1;
                    s.destroy += 1;
                }
                Action::NoOp => {}
            }
        }
        s
    }
}
