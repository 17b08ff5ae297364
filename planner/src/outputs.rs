//! Output values: what a stack's `output` blocks read from its live
//! resources, after apply or for `berth output`.

use std::collections::BTreeMap;

use berth_lang::{DesiredValue, Output, RefTarget, Stack};
use berth_provider::{Address, Attrs, Resource, Value};

/// One output, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputValue {
    pub name: String,
    /// [`Value::Unknown`] where a resource it reads does not exist yet.
    pub value: Value,
    /// Declared `sensitive`, or reading an attribute the schema marks
    /// sensitive: never printed.
    pub sensitive: bool,
}

/// The stack's outputs, read from `live` (what the provider's `read_all`
/// returned).
pub fn values(stack: &Stack, live: &[Resource]) -> Vec<OutputValue> {
    let by_address: BTreeMap<&Address, &Attrs> = live.iter().map(|r| (&r.address, &r.attrs)).collect();
    resolve(stack, &|address| by_address.get(address).copied())
}

/// The stack's outputs, each resource's attributes given by `attrs_of`
/// (the live ones, or those a plan will leave).
pub(crate) fn resolve<'a>(
    stack: &Stack,
    attrs_of: &dyn Fn(&Address) -> Option<&'a Attrs>,
) -> Vec<OutputValue> {
    let lookup = |r: &RefTarget| {
        attrs_of(&r.address)
            .and_then(|attrs| attrs.get(&r.attr))
            .cloned()
            .unwrap_or(Value::Unknown)
    };
    stack
        .outputs
        .iter()
        .map(|o| OutputValue {
            name: o.name.clone(),
            value: o.value.resolve(&lookup),
            sensitive: is_sensitive(o),
        })
        .collect()
}

/// Declared `sensitive`, or reading an attribute the schema marks sensitive.
fn is_sensitive(o: &Output) -> bool {
    o.sensitive || reads_sensitive(&o.value)
}

fn reads_sensitive(value: &DesiredValue) -> bool {
    match value {
        DesiredValue::Known(_) => false,
        DesiredValue::Ref(r) => r.address.kind.schema().attr(&r.attr).is_some_and(|a| a.sensitive),
        DesiredValue::Concat(items) | DesiredValue::List(items) | DesiredValue::Call(_, items) => {
            items.iter().any(reads_sensitive)
        }
        DesiredValue::Map(m) => m.values().any(reads_sensitive),
    }
}
