//! Typed reads of attribute maps, as every provider needs them when it turns
//! [`Attrs`] into a cloud request. A missing or mistyped value reads as
//! absent: the schema checks ran before any provider sees the map.

use std::collections::BTreeMap;

use crate::schema::Presence;
use crate::{Attrs, Kind, Value};

/// `new` with what AWS chose for the attributes of `kind` it leaves out
/// (`Presence::ChosenByAws`: a role's path, a rule's priority, a key's
/// policy) taken from `old`: an update sends nothing for them, as the plan
/// shows no change, and they stay as they are.
pub fn keep_chosen(kind: Kind, old: &Attrs, new: &mut Attrs) {
    let schema = kind.schema();
    let kept = schema
        .attrs
        .iter()
        .filter(|a| a.presence == Presence::ChosenByAws);
    for attr in kept {
        if new.get(attr.name).is_none_or(|v| *v == Value::Null)
            && let Some(was) = old.get(attr.name)
        {
            new.insert(attr.name.to_owned(), was.clone());
        }
    }
    for block in schema.blocks {
        keep_chosen_in(block, old, new);
    }
    if kind == Kind::Service {
        keep_revision(old, new);
    }
}

/// A service naming its task definition by family (ECS runs the family's
/// latest revision) or by `family:revision` reads back the ARN of the
/// revision it runs: that one is kept while it is of the family (and
/// revision) named, so the plan shows no change. A newer revision of the
/// family does not move the service; naming another family does.
fn keep_revision(old: &Attrs, new: &mut Attrs) {
    const TASK_DEFINITION: &str = "task_definition";
    let (Some(named), Some(arn)) = (
        new.get(TASK_DEFINITION).and_then(Value::as_str),
        old.get(TASK_DEFINITION).and_then(Value::as_str),
    ) else {
        return;
    };
    if named.starts_with("arn:") {
        return;
    }
    let Some((_, running)) = arn.rsplit_once(":task-definition/") else {
        return;
    };
    let family = running.rsplit_once(':').map_or(running, |(family, _)| family);
    if named == running || named == family {
        new.insert(TASK_DEFINITION.to_owned(), Value::from(arn));
    }
}

/// In each instance of `block` in `new`, what AWS chose for an attribute
/// left out (an EFS mount target's address and groups) taken from the
/// instance of `old` that agrees with it on every other attribute: the
/// same instance, as AWS holds it.
fn keep_chosen_in(block: &crate::schema::Block, old: &Attrs, new: &mut Attrs) {
    let chosen = |name: &str| {
        block
            .attr(name)
            .is_some_and(|a| a.presence == Presence::ChosenByAws)
    };
    if !block.attrs.iter().any(|a| chosen(a.name)) {
        return;
    }
    let (Some(Value::List(was)), Some(Value::List(items))) = (old.get(block.name), new.get_mut(block.name))
    else {
        return;
    };
    for item in items.iter_mut() {
        let Value::Map(item) = item else { continue };
        let same =
            was.iter().filter_map(Value::as_map).find(|w| {
                block.attrs.iter().filter(|a| !chosen(a.name)).all(|a| {
                    w.get(a.name).unwrap_or(&Value::Null) == item.get(a.name).unwrap_or(&Value::Null)
                })
            });
        let Some(same) = same else { continue };
        for attr in block.attrs.iter().filter(|a| chosen(a.name)) {
            // An empty list is left out too: AWS gives a mount target
            // written `security_groups = []` the VPC's default group.
            let left_out = item
                .get(attr.name)
                .is_none_or(|v| *v == Value::Null || v.as_list().is_some_and(<[Value]>::is_empty));
            if left_out && let Some(v) = same.get(attr.name) {
                item.insert(attr.name.to_owned(), v.clone());
            }
        }
    }
}

/// `attrs` without its settings that are null: one left out, as a
/// canonical nested block holds it (AWS reports no key for what it does
/// not hold), so a block built from an answer compares with a declared one.
pub fn without_nulls(attrs: &Attrs) -> Attrs {
    attrs
        .iter()
        .filter(|(_, v)| **v != Value::Null)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// `v` without null settings at any depth (a step's open `upper` bound, a
/// metric filter's `unit`): what the configuration holds null, the read
/// leaves out.
pub fn nulls_out(v: &Value) -> Value {
    match v {
        Value::Map(m) => Value::Map(
            m.iter()
                .filter(|(_, v)| **v != Value::Null)
                .map(|(k, v)| (k.clone(), nulls_out(v)))
                .collect(),
        ),
        Value::List(items) => Value::List(items.iter().map(nulls_out).collect()),
        other => other.clone(),
    }
}

/// The string attribute `key`, if set.
pub fn str_of<'a>(attrs: &'a Attrs, key: &str) -> Option<&'a str> {
    attrs.get(key).and_then(Value::as_str)
}

/// The integer attribute `key`, if set.
pub fn int_of(attrs: &Attrs, key: &str) -> Option<i64> {
    attrs.get(key).and_then(Value::as_int)
}

/// The number attribute `key` (whole or with a fraction) as the `f64` AWS
/// takes, if set.
pub fn f64_of(attrs: &Attrs, key: &str) -> Option<f64> {
    attrs.get(key).and_then(Value::as_f64)
}

/// The boolean attribute `key`; unset is false.
pub fn bool_of(attrs: &Attrs, key: &str) -> bool {
    attrs.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// The strings of list attribute `key`; unset is empty.
pub fn strs_of(attrs: &Attrs, key: &str) -> Vec<String> {
    attrs
        .get(key)
        .and_then(Value::as_list)
        .unwrap_or_default()
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// The string map attribute `key`; unset is empty.
pub fn map_of(attrs: &Attrs, key: &str) -> BTreeMap<String, String> {
    attrs
        .get(key)
        .and_then(Value::as_map)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

/// The instances of nested block `key`; unset is none.
pub fn blocks_of<'a>(attrs: &'a Attrs, key: &str) -> Vec<&'a Attrs> {
    attrs
        .get(key)
        .and_then(Value::as_list)
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_map)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A service named its task definition by family or `family:revision`
    /// outside the stack; AWS answers the revision's ARN.
    #[test]
    fn a_task_definition_named_by_family_keeps_the_revision_running() {
        let arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/web-app:7";
        let live: Attrs = [("task_definition".to_owned(), Value::from(arn))].into();
        let kept = |named: &str| {
            let mut desired: Attrs = [("task_definition".to_owned(), Value::from(named))].into();
            keep_chosen(Kind::Service, &live, &mut desired);
            str_of(&desired, "task_definition").map(str::to_owned)
        };
        for same in ["web-app", "web-app:7", arn] {
            assert_eq!(kept(same).as_deref(), Some(arn), "{same}");
        }
        for other in [
            "web",
            "web-app:6",
            "app:7",
            "arn:aws:ecs:us-east-1:123456789012:task-definition/web-app:8",
        ] {
            assert_eq!(kept(other).as_deref(), Some(other), "{other}");
        }
    }

    #[test]
    fn reads_typed_values_and_treats_the_rest_as_absent() {
        let block = Value::Map([("port".to_owned(), Value::Int(80))].into());
        let attrs: Attrs = [
            ("name".to_owned(), Value::from("web")),
            ("count".to_owned(), Value::Int(2)),
            ("on".to_owned(), Value::Bool(true)),
            (
                "subnets".to_owned(),
                Value::List(vec!["a".into(), Value::Int(1), "b".into()]),
            ),
            (
                "tags".to_owned(),
                Value::Map([("team".to_owned(), "web".into())].into()),
            ),
            ("rule".to_owned(), Value::List(vec![block, Value::Null])),
        ]
        .into();
        assert_eq!(str_of(&attrs, "name"), Some("web"));
        assert_eq!(str_of(&attrs, "count"), None);
        assert_eq!(int_of(&attrs, "count"), Some(2));
        assert!(bool_of(&attrs, "on") && !bool_of(&attrs, "missing"));
        assert_eq!(strs_of(&attrs, "subnets"), ["a", "b"]);
        assert_eq!(map_of(&attrs, "tags")["team"], "web");
        assert_eq!(blocks_of(&attrs, "rule").len(), 1);
        assert!(blocks_of(&attrs, "name").is_empty());
    }

    #[test]
    fn what_aws_chose_inside_a_block_left_out_is_kept_by_the_same_instance() {
        let target = |subnet: &str, groups: Vec<Value>, ip: Value| {
            Value::Map(
                [
                    ("subnet".to_owned(), Value::from(subnet)),
                    ("security_groups".to_owned(), Value::List(groups)),
                    ("ip_address".to_owned(), ip),
                ]
                .into(),
            )
        };
        let live: Attrs = [(
            "mount_target".to_owned(),
            Value::List(vec![
                target(
                    "subnet-a",
                    vec![Value::from("sg-default")],
                    Value::from("10.0.1.5"),
                ),
                target("subnet-b", vec![Value::from("sg-nfs")], Value::from("10.0.2.9")),
            ]),
        )]
        .into();
        let mut desired: Attrs = [(
            "mount_target".to_owned(),
            Value::List(vec![
                target("subnet-a", vec![], Value::Null),
                target("subnet-b", vec![Value::from("sg-strict")], Value::Null),
                target("subnet-c", vec![], Value::Null),
            ]),
        )]
        .into();
        keep_chosen(Kind::EfsFileSystem, &live, &mut desired);
        let targets = blocks_of(&desired, "mount_target");
        assert_eq!(
            targets[0]["security_groups"],
            Value::List(vec![Value::from("sg-default")])
        );
        assert_eq!(targets[0]["ip_address"], Value::from("10.0.1.5"));
        // Groups written are kept as written; the address comes from the
        // mount target of the same subnet.
        assert_eq!(
            targets[1]["security_groups"],
            Value::List(vec![Value::from("sg-strict")])
        );
        assert_eq!(targets[1]["ip_address"], Value::from("10.0.2.9"));
        // A new mount target has nothing chosen yet.
        assert_eq!(targets[2]["ip_address"], Value::Null);
    }
}
