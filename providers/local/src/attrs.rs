//! Checking desired attributes against a kind's schema, and reading typed
//! values out of attribute maps (berth-provider's readers).

use std::collections::BTreeMap;

pub(crate) use berth_provider::attrs::{blocks_of, bool_of, int_of, str_of, strs_of};
use berth_provider::schema::{Attr, Block, Presence};
use berth_provider::{Attrs, Kind, Value};

use crate::api;
use berth_provider::ProviderError;

/// Brings desired attributes into the stored shape: every non-computed
/// attribute present (defaults filled in, `null` when optional and unset),
/// every block present as a list, computed attributes dropped, `tags` split
/// off. Rejects unknown attributes, values of the wrong type, missing
/// required values and unresolved (`Unknown`) values the way AWS rejects a
/// malformed request.
pub(crate) fn normalise(
    kind: Kind,
    call: &str,
    given: &Attrs,
) -> Result<(Attrs, BTreeMap<String, String>), ProviderError> {
    let schema = kind.schema();
    let bad = |msg: String| api::invalid(kind, call, msg);
    let mut attrs = normalise_body(&schema.as_block(), given, kind.keyword(), &bad)?;
    // AWS keeps the name drawn from it, not the prefix.
    attrs.remove(berth_provider::naming::NAME_PREFIX);
    let tags = match attrs.remove("tags") {
        Some(Value::Map(map)) => map
            .into_iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k, s)),
                other => Err(bad(format!(
                    "tag {k} must be a string, not {}",
                    other.type_name()
                ))),
            })
            .collect::<Result<BTreeMap<_, _>, _>>()?,
        _ => BTreeMap::new(),
    };
    if let Some(k) = tags.keys().find(|k| k.to_ascii_lowercase().starts_with("aws:")) {
        return Err(bad(format!(
            "Tag keys starting with 'aws:' are reserved for internal use: {k}"
        )));
    }
    Ok((attrs, tags))
}

/// Nested blocks whose most the service module checks itself, where the
/// call that adds them answers it with a code of its own: an event rule's
/// targets (PutTargets' LimitExceededException, `events.rs`).
const COUNTED_BY_SERVICE: [&str; 1] = ["event_rule.target"];

fn normalise_body(
    block: &Block,
    given: &Attrs,
    path: &str,
    bad: &dyn Fn(String) -> ProviderError,
) -> Result<Attrs, ProviderError> {
    let mut out = Attrs::new();
    let labelled = block.labelled && path.contains('.');
    for (key, value) in given {
        let known = block.attr(key).is_some() || block.block(key).is_some() || (labelled && key == "name");
        if !known {
            return Err(bad(format!("{path}: unknown attribute `{key}`")));
        }
        let computed = block.attr(key).is_some_and(Attr::is_computed);
        if !computed && value.has_unknown() {
            return Err(bad(format!("{path}.{key}: value is not known yet")));
        }
    }
    if labelled {
        match given.get("name") {
            Some(Value::String(label)) if !label.is_empty() => {
                out.insert("name".to_owned(), Value::String(label.clone()));
            }
            _ => return Err(bad(format!("{path}: block has no name"))),
        }
    }
    for attr in block.attrs.iter().filter(|a| !a.is_computed()) {
        let value = match given.get(attr.name) {
            Some(Value::Null) | None => attr.default_value(),
            Some(v) => v.clone(),
        };
        // Left out, the provider names the resource: nothing to store (an
        // update must keep the name it has).
        if value == Value::Null && attr.presence == Presence::Named {
            continue;
        }
        if value == Value::Null && attr.presence == Presence::Required {
            return Err(bad(format!("{path}: missing required attribute `{}`", attr.name)));
        }
        if value != Value::Null && !attr.ty.admits(&value) {
            return Err(bad(format!(
                "{path}.{}: expected {}, got {}",
                attr.name,
                attr.ty,
                value.type_name()
            )));
        }
        out.insert(attr.name.to_owned(), value);
    }
    for inner in block.blocks {
        let items = match given.get(inner.name) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::List(items)) => items.clone(),
            Some(other) => {
                return Err(bad(format!(
                    "{path}.{}: expected a list of blocks, got {}",
                    inner.name,
                    other.type_name()
                )));
            }
        };
        let inner_path = format!("{path}.{}", inner.name);
        let counted = COUNTED_BY_SERVICE.contains(&inner_path.as_str());
        if items.len() < inner.min || (!counted && inner.max.is_some_and(|max| items.len() > max)) {
            return Err(bad(format!(
                "{path}: {} `{}` blocks given, allowed {} to {}",
                items.len(),
                inner.name,
                inner.min,
                inner.max.map_or("any".to_owned(), |m| m.to_string())
            )));
        }
        let mut out_items = Vec::with_capacity(items.len());
        for item in &items {
            let Value::Map(map) = item else {
                return Err(bad(format!(
                    "{inner_path}: expected a block, got {}",
                    item.type_name()
                )));
            };
            out_items.push(Value::Map(normalise_body(inner, map, &inner_path, bad)?));
        }
        if inner.labelled {
            let mut labels: Vec<_> = out_items
                .iter()
                .filter_map(|i| i.as_map().and_then(|m| m.get("name")).and_then(Value::as_str))
                .collect();
            labels.sort_unstable();
            if let Some(w) = labels.windows(2).find(|w| w[0] == w[1]) {
                return Err(bad(format!("{inner_path}: two blocks named `{}`", w[0])));
            }
        }
        out.insert(inner.name.to_owned(), Value::List(out_items));
    }
    Ok(out)
}

/// `attrs` of `kind` in the canonical form, so that spellings AWS holds
/// alike (a policy as JSON text or as a map, groups in any order) compare
/// equal.
pub(crate) fn canonical_of(kind: Kind, attrs: &Attrs) -> Attrs {
    berth_provider::schema::canonical(attrs, &kind.schema().as_block())
}

/// The value of `attr` in `attrs`, null when left out.
pub(crate) fn value<'a>(attrs: &'a Attrs, attr: &str) -> &'a Value {
    attrs.get(attr).unwrap_or(&Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(pairs: &[(&str, Value)]) -> Attrs {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()
    }

    #[test]
    fn fills_defaults_and_splits_tags() {
        let given = attrs(&[
            ("cidr", "10.0.0.0/16".into()),
            ("tags", Value::Map([("team".to_owned(), Value::from("a"))].into())),
            ("id", Value::Unknown),
        ]);
        let (out, tags) = normalise(Kind::Vpc, "CreateVpc", &given).unwrap();
        assert_eq!(out.get("dns_support"), Some(&Value::Bool(true)));
        assert_eq!(out.get("dns_hostnames"), Some(&Value::Bool(false)));
        assert!(!out.contains_key("id") && !out.contains_key("tags"));
        assert_eq!(tags.get("team").map(String::as_str), Some("a"));
    }

    #[test]
    fn rejects_malformed_requests() {
        let e = normalise(Kind::Vpc, "CreateVpc", &attrs(&[("cidr", Value::Int(3))])).unwrap_err();
        assert_eq!(e.code, "InvalidParameterValue");
        let e = normalise(Kind::Vpc, "CreateVpc", &attrs(&[])).unwrap_err();
        assert!(e.message.contains("missing required"), "{e}");
        let e = normalise(
            Kind::Vpc,
            "CreateVpc",
            &attrs(&[("cidr", "10.0.0.0/16".into()), ("cdir", "x".into())]),
        )
        .unwrap_err();
        assert!(e.message.contains("unknown attribute"), "{e}");
        let e = normalise(Kind::Subnet, "CreateSubnet", &attrs(&[("vpc", Value::Unknown)])).unwrap_err();
        assert!(e.message.contains("not known"), "{e}");
    }

    #[test]
    fn normalises_nested_blocks() {
        let container = Value::Map(attrs(&[("name", "app".into()), ("image", "nginx".into())]));
        let given = attrs(&[
            ("cpu", Value::Int(256)),
            ("memory", Value::Int(512)),
            ("container", Value::List(vec![container])),
        ]);
        let (out, _) = normalise(Kind::TaskDefinition, "RegisterTaskDefinition", &given).unwrap();
        let c = blocks_of(&out, "container")[0];
        assert_eq!(c.get("essential"), Some(&Value::Bool(true)));
        assert_eq!(c.get("port"), Some(&Value::Null));
        assert_eq!(c.get("port_mapping"), Some(&Value::List(vec![])));
        let given = attrs(&[("cpu", Value::Int(256)), ("memory", Value::Int(512))]);
        let e = normalise(Kind::TaskDefinition, "RegisterTaskDefinition", &given).unwrap_err();
        assert_eq!(e.code, "ClientException");
    }
}
