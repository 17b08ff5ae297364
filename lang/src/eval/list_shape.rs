//! Functions that read only a list's shape, so they take lists holding
//! values AWS knows only after apply: Terraform's
//! `element(aws_subnet.private[*].id, count.index)`,
//! `concat([subnet.a.id], var.extra)`, `length(subnet.private[*].id)`,
//! `one(lb.this[*].arn)`, `flatten([subnet.a[*].id])`,
//! `compact([security_group.lb.id, var.extra])`, `setunion([security_group.lb.id],
//! var.extra)`, `distinct(...)`, `lookup(each.value,
//! "cidr_blocks", null)` of a map holding an id, `coalesce(null,
//! vpc.main.id)`, `keys(m)` and `values(m)` of a map holding ARNs,
//! `zipmap(keys, ids)` of known keys; and those that put such
//! values in text: `join(":", [ecr_repository.app.url, "latest"])`,
//! `format("%s:latest", ecr_repository.app.url)`.
//! The result holds the same values, known or not.

use berth_provider::Value;

use crate::stack::DesiredValue;

/// `name(args)` when `name` reads only the shape of lists whose shape is
/// known; `None` otherwise (the caller reports the unknown argument).
pub(super) fn call(name: &str, args: &[DesiredValue]) -> Option<DesiredValue> {
    match (name, args) {
        ("concat", lists) if !lists.is_empty() => {
            let mut out = Vec::new();
            for list in lists {
                out.extend(items(list)?);
            }
            Some(DesiredValue::list(out))
        }
        // The same resource's id twice is one; values that differ as
        // written are kept apart (two resources' ids never match), in the
        // order first met (`setunion([security_group.x.id], var.extra)`).
        ("distinct", [list]) => Some(DesiredValue::list(distinct(items(list)?))),
        ("setunion", lists) if !lists.is_empty() => {
            let mut all = Vec::new();
            for list in lists {
                all.extend(items(list)?);
            }
            Some(DesiredValue::list(distinct(all)))
        }
        ("element", [list, DesiredValue::Known(Value::Int(i))]) if *i >= 0 => {
            let items = items(list)?;
            let len = i64::try_from(items.len()).ok().filter(|n| *n > 0)?;
            let at = usize::try_from(i % len).ok()?;
            items.into_iter().nth(at)
        }
        // A map's keys are known whatever its values: so is its length.
        ("length", [DesiredValue::Map(m)]) => {
            Some(DesiredValue::Known(Value::Int(i64::try_from(m.len()).ok()?)))
        }
        // In key order, as Terraform lists them (taytay's `element(keys(m),
        // count.index)` beside `element(values(m), count.index)`).
        ("keys", [DesiredValue::Map(m)]) => Some(DesiredValue::Known(Value::List(
            m.keys().map(|k| Value::String(k.clone())).collect(),
        ))),
        ("values", [DesiredValue::Map(m)]) => Some(DesiredValue::list(m.values().cloned().collect())),
        // Known keys, values known after apply (shajalahamedcse's
        // `zipmap(keys(var.secrets), aws_secretsmanager_secret.x.*.arn)`).
        ("zipmap", [DesiredValue::Known(Value::List(keys)), values]) => {
            let values = items(values)?;
            if keys.len() != values.len() {
                return None;
            }
            let keys = keys
                .iter()
                .map(crate::eval::functions::scalar_text)
                .collect::<Option<Vec<_>>>()?;
            Some(DesiredValue::map(keys.into_iter().zip(values).collect()))
        }
        ("length", [list]) => {
            let n = i64::try_from(items(list)?.len()).ok()?;
            Some(DesiredValue::Known(Value::Int(n)))
        }
        // `one(lb.this[*].arn)` of a resource made when a flag says so:
        // its one element, or null for none (more is the function's own
        // error, left to it).
        ("one", [list]) => match <[DesiredValue; 1]>::try_from(items(list)?) {
            Ok([one]) => Some(one),
            Err(rest) if rest.is_empty() => Some(DesiredValue::Known(Value::Null)),
            Err(_) => None,
        },
        ("flatten", [list]) => Some(DesiredValue::list(flattened(list)?)),
        ("tolist", [list]) => Some(DesiredValue::list(items(list)?)),
        ("nonsensitive", [value]) => Some(value.clone()),
        ("reverse", [list]) => Some(DesiredValue::list(items(list)?.into_iter().rev().collect())),
        (
            "slice",
            [
                list,
                DesiredValue::Known(Value::Int(start)),
                DesiredValue::Known(Value::Int(end)),
            ],
        ) => {
            let items = items(list)?;
            let (start, end) = (usize::try_from(*start).ok()?, usize::try_from(*end).ok()?);
            (start <= end && end <= items.len()).then(|| DesiredValue::list(items[start..end].to_vec()))
        }
        // Values known after apply are never empty: only known empties go.
        ("compact", [list]) => Some(DesiredValue::list(
            items(list)?
                .into_iter()
                .filter(|v| !matches!(v, DesiredValue::Known(Value::Null)) && !is_empty_text(v))
                .collect(),
        )),
        ("coalescelist", lists) if !lists.is_empty() => {
            let mut all = Vec::new();
            for list in lists {
                all.push(items(list)?);
            }
            all.into_iter().find(|l| !l.is_empty()).map(DesiredValue::list)
        }
        ("join", [DesiredValue::Known(Value::String(sep)), list]) => {
            let mut parts = Vec::new();
            for (i, item) in items(list)?.into_iter().enumerate() {
                if i > 0 {
                    parts.push(DesiredValue::Known(Value::String(sep.clone())));
                }
                parts.push(text(item)?);
            }
            Some(DesiredValue::Concat(parts))
        }
        ("format", [DesiredValue::Known(Value::String(spec)), args @ ..]) => formatted(spec, args),
        // Maps whose keys are known, values known after apply among them
        // (cloudposse's `merge({ for ... }, var.policy_arns_map)` feeding a
        // `for_each`, which needs only the keys); a later map's key wins,
        // a null is no map, as Terraform's.
        ("merge", maps) => {
            let mut out = std::collections::BTreeMap::new();
            for map in maps {
                out.extend(entries(map)?);
            }
            Some(DesiredValue::map(out))
        }
        // The first value not null nor empty text: one known after apply
        // is never either (terraform-aws-modules/alb's `vpc_id =
        // coalesce(each.value.vpc_id, var.vpc_id)`, the second a VPC's id).
        ("coalesce", values) => values
            .iter()
            .find(|v| match v {
                DesiredValue::Known(Value::Null) => false,
                DesiredValue::Known(Value::String(s)) => !s.is_empty(),
                _ => true,
            })
            .cloned(),
        // A map's key whose value, or whose neighbours' values, are known
        // after apply (terraform-aws-modules' rules: `lookup(each.value,
        // "source_security_group_id", null)` of a map holding a group's id).
        ("lookup", [map, DesiredValue::Known(Value::String(key)), default @ ..]) if default.len() <= 1 => {
            let mut entries = entries(map)?;
            entries.remove(key).or_else(|| default.first().cloned())
        }
        _ => None,
    }
}

/// `items` without repeats, each where first met.
fn distinct(items: Vec<DesiredValue>) -> Vec<DesiredValue> {
    let mut out: Vec<DesiredValue> = Vec::with_capacity(items.len());
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// The entries of the map `v` (none of `null`).
fn entries(v: &DesiredValue) -> Option<std::collections::BTreeMap<String, DesiredValue>> {
    match v {
        DesiredValue::Map(m) => Some(m.clone()),
        DesiredValue::Known(Value::Map(m)) => Some(
            m.iter()
                .map(|(k, v)| (k.clone(), DesiredValue::Known(v.clone())))
                .collect(),
        ),
        DesiredValue::Known(Value::Null) => Some(std::collections::BTreeMap::new()),
        _ => None,
    }
}

/// `v` as a part of text: a value known after apply as it is, a known
/// string, number or bool as its text.
fn text(v: DesiredValue) -> Option<DesiredValue> {
    match v {
        DesiredValue::Ref(_) | DesiredValue::Concat(_) => Some(v),
        DesiredValue::Known(v) => {
            super::functions::scalar_text(&v).map(|t| DesiredValue::Known(Value::String(t)))
        }
        _ => None,
    }
}

fn is_empty_text(v: &DesiredValue) -> bool {
    matches!(v, DesiredValue::Known(Value::String(s)) if s.is_empty())
}

/// `format(spec, args)` with only `%s` verbs (and `%%`): the text with
/// each argument in its place.
fn formatted(spec: &str, args: &[DesiredValue]) -> Option<DesiredValue> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut args = args.iter().cloned();
    let mut chars = spec.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            literal.push(c);
            continue;
        }
        match chars.next()? {
            '%' => literal.push('%'),
            's' => {
                if !literal.is_empty() {
                    parts.push(DesiredValue::Known(Value::String(std::mem::take(&mut literal))));
                }
                parts.push(text(args.next()?)?);
            }
            // Other verbs format known values: left to the function.
            _ => return None,
        }
    }
    if args.next().is_some() {
        return None;
    }
    if !literal.is_empty() {
        parts.push(DesiredValue::Known(Value::String(literal)));
    }
    Some(DesiredValue::Concat(parts))
}

/// The elements of `v` and of the lists in it, at any depth, in order.
fn flattened(v: &DesiredValue) -> Option<Vec<DesiredValue>> {
    let mut out = Vec::new();
    for item in items(v)? {
        match items(&item) {
            Some(_) => out.extend(flattened(&item)?),
            None => out.push(item),
        }
    }
    Some(out)
}

/// The elements of a list whose shape is known.
fn items(v: &DesiredValue) -> Option<Vec<DesiredValue>> {
    match v {
        DesiredValue::List(items) => Some(items.clone()),
        DesiredValue::Known(Value::List(items)) => {
            Some(items.iter().cloned().map(DesiredValue::Known).collect())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stack::RefTarget;

    fn unknown(name: &str) -> DesiredValue {
        DesiredValue::Ref(RefTarget {
            address: format!("subnet.{name}").parse().expect("an address"),
            attr: "id".into(),
        })
    }

    /// taytay's `element(keys(m), i)` and `element(values(m), i)` of a map
    /// of paths to target group ARNs (E0315 before): keys in order, values
    /// as they are.
    #[test]
    fn keys_and_values_of_a_map_holding_unknowns() {
        let map = DesiredValue::Map(
            [("/b".to_owned(), unknown("b")), ("/a".to_owned(), unknown("a"))]
                .into_iter()
                .collect(),
        );
        assert_eq!(
            call("keys", std::slice::from_ref(&map)),
            Some(DesiredValue::Known(Value::List(vec!["/a".into(), "/b".into()])))
        );
        assert_eq!(
            call("values", std::slice::from_ref(&map)),
            Some(DesiredValue::List(vec![unknown("a"), unknown("b")]))
        );
    }

    /// shajalahamedcse's `zipmap(keys(var.secrets), secret.x.*.arn)`: known
    /// keys, ARNs after apply (E0315 before); lengths that differ are the
    /// function's own error, left to it.
    #[test]
    fn zipmap_of_known_keys_and_values_known_after_apply() {
        let keys = DesiredValue::Known(Value::List(vec!["A".into(), "B".into()]));
        let values = DesiredValue::List(vec![unknown("a"), unknown("b")]);
        assert_eq!(
            call("zipmap", &[keys.clone(), values]),
            Some(DesiredValue::Map(
                [("A".to_owned(), unknown("a")), ("B".to_owned(), unknown("b"))]
                    .into_iter()
                    .collect()
            ))
        );
        assert_eq!(
            call("zipmap", &[keys, DesiredValue::List(vec![unknown("a")])]),
            None
        );
    }

    /// terraform-aws-modules/alb's `coalesce(each.value.vpc_id, var.vpc_id)`
    /// of a VPC's id: it was E0315.
    #[test]
    fn coalesce_passes_over_nulls_to_a_value_known_after_apply() {
        let null = DesiredValue::Known(Value::Null);
        let empty = DesiredValue::Known(Value::from(""));
        assert_eq!(
            call("coalesce", &[null.clone(), empty, unknown("v")]),
            Some(unknown("v"))
        );
        assert_eq!(
            call(
                "coalesce",
                &[DesiredValue::Known(Value::from("vpc-1")), unknown("v")]
            ),
            Some(DesiredValue::Known(Value::from("vpc-1")))
        );
        assert_eq!(call("coalesce", &[null]), None);
    }

    /// terraform-aws-modules' `lookup(each.value, "cidr_blocks", null)` of
    /// a rule whose `source_security_group_id` is known after apply.
    #[test]
    fn lookup_reads_a_map_holding_unknown_values() {
        let rule = DesiredValue::Map(
            [
                ("type".to_owned(), DesiredValue::Known(Value::from("ingress"))),
                ("source_security_group_id".to_owned(), unknown("g")),
            ]
            .into(),
        );
        let key = |k: &str| DesiredValue::Known(Value::from(k));
        let null = DesiredValue::Known(Value::Null);
        assert_eq!(
            call("lookup", &[rule.clone(), key("cidr_blocks"), null.clone()]),
            Some(null.clone())
        );
        assert_eq!(
            call("lookup", &[rule.clone(), key("source_security_group_id"), null]),
            Some(unknown("g"))
        );
        assert_eq!(call("lookup", &[rule.clone(), key("type")]), Some(key("ingress")));
        // No default: the function's own error, left to it.
        assert_eq!(call("lookup", &[rule, key("self")]), None);
    }

    /// cloudposse's `merge({ for ... }, { test = aws_iam_policy.x.arn })`
    /// feeding a `for_each`: E0315 before, as a value is known after apply.
    #[test]
    fn maps_of_unknown_values_merge_by_their_known_keys() {
        let known = DesiredValue::Known(Value::Map(
            [
                ("a".to_owned(), Value::from("x")),
                ("b".to_owned(), Value::from("y")),
            ]
            .into(),
        ));
        let pending = DesiredValue::Map([("b".to_owned(), unknown("b"))].into());
        assert_eq!(
            call("merge", &[known, pending, DesiredValue::Known(Value::Null)]),
            Some(DesiredValue::Map(
                [
                    ("a".to_owned(), DesiredValue::Known(Value::from("x"))),
                    ("b".to_owned(), unknown("b"))
                ]
                .into()
            ))
        );
        assert_eq!(call("merge", &[unknown("a")]), None);
    }

    #[test]
    fn lists_of_unknown_values_keep_them() {
        let list = DesiredValue::List(vec![unknown("a"), unknown("b")]);
        let known = DesiredValue::Known(Value::List(vec![Value::from("x")]));
        assert_eq!(
            call("concat", &[list.clone(), known]),
            Some(DesiredValue::List(vec![
                unknown("a"),
                unknown("b"),
                DesiredValue::Known(Value::from("x"))
            ]))
        );
        assert_eq!(
            call("element", &[list.clone(), DesiredValue::Known(Value::Int(3))]),
            Some(unknown("b"))
        );
        assert_eq!(
            call("length", std::slice::from_ref(&list)),
            Some(DesiredValue::Known(Value::Int(2)))
        );
        assert_eq!(
            call("one", &[DesiredValue::List(vec![unknown("a")])]),
            Some(unknown("a"))
        );
        assert_eq!(
            call("one", &[DesiredValue::List(vec![])]),
            Some(DesiredValue::Known(Value::Null))
        );
        assert_eq!(call("one", std::slice::from_ref(&list)), None);
        assert_eq!(
            call(
                "element",
                &[DesiredValue::List(vec![]), DesiredValue::Known(Value::Int(0))]
            ),
            None
        );
        assert_eq!(
            call("join", &[DesiredValue::Known(Value::from(",")), list.clone()]),
            Some(DesiredValue::Concat(vec![
                unknown("a"),
                DesiredValue::Known(Value::from(",")),
                unknown("b")
            ]))
        );
        assert_eq!(
            call(
                "format",
                &[
                    DesiredValue::Known(Value::from("%s:latest (100%%)")),
                    unknown("a")
                ]
            ),
            Some(DesiredValue::Concat(vec![
                unknown("a"),
                DesiredValue::Known(Value::from(":latest (100%)"))
            ]))
        );
        // Other verbs format known values: the function's own work.
        assert_eq!(
            call("format", &[DesiredValue::Known(Value::from("%d")), unknown("a")]),
            None
        );
        let nested = DesiredValue::List(vec![
            list.clone(),
            DesiredValue::Known(Value::List(vec![Value::from("")])),
        ]);
        assert_eq!(
            call("flatten", std::slice::from_ref(&nested)),
            Some(DesiredValue::List(vec![
                unknown("a"),
                unknown("b"),
                DesiredValue::Known(Value::from(""))
            ]))
        );
        assert_eq!(
            call("compact", &[call("flatten", &[nested]).expect("flat")]),
            Some(DesiredValue::List(vec![unknown("a"), unknown("b")]))
        );
        assert_eq!(
            call(
                "slice",
                &[
                    list.clone(),
                    DesiredValue::Known(Value::Int(1)),
                    DesiredValue::Known(Value::Int(2))
                ]
            ),
            Some(DesiredValue::List(vec![unknown("b")]))
        );
        assert_eq!(
            call("reverse", std::slice::from_ref(&list)),
            Some(DesiredValue::List(vec![unknown("b"), unknown("a")]))
        );
        assert_eq!(call("concat", &[unknown("a")]), None);
    }

    #[test]
    fn setunion_and_distinct_drop_only_what_is_written_twice() {
        let sg = DesiredValue::List(vec![unknown("a"), unknown("b")]);
        let extra = DesiredValue::Known(Value::List(vec![Value::from("sg-1"), Value::from("sg-1")]));
        let again = DesiredValue::List(vec![unknown("a")]);
        assert_eq!(
            call("setunion", &[sg.clone(), extra.clone(), again]),
            Some(DesiredValue::List(vec![
                unknown("a"),
                unknown("b"),
                DesiredValue::Known(Value::from("sg-1"))
            ]))
        );
        let both = call("concat", &[sg, extra]).expect("a list");
        assert_eq!(
            call("distinct", &[both]),
            Some(DesiredValue::List(vec![
                unknown("a"),
                unknown("b"),
                DesiredValue::Known(Value::from("sg-1"))
            ]))
        );
    }
}
