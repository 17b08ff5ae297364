//! The desired state of a resource as the planner and executor need it:
//! every schema attribute present (defaults filled in), nested blocks as
//! lists of maps, references kept until the cloud can answer them.

use std::collections::BTreeMap;

use berth_lang::eval::literal;
use berth_lang::{DesiredBody, DesiredValue, RefTarget};
use berth_provider::schema::{Block, Presence};
use berth_provider::{Address, Attrs, Value};
use serde::{Deserialize, Serialize};

/// A value that may wait on another resource's computed attribute.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pending {
    Known(Value),
    Ref {
        address: Address,
        attr: String,
    },
    /// String interpolation: the parts are joined once all are known.
    Concat(Vec<Pending>),
    List(Vec<Pending>),
    Map(BTreeMap<String, Pending>),
}

impl Pending {
    /// Every resource this value waits on.
    pub fn refs(&self) -> Vec<&Address> {
        let mut out = Vec::new();
        self.collect_refs(&mut out);
        out
    }

    fn collect_refs<'a>(&'a self, out: &mut Vec<&'a Address>) {
        match self {
            Pending::Known(_) => {}
            Pending::Ref { address, .. } => out.push(address),
            Pending::Concat(items) | Pending::List(items) => items.iter().for_each(|i| i.collect_refs(out)),
            Pending::Map(m) => m.values().for_each(|i| i.collect_refs(out)),
        }
    }

    /// The value, with references answered by `lookup` ([`Value::Unknown`]
    /// for those it cannot answer yet).
    pub fn resolve(&self, lookup: &dyn Fn(&Address, &str) -> Value) -> Value {
        match self {
            Pending::Known(v) => v.clone(),
            Pending::Ref { address, attr } => lookup(address, attr),
            Pending::Concat(parts) => {
                let mut out = String::new();
                for part in parts {
                    match part.resolve(lookup) {
                        Value::String(s) => out.push_str(&s),
                        Value::Int(i) => out.push_str(&i.to_string()),
                        Value::Bool(b) => out.push_str(&b.to_string()),
                        _ => return Value::Unknown,
                    }
                }
                Value::String(out)
            }
            Pending::List(items) => Value::List(items.iter().map(|i| i.resolve(lookup)).collect()),
            Pending::Map(m) => Value::Map(m.iter().map(|(k, v)| (k.clone(), v.resolve(lookup))).collect()),
        }
    }

    /// The attributes, resolved and normalised.
    pub fn resolve_attrs(&self, address: &Address, lookup: &dyn Fn(&Address, &str) -> Value) -> Attrs {
        let schema = address.kind.schema().as_block();
        match crate::normalize::value(&self.resolve(lookup), &schema) {
            Value::Map(m) => m,
            _ => Attrs::new(),
        }
    }
}

impl From<&DesiredValue> for Pending {
    fn from(v: &DesiredValue) -> Self {
        match v {
            DesiredValue::Known(v) => Pending::Known(v.clone()),
            DesiredValue::Ref(RefTarget { address, attr }) => Pending::Ref {
                address: address.clone(),
                attr: attr.clone(),
            },
            DesiredValue::Concat(parts) => Pending::Concat(parts.iter().map(Pending::from).collect()),
            DesiredValue::List(items) => Pending::List(items.iter().map(Pending::from).collect()),
            DesiredValue::Map(m) => {
                Pending::Map(m.iter().map(|(k, v)| (k.clone(), Pending::from(v))).collect())
            }
        }
    }
}

/// A resource body with every non-computed attribute of `schema` present:
/// written values, else the schema default, else null.
pub fn complete(body: &DesiredBody, schema: &Block) -> Pending {
    let mut out = BTreeMap::new();
    for attr in schema.attrs.iter().filter(|a| a.presence != Presence::Computed) {
        let value = match (body.value(attr.name), attr.presence) {
            (Some(v), _) => Pending::from(v),
            (None, Presence::Default(lit)) => Pending::Known(literal(lit)),
            (None, _) => Pending::Known(Value::Null),
        };
        out.insert(attr.name.to_owned(), value);
    }
    for nested in schema.blocks {
        let blocks = body
            .blocks(nested.name)
            .iter()
            .map(|b| {
                let mut inner = match complete(&b.body, nested) {
                    Pending::Map(m) => m,
                    _ => BTreeMap::new(),
                };
                if let Some(label) = &b.label {
                    inner.insert(
                        "name".to_owned(),
                        Pending::Known(Value::String(label.node.clone())),
                    );
                }
                Pending::Map(inner)
            })
            .collect();
        out.insert(nested.name.to_owned(), Pending::List(blocks));
    }
    Pending::Map(out)
}
