//! The canonical form of a resource body: one spelling for everything AWS
//! stores the same way. The planner puts the configuration in this form,
//! and providers return what they create and read in it, so a resource
//! reads back exactly as it was created and only real differences show in
//! a plan, on every cloud.
//!
//! What the schema declares, applied at every level of a body:
//! - types: numbers in string fields as strings, sets sorted and deduplicated,
//!   a command's `["CMD-SHELL", COMMAND]` as the string `COMMAND`;
//! - [`Case`]: strings AWS folds (`TCP`, `tcp`) in AWS's case;
//! - [`Attr::unset`]: the value AWS reports for "not set" (a container's
//!   `cpu = 0`) as null;
//! - a nested block's settings written `null` as left out;
//! - nested blocks sorted (labelled ones by name), unless
//!   [`Block::ordered`]; an [`Block::implicit`] block equal to its defaults
//!   as none;
//! - [`Spelling`]: the rewrites of [`super::spelling`].

use super::{Attr, Block, Case, Order, Type, spelling};
use crate::{Attrs, Kind, Value};

/// The name of an ECS cluster given by name or ARN
/// (`arn:aws:ecs:REGION:ACCOUNT:cluster/NAME`).
pub fn cluster_name(name_or_arn: &str) -> &str {
    match name_or_arn.strip_prefix("arn:") {
        Some(rest) => rest.split_once(":cluster/").map_or(name_or_arn, |(_, name)| name),
        None => name_or_arn,
    }
}

/// The id (`ns-...`) of a Cloud Map namespace given by id or ARN
/// (`arn:aws:servicediscovery:REGION:ACCOUNT:namespace/ns-...`); anything
/// else as it is.
pub fn namespace_id(id_or_arn: &str) -> &str {
    match id_or_arn.strip_prefix("arn:") {
        Some(rest) => rest.split_once(":namespace/").map_or(id_or_arn, |(_, id)| id),
        None => id_or_arn,
    }
}

/// The canonical form of `body`, the attributes and nested blocks of
/// `schema`.
pub fn canonical(body: &Attrs, schema: &Block) -> Attrs {
    let mut out = body.clone();
    for attr in schema.attrs {
        if let Some(v) = out.get_mut(attr.name) {
            *v = attribute(v, attr);
        }
    }
    for nested in schema.blocks {
        if let Some(Value::List(items)) = out.get_mut(nested.name) {
            *items = instances(items, nested);
        }
    }
    spelling::apply(schema.spelling, &mut out);
    out
}

/// The canonical form of one instance of the nested block `schema`: as
/// [`canonical`], its settings written `null` left out
/// ([`crate::attrs::without_nulls`]).
pub fn canonical_block(body: &Attrs, schema: &Block) -> Attrs {
    crate::attrs::without_nulls(&canonical(body, schema))
}

/// One attribute's value in canonical form.
fn attribute(v: &Value, attr: &Attr) -> Value {
    let v = folded(&typed(v, attr.ty), attr.case);
    match attr.unset {
        Some(lit) if v == lit.into() => Value::Null,
        _ => v,
    }
}

/// The instances of a nested block in canonical form and order.
fn instances(items: &[Value], nested: &Block) -> Vec<Value> {
    let mut out: Vec<Value> = items
        .iter()
        .map(|i| match i {
            Value::Map(m) => Value::Map(canonical_block(m, nested)),
            other => other.clone(),
        })
        .collect();
    if nested.implicit && out.len() == 1 && filled(&out[0], nested) == defaults(nested) {
        out.clear();
    }
    match nested.order {
        Order::Content => out.sort_by_cached_key(block_key),
        Order::Written => {}
        Order::By(attr) => out.sort_by_key(|v| v.as_map().and_then(|m| m.get(attr)).and_then(Value::as_int)),
    }
    out
}

/// An instance of `block` with every attribute at its default, canonical:
/// what AWS holds of an implicit block (a target group's health check)
/// none is written for.
pub fn defaults(block: &Block) -> Value {
    filled(&Value::Map(Attrs::new()), block)
}

/// `instance` with its unset attributes at their defaults, canonical.
fn filled(instance: &Value, block: &Block) -> Value {
    let mut body = instance.as_map().cloned().unwrap_or_default();
    for attr in block.attrs.iter().filter(|a| !a.is_computed()) {
        let v = body.entry(attr.name.to_owned()).or_insert(Value::Null);
        if *v == Value::Null {
            *v = attr.default_value();
        }
    }
    Value::Map(canonical(&body, block))
}

/// Labelled blocks sort by name, others by their content.
fn block_key(v: &Value) -> String {
    match v.as_map().and_then(|m| m.get("name")).and_then(Value::as_str) {
        Some(name) => format!("0{name}"),
        None => format!("1{v}"),
    }
}

fn folded(v: &Value, case: Case) -> Value {
    match (case, v) {
        (Case::Lower, Value::String(s)) => Value::String(s.to_ascii_lowercase()),
        (Case::Upper, Value::String(s)) => Value::String(s.to_ascii_uppercase()),
        _ => v.clone(),
    }
}

fn typed(v: &Value, ty: Type) -> Value {
    match (ty, v) {
        (Type::String, Value::Int(i)) => Value::String(i.to_string()),
        // ECS takes a cluster's name or ARN alike and answers with the ARN.
        (Type::Ref(Kind::Cluster), Value::String(s)) => Value::from(cluster_name(s)),
        // ECS answers a Service Connect namespace with its ARN.
        (Type::Ref(Kind::DnsNamespace), Value::String(s)) => Value::from(namespace_id(s)),
        (Type::Set(inner), Value::List(items)) => {
            let mut items: Vec<Value> = items.iter().map(|i| typed(i, *inner)).collect();
            items.sort_by_cached_key(|i| i.to_string());
            // Unknown ids are distinct resources until apply tells them.
            items.dedup_by(|a, b| a == b && !a.has_unknown());
            Value::List(items)
        }
        // `["CMD-SHELL", COMMAND]` is the shell form written as a string.
        (Type::Command, Value::List(items)) => match items.as_slice() {
            [Value::String(shell), command @ Value::String(_)] if shell == "CMD-SHELL" => command.clone(),
            _ => v.clone(),
        },
        (Type::List(inner), Value::List(items)) => {
            Value::List(items.iter().map(|i| typed(i, *inner)).collect())
        }
        (Type::Map(inner), Value::Map(m)) => {
            Value::Map(m.iter().map(|(k, v)| (k.clone(), typed(v, *inner))).collect())
        }
        (Type::Document, Value::Map(_) | Value::String(_)) => crate::policy::canonical(v),
        (Type::Json, _) => json_text(v),
        // AWS's own words for on and off are the bools.
        (Type::Switch(_), Value::String(s)) => match s.to_ascii_lowercase().as_str() {
            "enabled" => Value::Bool(true),
            "disabled" => Value::Bool(false),
            mode => Value::from(mode),
        },
        _ => v.clone(),
    }
}

/// JSON text in one spelling: compact, keys sorted; a map or list as its
/// JSON. Anything else (not JSON, or not known yet) as it is.
fn json_text(v: &Value) -> Value {
    // Through a `Value`, whose maps are sorted (serde_json keeps the order
    // it read).
    let parsed = match v {
        Value::String(s) => serde_json::from_str::<serde_json::Value>(s)
            .ok()
            .map(|j| Value::from_json(&j)),
        Value::Map(_) | Value::List(_) if !v.has_unknown() => Some(v.clone()),
        _ => None,
    };
    parsed.map_or_else(|| v.clone(), |j| Value::String(j.to_json().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::complete;

    fn map(pairs: &[(&str, Value)]) -> Attrs {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()
    }

    /// `body` of `kind`, completed and canonical, as the planner and the
    /// providers compare it.
    fn canon(kind: Kind, body: &[(&str, Value)]) -> Attrs {
        canonical(&complete(kind, &map(body)), &kind.schema().as_block())
    }

    #[test]
    fn a_switch_reads_aws_words_for_on_and_off_as_bools() {
        let insights =
            |v: Value| canon(Kind::Cluster, &[("container_insights", v)])["container_insights"].clone();
        assert_eq!(insights(Value::from("ENABLED")), Value::Bool(true));
        assert_eq!(insights(Value::from("disabled")), Value::Bool(false));
        assert_eq!(insights(Value::from("Enhanced")), Value::from("enhanced"));
        assert_eq!(insights(Value::Null), Value::Bool(false));
    }

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

    #[test]
    fn folded_cases_and_unset_values_compare_equal() {
        let tg = |protocol: &str| {
            canon(
                Kind::TargetGroup,
                &[("protocol", protocol.into()), ("target_type", "IP".into())],
            )
        };
        assert_eq!(tg("http"), tg("HTTP"));
        assert_eq!(tg("http")["target_type"], Value::from("ip"));

        let grace = |g: Value| canon(Kind::Service, &[("health_check_grace_period", g)]);
        assert_eq!(grace(Value::Int(0)), grace(Value::Null));
        assert_ne!(grace(Value::Int(30)), grace(Value::Null));

        let role = |p: &[&str]| {
            canon(
                Kind::Role,
                &[(
                    "policies",
                    Value::List(p.iter().map(|s| Value::from(*s)).collect()),
                )],
            )
        };
        assert_eq!(role(&["b", "a"]), role(&["a", "b"]));

        let cluster = |c: &str| canon(Kind::Service, &[("cluster", c.into())]);
        assert_eq!(
            cluster("arn:aws:ecs:us-east-1:123456789012:cluster/shared"),
            cluster("shared")
        );
        assert_eq!(cluster("shared")["cluster"], Value::from("shared"));
    }

    #[test]
    fn service_connect_reads_back_as_written() {
        let block = |pairs: &[(&str, Value)]| Value::List(vec![Value::Map(map(pairs))]);
        let connect = |namespace: &str, enabled: bool, discovery: Value| {
            canon(
                Kind::Service,
                &[(
                    "service_connect",
                    block(&[
                        ("enabled", Value::Bool(enabled)),
                        ("namespace", namespace.into()),
                        (
                            "service",
                            block(&[
                                ("port_name", "http".into()),
                                ("discovery_name", discovery),
                                ("timeout", block(&[])),
                            ]),
                        ),
                    ]),
                )],
            )
        };
        let arn = "arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-abc";
        assert_eq!(
            connect(arn, true, "http".into()),
            connect("ns-abc", true, Value::Null),
            "the ARN is the id, the port name is the default discovery name, an empty timeout is none"
        );
        assert_ne!(
            connect("ns-abc", true, "api".into()),
            connect("ns-abc", true, Value::Null)
        );
        assert_eq!(
            connect("ns-abc", false, Value::Null),
            canon(Kind::Service, &[]),
            "turned off is none"
        );
    }

    #[test]
    fn an_implicit_block_equal_to_its_defaults_is_none() {
        let check = |pairs: &[(&str, Value)]| {
            canon(
                Kind::TargetGroup,
                &[("health_check", Value::List(vec![Value::Map(map(pairs))]))],
            )
        };
        let none = canon(Kind::TargetGroup, &[]);
        assert_eq!(check(&[("path", "/".into())]), none);
        assert_eq!(check(&[("protocol", "http".into())]), none);
        assert_ne!(check(&[("path", "/health".into())]), none);
    }
}
