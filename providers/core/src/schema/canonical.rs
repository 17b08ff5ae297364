//! The canonical form of a resource body: sets and nested blocks in one
//! order, numbers in string fields as strings. The planner compares desired
//! and live state in this form, and providers return what they create and
//! read in it, so a resource reads back exactly as it was created and only
//! real differences show in a plan.

use super::{Block, Type};
use crate::{Attrs, Value};

/// The canonical form of `body`, the attributes and nested blocks of
/// `schema`.
pub fn canonical(body: &Attrs, schema: &Block) -> Attrs {
    let mut out = body.clone();
    for attr in schema.attrs {
        if let Some(v) = out.get_mut(attr.name) {
            *v = typed(v, attr.ty);
        }
    }
    for nested in schema.blocks {
        if let Some(Value::List(items)) = out.get_mut(nested.name) {
            let mut normalised: Vec<Value> = items
                .iter()
                .map(|i| match i {
                    Value::Map(m) => Value::Map(canonical(m, nested)),
                    other => other.clone(),
                })
                .collect();
            normalised.sort_by_cached_key(block_key);
            *items = normalised;
        }
    }
    out
}

/// Labelled blocks sort by name, others by their content.
fn block_key(v: &Value) -> String {
    match v.as_map().and_then(|m| m.get("name")).and_then(Value::as_str) {
        Some(name) => format!("0{name}"),
        None => format!("1{v}"),
    }
}

fn typed(v: &Value, ty: Type) -> Value {
    match (ty, v) {
        (Type::String, Value::Int(i)) => Value::String(i.to_string()),
        (Type::Set(inner), Value::List(items)) => {
            let mut items: Vec<Value> = items.iter().map(|i| typed(i, *inner)).collect();
            items.sort_by_cached_key(|i| i.to_string());
            // Unknown ids are distinct resources until apply tells them.
            items.dedup_by(|a, b| a == b && !a.has_unknown());
            Value::List(items)
        }
        (Type::List(inner), Value::List(items)) => {
            Value::List(items.iter().map(|i| typed(i, *inner)).collect())
        }
        (Type::Map(inner), Value::Map(m)) => {
            Value::Map(m.iter().map(|(k, v)| (k.clone(), typed(v, *inner))).collect())
        }
        _ => v.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Kind;

    #[test]
    fn sets_and_blocks_get_a_canonical_order() {
        let schema = Kind::SecurityGroup.schema().as_block();
        let rule = |port: i64| Value::Map([("port".to_owned(), Value::Int(port))].into());
        let body: Attrs = [("ingress".to_owned(), Value::List(vec![rule(80), rule(443)]))].into();
        let out = canonical(&body, &schema);
        assert_eq!(
            out["ingress"],
            Value::List(vec![rule(443), rule(80)]),
            "ordered by text"
        );

        let lb = Kind::LoadBalancer.schema().as_block();
        let body: Attrs = [(
            "subnets".to_owned(),
            Value::List(vec!["b".into(), "a".into(), "a".into()]),
        )]
        .into();
        let out = canonical(&body, &lb);
        assert_eq!(out["subnets"], Value::List(vec!["a".into(), "b".into()]));
    }
}
