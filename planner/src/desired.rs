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
        // Written `null` is left out, as in Terraform (a module's optional
        // setting through a variable).
        let written = body
            .value(attr.name)
            .filter(|v| !matches!(v, DesiredValue::Known(Value::Null)));
        let value = match (written, attr.presence) {
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
    match value.resolve(lookup) {
        Value::Map(m) => canonical(&m, &address.kind.schema().as_block()),
        _ => Attrs::new(),
    }
}

/// Whether `value` refers to `address`: a security group whose rule allows
/// the group itself, a topic whose policy names its own ARN. Such a
/// resource is created without those rules or settings, then updated with
/// them once it has an id.
pub fn refers_to(value: &DesiredValue, address: &Address) -> bool {
    match value {
        DesiredValue::Known(_) => false,
        DesiredValue::Ref(r) => r.address == *address,
        DesiredValue::Concat(items) | DesiredValue::List(items) | DesiredValue::Call(_, items) => {
            items.iter().any(|v| refers_to(v, address))
        }
        DesiredValue::Map(m) => m.values().any(|v| refers_to(v, address)),
    }
}

/// `attrs` without the nested blocks and the settings that hold a value
/// not known yet (settings left out, as if not written): what can be
/// created before a resource knows its own id.
pub fn without_unknown(mut attrs: Attrs) -> Attrs {
    for value in attrs.values_mut() {
        match value {
            Value::List(items) if items.iter().any(|i| matches!(i, Value::Map(_))) => {
                items.retain(|i| !i.has_unknown());
            }
            v if v.has_unknown() => *v = Value::Null,
            _ => {}
        }
    }
    attrs
}

#[cfg(test)]
mod tests {
    use super::*;
    use berth_provider::Kind;

    #[test]
    fn finds_references_to_itself_and_drops_blocks_that_need_them() {
        let own = Address::new(Kind::SecurityGroup, "db");
        let other = Address::new(Kind::SecurityGroup, "web");
        let to = |address: &Address| {
            DesiredValue::Ref(RefTarget {
                address: address.clone(),
                attr: "id".to_owned(),
            })
        };
        let rule = |from: DesiredValue| DesiredValue::Map([("from".to_owned(), from)].into());
        let body = DesiredValue::Map(
            [(
                "ingress".to_owned(),
                DesiredValue::List(vec![rule(to(&other)), rule(to(&own))]),
            )]
            .into(),
        );
        assert!(refers_to(&body, &own));
        assert!(!refers_to(&body, &Address::new(Kind::SecurityGroup, "cache")));

        let lookup = |r: &RefTarget| {
            if r.address == own {
                Value::Unknown
            } else {
                Value::from("sg-web")
            }
        };
        let attrs = without_unknown(resolve_attrs(&body, &own, &lookup));
        let ingress = attrs["ingress"].as_list().unwrap_or_default();
        assert_eq!(ingress.len(), 1, "{ingress:?}");
        assert!(!Value::Map(attrs).has_unknown());
    }

    #[test]
    fn a_setting_naming_the_resource_itself_is_left_out_of_its_create() {
        let own = Address::new(Kind::SnsTopic, "alerts");
        let arn = DesiredValue::Ref(RefTarget {
            address: own.clone(),
            attr: "arn".to_owned(),
        });
        let body = DesiredValue::Map(
            [
                ("policy".to_owned(), DesiredValue::Concat(vec![arn])),
                (
                    "display_name".to_owned(),
                    DesiredValue::Known(Value::from("Alerts")),
                ),
            ]
            .into(),
        );
        assert!(refers_to(&body, &own));
        let attrs = without_unknown(resolve_attrs(&body, &own, &|_| Value::Unknown));
        assert_eq!(attrs["policy"], Value::Null);
        assert_eq!(attrs["display_name"], Value::from("Alerts"));
    }
}
