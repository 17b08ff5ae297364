//! A resource's attributes in their full shape: what providers create from
//! and what `read_all` returns, so the two compare equal.

use super::Block;
use crate::{Attrs, Kind, Value};

/// `given` with every non-computed attribute of `kind` present (defaults
/// filled, null when optional and unset), every nested block a list (each
/// labelled one keeping its `name`), computed attributes dropped.
pub fn complete(kind: Kind, given: &Attrs) -> Attrs {
    complete_body(&kind.schema().as_block(), given, true)
}

fn complete_body(block: &Block, given: &Attrs, top: bool) -> Attrs {
    let mut out = Attrs::new();
    if !top
        && block.labelled
        && let Some(name) = given.get("name")
    {
        out.insert("name".to_owned(), name.clone());
    }
    for attr in block.attrs.iter().filter(|a| !a.is_computed()) {
        let value = match given.get(attr.name) {
            None | Some(Value::Null) => attr.default_value(),
            Some(v) => v.clone(),
        };
        out.insert(attr.name.to_owned(), value);
    }
    for inner in block.blocks {
        let items = given
            .get(inner.name)
            .and_then(Value::as_list)
            .unwrap_or_default()
            .iter()
            .filter_map(Value::as_map)
            .map(|item| Value::Map(complete_body(inner, item, false)))
            .collect();
        out.insert(inner.name.to_owned(), Value::List(items));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_defaults_and_blocks_and_drops_computed() {
        let rule = Value::Map([("port".to_owned(), Value::Int(443))].into());
        let given: Attrs = [
            ("vpc".to_owned(), Value::from("vpc-1")),
            ("id".to_owned(), Value::from("sg-1")),
            ("ingress".to_owned(), Value::List(vec![rule])),
        ]
        .into();
        let out = complete(Kind::SecurityGroup, &given);
        assert_eq!(out["description"], Value::from("Managed by berth"));
        assert_eq!(out["egress"], Value::List(vec![]));
        assert!(!out.contains_key("id"));
        let ingress = out["ingress"].as_list().unwrap_or_default();
        assert_eq!(
            ingress[0].as_map().map(|r| r["protocol"].clone()),
            Some(Value::from("tcp"))
        );
    }
}
