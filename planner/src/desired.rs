//! The desired state of a resource as the planner and executor need it:
//! every schema attribute present (defaults filled in), nested blocks as
//! lists of maps, references kept until the cloud can answer them.

use std::collections::BTreeMap;

use berth_lang::{DesiredBody, DesiredValue, RefTarget};
use berth_provider::schema::{Block, Presence, canonical};
use berth_provider::{Address, Attrs, Value};

/// A resource body with every non-computed attribute of `schema` present:
/// written values, else the schema default, else null. Nested blocks become
/// lists of maps, a labelled block's label under `name`.
pub fn complete(body: &DesiredBody, schema: &Block) -> DesiredValue {
    let mut out = BTreeMap::new();
    for attr in schema.attrs.iter().filter(|a| a.presence != Presence::Computed) {
        let value = match (body.value(attr.name), attr.presence) {
            (Some(v), _) => v.clone(),
            (None, Presence::Default(lit)) => DesiredValue::Known(lit.into()),
            (None, _) => DesiredValue::Known(Value::Null),
        };
        out.insert(attr.name.to_owned(), value);
    }
    for nested in schema.blocks {
        let blocks = body
            .blocks(nested.name)
            .iter()
            .map(|b| {
                let mut inner = match complete(&b.body, nested) {
                    DesiredValue::Map(m) => m,
                    DesiredValue::Known(Value::Map(m)) => {
                        m.into_iter().map(|(k, v)| (k, DesiredValue::Known(v))).collect()
                    }
                    _ => BTreeMap::new(),
                };
                if let Some(label) = &b.label {
                    inner.insert(
                        "name".to_owned(),
                        DesiredValue::Known(Value::String(label.node.clone())),
                    );
                }
                DesiredValue::map(inner)
            })
            .collect();
        out.insert(nested.name.to_owned(), DesiredValue::list(blocks));
    }
    DesiredValue::map(out)
}

/// The attributes of `address` with references answered by `lookup`
/// ([`Value::Unknown`] where it cannot answer yet), normalised as AWS
/// reads them back.
pub fn resolve_attrs(value: &DesiredValue, address: &Address, lookup: &dyn Fn(&RefTarget) -> Value) -> Attrs {
    let schema = address.kind.schema().as_block();
    match canonical(&value.resolve(lookup), &schema) {
        Value::Map(m) => m,
        _ => Attrs::new(),
    }
}
